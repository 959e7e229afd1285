package io.cccancel;

import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.errors.CancelResourceRequestException;
import io.cccancel.errors.RequestTokenNotFoundException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Priming: runs what a first invoke runs before it is needed. With SnapStart, in the beforeCheckpoint hook, so a
 * restored function starts warm; started on demand (or provisioned), at init, where the CPU is cheaper
 * ({@link #primeAtInit}).
 * <ul>
 *   <li>Against Cloud Control, only a read-only call: GetResourceRequestStatus for a token that cannot exist
 *       (connection, signing, error unmarshalling on the live client).</li>
 *   <li>The whole handler ({@link CancelResourceRequestHandler#handleRequest}: Powertools' withLogging, validation,
 *       SDK marshalling and signing with a trace header, the URLConnection client's request and success path,
 *       response unmarshalling, the decisions, the JSON logs and EMF metrics, the output) runs
 *       {@link #DEFAULT_ROUNDS} times, over a client whose endpoint is a loopback server inside the function
 *       ({@link LoopbackCloudControl}): no cancel ever leaves the function. Its logs and metrics go nowhere.</li>
 * </ul>
 * Running withLogging here takes no cold start away: Powertools counts one only when AWS_LAMBDA_INITIALIZATION_TYPE
 * is on-demand, and a SnapStart function (the only kind that runs this hook) is snap-start.
 */
public final class Priming {

    static final String PRIMING_TOKEN = "snapstart-priming-0000000000000000";
    /** Enough rounds for C1 to compile the hot path (its thresholds are ~200 calls) before the snapshot. */
    static final int DEFAULT_ROUNDS = 250;
    /**
     * At init, a few rounds: the first loads and links the invoke's classes, the next run the paths only a second
     * call takes (a kept-alive connection). 1, 3 and 10 rounds did equally well in the benchmark; fewer cost init less.
     */
    static final int DEFAULT_INIT_ROUNDS = 3;
    /**
     * At init, how long the one live read may hold init up. Lambda ends an on-demand init after 10 s, and a network
     * that does not answer must cost the cold start this much at most, not the client's whole call timeout (12 s):
     * the first invoke then fails with its own error name, not an init timeout.
     */
    static final Duration INIT_LIVE_READ_BUDGET = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    /** Where Lambda's runtime puts the invoke's X-Ray trace header, for the SDK to forward. */
    static final String TRACE_HEADER_PROPERTY = "com.amazonaws.xray.traceHeader";
    private static final String PRIMING_TRACE_HEADER =
            "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0";

    private static final byte[] EVENT =
            ("{\"RequestToken\":\"" + PRIMING_TOKEN + "\"}").getBytes(StandardCharsets.UTF_8);

    private Priming() {
    }

    /** Rounds from SNAPSTART_PRIMING_ROUNDS (default {@value #DEFAULT_ROUNDS}). */
    public static void prime(CloudControl live) {
        prime(live, rounds("SNAPSTART_PRIMING_ROUNDS", DEFAULT_ROUNDS));
    }

    /**
     * @param live the function's own Cloud Control adapter: it only ever gets the one read-only call
     * @return how many cancels the loopback answered (the rounds run), for tests
     */
    public static int prime(CloudControl live, int rounds) {
        readOnce(live);
        // Powertools' withLogging reads the invoke's context; the init rounds skip it, so only these rounds need one.
        PrimingContext context = PrimingContext.fromEnvironment();
        return rounds(rounds, handler ->
                handler.handleRequest(new ByteArrayInputStream(EVENT), OutputStream.nullOutputStream(), context));
    }

    /**
     * Whether to prime at init: when the container was started on demand or provisioned. On demand, init runs on a
     * full vCPU, while invokes get the memory's share of one (a seventh at 256 MB): the first invoke's class
     * loading and connection set-up cost less here than in it. A provisioned container's init is off the request
     * path. A SnapStart container primes before its snapshot instead ({@link #prime(CloudControl)}).
     */
    static boolean atInit(String initializationType) {
        return "on-demand".equals(initializationType) || "provisioned-concurrency".equals(initializationType);
    }

    /** A rounds setting: 0 (no offline rounds) to 10,000; anything else fails the init, naming the variable. */
    static int rounds(String variable, int defaultRounds) {
        return (int) DependencyFactory.envLong(System.getenv(variable), variable, defaultRounds, 0, 10_000, "rounds");
    }

    /** Rounds from INIT_PRIMING_ROUNDS (default {@value #DEFAULT_INIT_ROUNDS}); 0 turns priming at init off. */
    public static void primeAtInit(CloudControl live) {
        int rounds = rounds("INIT_PRIMING_ROUNDS", DEFAULT_INIT_ROUNDS);
        if (rounds > 0) {
            primeAtInit(live, rounds);
        }
    }

    /**
     * As {@link #prime(CloudControl, int)}, with three differences for a cold start that a user waits for:
     * <ul>
     *   <li>each round skips Powertools' per-invoke bookkeeping: on demand, Powertools counts a cold start (the
     *       ColdStart metric, cold_start in the logs) on the first invoke that runs it, and that must be the first
     *       real invoke, not a priming round;</li>
     *   <li>the live read holds init up for {@link #INIT_LIVE_READ_BUDGET} at most, then goes on by itself;</li>
     *   <li>nothing it meets fails the init: without priming, the first invoke is only slower.</li>
     * </ul>
     */
    public static int primeAtInit(CloudControl live, int rounds) {
        Thread reader = new Thread(() -> {
            try {
                readOnce(live);
            } catch (RuntimeException e) {
                LOG.warn("Priming's read-only call failed; the first invoke will make its own connection: {}",
                        e.toString());
            }
        }, "priming-live-read");
        reader.setDaemon(true);
        reader.start();
        try {
            reader.join(INIT_LIVE_READ_BUDGET.toMillis());
            return rounds(rounds, handler -> handler.respond(EVENT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (RuntimeException e) {
            LOG.warn("Priming at init failed; the first invoke will load what it needs itself: {}", e.toString());
            return 0;
        }
    }

    /** One priming round: the function's handler (over the loopback client) given the priming event. */
    private interface Round {
        void run(CancelResourceRequestHandler handler) throws IOException;
    }

    /** The one call that reaches Cloud Control: a read, for a token that cannot exist. */
    private static void readOnce(CloudControl live) {
        try {
            ProgressEvent e = live.getResourceRequestStatus(PRIMING_TOKEN);
            Json.progressEventResponse(e.withoutResourceModel());
        } catch (RequestTokenNotFoundException expected) {
            // The normal answer: the whole request/response path has run.
        } catch (CancelResourceRequestException unreachable) {
            // No network now is fine: the classes are loaded all the same.
        }
    }

    /** The offline rounds, over a client whose endpoint is a loopback server inside the function. */
    private static int rounds(int rounds, Round round) {
        if (rounds <= 0) {
            return 0;
        }
        PrintStream out = System.out;
        // Lambda gives every real invoke an X-Ray trace id, and the SDK then adds a header: prime that path too.
        String traceHeader = System.getProperty(TRACE_HEADER_PROPERTY);
        try (LoopbackCloudControl loopback = LoopbackCloudControl.start();
             CloudControlClient offline = DependencyFactory.cloudControlClient(
                     DependencyFactory.Timeouts.fromEnvironment(), loopback.endpoint())) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            System.setProperty(TRACE_HEADER_PROPERTY, PRIMING_TRACE_HEADER);
            // The function's own handler class over the loopback client: the same code, lambdas and all, that a
            // first invoke runs (the handler's and withLogging's lambdas are linked on first use).
            CancelResourceRequestHandler handler =
                    new CancelResourceRequestHandler(new SdkCloudControl(offline), false);
            try {
                for (int i = 0; i < rounds; i++) {
                    round.run(handler);
                }
            } catch (CancelResourceRequestException loopbackFailed) {
                // A socket problem on loopback must not fail the snapshot (and the version's publication): the
                // restored function is only less warm.
            }
            return loopback.answered();
        } catch (IOException e) {
            // No loopback socket: the snapshot is only less warm, never wrong.
            return 0;
        } finally {
            System.setOut(out);
            if (traceHeader == null) {
                System.clearProperty(TRACE_HEADER_PROPERTY);
            } else {
                System.setProperty(TRACE_HEADER_PROPERTY, traceHeader);
            }
        }
    }

    /**
     * Cloud Control's side of the priming rounds, on 127.0.0.1 inside the function: a minimal HTTP/1.1 server that
     * answers every request with a CANCEL_IN_PROGRESS ProgressEvent and keeps the connection alive, as Cloud Control
     * does. So the rounds run the same URLConnection client and success path a real cancel runs, and nothing leaves
     * the function.
     */
    static final class LoopbackCloudControl implements AutoCloseable {
        private static final byte[] ANSWER = ("{\"ProgressEvent\":{\"TypeName\":\"AWS::S3::Bucket\","
                + "\"Identifier\":\"snapstart-priming\",\"RequestToken\":\"" + PRIMING_TOKEN + "\","
                + "\"Operation\":\"DELETE\",\"OperationStatus\":\"CANCEL_IN_PROGRESS\",\"EventTime\":1.7641E9,"
                + "\"RetryAfter\":1.7641E9}}").getBytes(StandardCharsets.UTF_8);
        private static final byte[] RESPONSE = response();

        private static byte[] response() {
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
                    + "x-amzn-RequestId: snapstart-priming\r\nContent-Length: " + ANSWER.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] response = Arrays.copyOf(head, head.length + ANSWER.length);
            System.arraycopy(ANSWER, 0, response, head.length, ANSWER.length);
            return response;
        }

        private final ServerSocket server;
        private final Thread acceptor;
        /** The connection being served, for close() to end a read that would otherwise wait for the client. */
        private volatile Socket connection;
        private final AtomicInteger answered = new AtomicInteger();

        private LoopbackCloudControl(ServerSocket server) {
            this.server = server;
            this.acceptor = new Thread(this::accept, "snapstart-priming-loopback");
            acceptor.setDaemon(true);
        }

        static LoopbackCloudControl start() throws IOException {
            LoopbackCloudControl loopback =
                    new LoopbackCloudControl(new ServerSocket(0, 8, InetAddress.getLoopbackAddress()));
            loopback.acceptor.start();
            return loopback;
        }

        URI endpoint() {
            return URI.create("http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getLocalPort());
        }

        int answered() {
            return answered.get();
        }

        /** One connection at a time: the client is used from one thread. */
        private void accept() {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connection = socket;
                    // One write per answer, sent at once: Nagle's delay would add ~40 ms to every round.
                    socket.setTcpNoDelay(true);
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    while (skipRequest(in)) {
                        // Counted before it is sent: once the client has its answer, the count includes it.
                        answered.incrementAndGet();
                        out.write(RESPONSE);
                        out.flush();
                    }
                } catch (IOException closed) {
                    // The server or the client closed the connection: nothing to answer.
                }
            }
        }

        /** Reads one request (head, then Content-Length bytes of body); false at the end of the connection. */
        private static boolean skipRequest(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            long contentLength = 0;
            boolean any = false;
            for (int b = in.read(); b != -1; b = in.read()) {
                any = true;
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String header = line.toString().trim();
                line.setLength(0);
                if (header.isEmpty()) {
                    in.skipNBytes(contentLength);
                    return true;
                }
                if (header.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Long.parseLong(header.substring(15).trim());
                }
            }
            if (any) {
                throw new EOFException("request cut short");
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            server.close();
            Socket current = connection;
            if (current != null) {
                current.close();
            }
            try {
                acceptor.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
