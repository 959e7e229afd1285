package io.cccancel.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lambda's Runtime API (2018-06-01) on 127.0.0.1, for one execution environment: the real runtime interface client
 * polls {@code GET /runtime/invocation/next}, gets the events {@link #invoke} queues, and posts a response or an
 * error. Timestamps are taken here, as Lambda takes them: an invoke lasts from the event being handed to the runtime
 * to its answer arriving, and init from the process start to the first {@code next}.
 */
final class RuntimeApiServer implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    /** What became of one event: latency as Lambda's Runtime API measures it, and the runtime's answer. */
    record Invocation(String requestId, long deliveredNanos, long answeredNanos, boolean error, String errorType,
                      String body) {
        long nanos() {
            return answeredNanos - deliveredNanos;
        }
    }

    private record Pending(String requestId, byte[] event, CompletableFuture<Invocation> answer) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runtime-api");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Pending> events = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<Long> firstNext = new CompletableFuture<>();
    private final CompletableFuture<Long> restoreNext = new CompletableFuture<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    /** Complete: restore/next is answered at once. Else it waits for {@link #releaseRestore} (after a real restore). */
    private final CompletableFuture<Void> restoreGate = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<String, Long> deliveredAt = new ConcurrentHashMap<>();

    RuntimeApiServer() throws IOException {
        this(false);
    }

    /** @param holdRestore leave restore/next unanswered until {@link #releaseRestore}: the process is checkpointed there */
    RuntimeApiServer(boolean holdRestore) throws IOException {
        if (!holdRestore) {
            restoreGate.complete(null);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext(PREFIX, this::handle);
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues one event; the future completes when the runtime answers it. */
    CompletableFuture<Invocation> invoke(byte[] event) {
        Pending pending = new Pending("bench-" + ids.incrementAndGet(), event, new CompletableFuture<>());
        inFlight.put(pending.requestId(), pending);
        events.add(pending);
        return pending.answer();
    }

    /** System.nanoTime() of the runtime's first GET next: the end of init. Fails if the runtime reports an init error. */
    CompletableFuture<Long> firstNext() {
        return firstNext;
    }

    /** System.nanoTime() of GET restore/next: SnapStart's snapshot point, reached after the beforeCheckpoint hooks ran. */
    CompletableFuture<Long> restoreNext() {
        return restoreNext;
    }

    /** Answers the restore/next the runtime is waiting in: its process has been restored. */
    void releaseRestore() {
        restoreGate.complete(null);
    }

    CompletableFuture<String> initError() {
        return initError;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals("invocation/next")) {
                firstNext.complete(now);
                next(exchange);
            } else if (method.equals("GET") && path.equals("restore/next")) {
                restoreNext.complete(now);
                restoreGate.join();   // close() completes it too, so no handler thread is left waiting
                reply(exchange, 200, new byte[0]);
            } else if (method.equals("POST") && path.startsWith("invocation/")
                    && (path.endsWith("/response") || path.endsWith("/error"))) {
                answered(exchange, now, path);
            } else if (method.equals("POST") && (path.equals("init/error") || path.equals("restore/error"))) {
                String body = read(exchange.getRequestBody());
                reply(exchange, 202, new byte[0]);
                initError.complete(body);
                firstNext.completeExceptionally(new IllegalStateException("init failed: " + body));
            } else {
                reply(exchange, 404, new byte[0]);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Pending pending;
        try {
            pending = events.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + DEADLINE.toMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:" + ColdStartBenchmark.FUNCTION_NAME);
        headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
        deliveredAt.put(pending.requestId(), System.nanoTime());
        reply(exchange, 200, pending.event());
    }

    private void answered(HttpExchange exchange, long now, String path) throws IOException {
        boolean error = path.endsWith("/error");
        String requestId = path.substring("invocation/".length(), path.lastIndexOf('/'));
        String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        String body = read(exchange.getRequestBody());
        reply(exchange, 202, new byte[0]);
        Pending pending = inFlight.remove(requestId);
        if (pending != null) {
            pending.answer().complete(new Invocation(requestId, deliveredAt.remove(requestId), now, error, errorType, body));
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        restoreGate.complete(null);
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
