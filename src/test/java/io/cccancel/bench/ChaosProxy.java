package io.cccancel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A pass-through HTTP proxy on 127.0.0.1 between one caller and one local service (the Cloud Control emulator or
 * the Lambda endpoint). Each call goes on to the service unless the plan of its RequestToken faults it: then it goes
 * to a server that answers every call with that fault (an emulator built for it, or a Lambda endpoint that
 * throttles everything), or, for a lost response, to the service, whose answer is then dropped. The caller sees
 * exactly the wire answers the emulator's and the endpoint's own faults give.
 */
final class ChaosProxy implements AutoCloseable {

    /** One call that went through: the channel and fault it was counted under, and the status sent back (0: none). */
    record Call(String requestToken, ChaosChannel channel, ChaosFault fault, int httpStatus) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers the HTTP client sets itself (or must not forward). */
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "date");
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final URI upstream;
    private final Function<HttpExchange, ChaosChannel> channels;
    private final ChaosScripts scripts;
    private final Map<ChaosFault, URI> faultServers;
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    private ChaosProxy(URI upstream, Function<HttpExchange, ChaosChannel> channels, ChaosScripts scripts,
                       Map<ChaosFault, URI> faultServers) throws IOException {
        this.upstream = upstream;
        this.channels = channels;
        this.scripts = scripts;
        this.faultServers = faultServers;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param channels     the channel a call belongs to (null: never faulted, not counted)
     * @param faultServers where a call with each fault is sent
     */
    static ChaosProxy start(URI upstream, Function<HttpExchange, ChaosChannel> channels, ChaosScripts scripts,
                            Map<ChaosFault, URI> faultServers) {
        try {
            return new ChaosProxy(upstream, channels, scripts, faultServers);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a chaos proxy: " + e.getMessage(), e);
        }
    }

    /** Cloud Control calls: the channel from the operation in X-Amz-Target. */
    static Function<HttpExchange, ChaosChannel> byOperation(Map<String, ChaosChannel> channelByOperation) {
        return exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            return target == null ? null : channelByOperation.get(target.substring(target.indexOf('.') + 1));
        };
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            ChaosChannel channel = channels.apply(exchange);
            String token = requestToken(body);
            ChaosFault fault = scripts.next(token, channel).fault();
            URI target = fault == null || fault == ChaosFault.LOST_RESPONSE ? upstream : faultServers.get(fault);
            HttpResponse<byte[]> response;
            try {
                response = forward(exchange, target, body);
            } catch (IOException e) {
                record(token, channel, fault, 0); // the server dropped the connection: so does the proxy
                return;
            }
            if (fault == ChaosFault.LOST_RESPONSE) {
                record(token, channel, fault, 0); // it took effect; the caller never hears of it
                return;
            }
            record(token, channel, fault, response.statusCode());
            relay(exchange, response);
        } catch (IOException e) {
            // the caller went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Recorded before the answer goes out: once a caller has its answer, the log shows the call. */
    private void record(String token, ChaosChannel channel, ChaosFault fault, int httpStatus) {
        if (channel != null) {
            calls.add(new Call(token, channel, fault, httpStatus));
        }
    }

    private static HttpResponse<byte[]> forward(HttpExchange exchange, URI target, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(60));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
            }
        });
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                headers.put(name, values);
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    /** The call's RequestToken: a Cloud Control input member, or the function's event field. */
    private static String requestToken(byte[] body) {
        try {
            JsonNode token = JSON.readTree(body).path("RequestToken");
            return token.isTextual() ? token.asText() : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }
}
