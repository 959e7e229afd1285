package io.cccancel.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.api.client.UserFault;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.DtoSerializers;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.converters.LambdaErrorConverter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code sam local start-lambda} provides: Lambda's Invoke API on 127.0.0.1, running registered handlers
 * in-process. A handler's exception comes back as Lambda reports it, HTTP 200 with {@code X-Amz-Function-Error:
 * Unhandled} and the Java runtime's own error document ({@code errorMessage}, {@code errorType} = the exception's
 * fully-qualified class name, {@code stackTrace}), serialized by the runtime interface client's own code.
 * Service errors (throttling, unknown function) carry {@code x-amzn-ErrorType}, as Lambda's are.
 */
public final class LocalLambdaEndpoint implements AutoCloseable {

    /** How one invoke ended, as the caller saw it. */
    public enum Outcome { SUCCESS, FUNCTION_ERROR, TIMED_OUT, THROTTLED, SNAPSTART_NOT_READY, FUNCTION_NOT_FOUND }

    /**
     * How Lambda reports an invoke that ran out of time, after the function may already have acted. Step Functions
     * reports the error under the document's errorType, or Lambda.Unknown when it has none ("Handle Lambda service
     * exceptions": unhandled errors such as timeouts are Lambda.Unknown).
     */
    public enum TimeoutReport {
        /** {@code errorType} Sandbox.Timedout, the name Step Functions histories show for a timed-out invoke. */
        SANDBOX_TIMEDOUT,
        /** an error document without {@code errorType}: Lambda.Unknown to Step Functions. */
        NO_ERROR_TYPE
    }

    /** One Invoke call: the function (name only, qualifier dropped), its payload, and what came back. */
    public record Invocation(Instant at, String functionName, String payload, Outcome outcome, String errorType,
                             String response) {
    }

    /** How Lambda refuses an invoke before the function runs: the Invoke API's error, with its status and message. */
    private enum Refusal {
        THROTTLED(Outcome.THROTTLED, 429, "TooManyRequestsException", "Rate Exceeded."),
        SNAPSTART_NOT_READY(Outcome.SNAPSTART_NOT_READY, 409, "SnapStartNotReadyException", "Lambda is initializing "
                + "your function. It will be ready to invoke once your function state becomes ACTIVE.");

        final Outcome outcome;
        final int status;
        final String errorType;
        final String message;

        Refusal(Outcome outcome, int status, String errorType, String message) {
            this.outcome = outcome;
            this.status = status;
            this.errorType = errorType;
            this.message = message;
        }
    }

    private static final Pattern INVOKE_PATH = Pattern.compile("^/2015-03-31/functions/([^/]+)/invocations$");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, RequestStreamHandler> functions = new ConcurrentHashMap<>();
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    /** How many of the next invokes each refusal still takes: set per refusal, checked in declaration order. */
    private final Map<Refusal, AtomicInteger> refusalsLeft = new EnumMap<>(Refusal.class);
    private final AtomicInteger timeoutsLeft = new AtomicInteger();
    private volatile TimeoutReport timeoutReport = TimeoutReport.SANDBOX_TIMEDOUT;

    private LocalLambdaEndpoint(HttpServer server) {
        this.server = server;
        for (Refusal refusal : Refusal.values()) {
            refusalsLeft.put(refusal, new AtomicInteger());
        }
    }

    /** Starts on a free port of 127.0.0.1. */
    public static LocalLambdaEndpoint start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            LocalLambdaEndpoint endpoint = new LocalLambdaEndpoint(server);
            server.createContext("/", endpoint::handle);
            server.setExecutor(endpoint.executor);
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the local Lambda endpoint", e);
        }
    }

    /** Serves {@code handler} as the function {@code functionName} (invoked by name, ARN or partial ARN). */
    public LocalLambdaEndpoint register(String functionName, RequestStreamHandler handler) {
        functions.put(functionName, handler);
        return this;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code count} invokes are refused with 429 TooManyRequestsException, as Lambda throttles. */
    public void throttleNextInvokes(int count) {
        refusalsLeft.get(Refusal.THROTTLED).set(count);
    }

    /**
     * The next {@code count} invokes are refused with 409 SnapStartNotReadyException, as Lambda refuses a SnapStart
     * version that went Inactive (not invoked for 14 days) until it is ready again.
     */
    public void snapStartNotReadyForNextInvokes(int count) {
        refusalsLeft.get(Refusal.SNAPSTART_NOT_READY).set(count);
    }

    /**
     * The next {@code count} invokes run the function to its end, then are reported as timed out: what it did (a
     * cancel accepted) stands, and what it returned is lost, as when an invoke runs out of time just after its call.
     */
    public void timeOutNextInvokes(int count, TimeoutReport report) {
        timeoutReport = report;
        timeoutsLeft.set(count);
    }

    /** Every invoke so far, in arrival order. */
    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    public List<Invocation> invocations(String functionName) {
        return invocations.stream().filter(i -> i.functionName().equals(functionName)).toList();
    }

    public void clearInvocations() {
        invocations.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] payload = exchange.getRequestBody().readAllBytes();
            Matcher path = INVOKE_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                serviceError(exchange, 404, "UnknownOperationException", "Unknown operation "
                        + exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
                return;
            }
            String functionName = functionName(URLDecoder.decode(path.group(1), StandardCharsets.UTF_8));
            String payloadText = new String(payload, StandardCharsets.UTF_8);
            RequestStreamHandler handler = functions.get(functionName);
            if (handler == null) {
                invocations.add(new Invocation(Instant.now(), functionName, payloadText, Outcome.FUNCTION_NOT_FOUND,
                        null, null));
                serviceError(exchange, 404, "ResourceNotFoundException", "Function not found: " + functionName);
                return;
            }
            for (Refusal refusal : Refusal.values()) {
                if (refusalsLeft.get(refusal).getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    invocations.add(new Invocation(Instant.now(), functionName, payloadText, refusal.outcome, null,
                            null));
                    serviceError(exchange, refusal.status, refusal.errorType, refusal.message);
                    return;
                }
            }
            invoke(exchange, functionName, handler, payload, payloadText);
        }
    }

    private void invoke(HttpExchange exchange, String functionName, RequestStreamHandler handler, byte[] payload,
                        String payloadText) throws IOException {
        String requestId = UUID.randomUUID().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        byte[] response;
        String errorType = null;
        // As the Java runtime does: the function's class loader is the context loader (ServiceLoader lookups use it).
        Thread.currentThread().setContextClassLoader(handler.getClass().getClassLoader());
        try {
            handler.handleRequest(new ByteArrayInputStream(payload), output,
                    new TestContext(requestId, functionName, 30_000));
            response = output.toByteArray();
        } catch (Throwable t) {
            errorType = t.getClass().getName();
            response = DtoSerializers.serialize(LambdaErrorConverter.fromThrowable(UserFault.filterStackTrace(t)));
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        }
        Outcome outcome = errorType == null ? Outcome.SUCCESS : Outcome.FUNCTION_ERROR;
        if (timeoutsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            outcome = Outcome.TIMED_OUT;
            boolean typed = timeoutReport == TimeoutReport.SANDBOX_TIMEDOUT;
            errorType = typed ? "Sandbox.Timedout" : null;
            response = (typed
                    ? "{\"errorType\":\"Sandbox.Timedout\",\"errorMessage\":\"RequestId: " + requestId
                            + " Error: Task timed out after 30.00 seconds\"}"
                    : "{\"errorMessage\":\"" + Instant.now() + " " + requestId
                            + " Task timed out after 30.00 seconds\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        }
        String responseText = new String(response, StandardCharsets.UTF_8);
        invocations.add(new Invocation(Instant.now(), functionName, payloadText, outcome, errorType, responseText));
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        send(exchange, 200, response);
    }

    /** A function is named by its name, {@code name:qualifier}, a partial ARN or a full ARN. */
    static String functionName(String name) {
        String[] parts = name.split(":");
        if (parts.length >= 7 && parts[0].equals("arn")) {
            return parts[6];
        }
        if (parts.length >= 3 && parts[1].equals("function")) {
            return parts[2];
        }
        return parts[0];
    }

    private static void serviceError(HttpExchange exchange, int status, String type, String message)
            throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        send(exchange, status, ("{\"Type\":\"User\",\"message\":\"" + message.replace("\"", "'") + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }
}
