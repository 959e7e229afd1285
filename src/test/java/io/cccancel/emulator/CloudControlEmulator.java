package io.cccancel.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cccancel.Json;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.emulator.Wire.ApiError;
import io.cccancel.emulator.Wire.Input;
import io.cccancel.testing.CommandLine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClientBuilder;

/**
 * A local AWS Cloud Control API: a real HTTP/1.1 server on 127.0.0.1 speaking AWS JSON 1.0 (the wire format the SDK,
 * the AWS CLI and Step Functions' SDK integration use), with resource requests whose status follows a
 * {@link Lifecycle} on a controllable {@link Clock}, scripted and random {@link Fault}s, an optional rate limit, a
 * call log, and ground truth for assertions.
 *
 * <pre>
 *   try (CloudControlEmulator emulator = CloudControlEmulator.start();        // ManualClock, random port
 *        CloudControlClient client = emulator.newClientWithoutRetries()) {
 *       String token = emulator.startRequest("DELETE", "AWS::S3::Bucket", "my-bucket");
 *       client.cancelResourceRequest(r -> r.requestToken(token));             // CANCEL_IN_PROGRESS
 *       emulator.advanceClock(Duration.ofSeconds(5));                         // Lifecycle.DEFAULT: cancel takes 5 s
 *       assertEquals("CANCEL_COMPLETE", emulator.operationStatus(token));
 *       assertEquals(1, emulator.acceptedCancels(token));
 *   }
 * </pre>
 *
 * Everything is thread-safe. Statuses are computed from the clock whenever a request is read, so nothing needs to
 * sleep. Standalone: {@code java ... io.cccancel.emulator.CloudControlEmulator --port 4566} (see {@link #main}).
 */
public final class CloudControlEmulator implements AutoCloseable {

    /** Requests are gone (RequestTokenNotFoundException, not listed) this long after they started. */
    public static final Duration REQUEST_RETENTION = Duration.ofDays(7);
    /** A ClientToken returns the same request for this long (the API reference: 36 hours). */
    public static final Duration CLIENT_TOKEN_VALIDITY = Duration.ofHours(36);
    public static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    static final String TARGET_PREFIX = "CloudApiService.";
    private static final String NEXT_TOKEN_PREFIX = "emulator-v1:";
    /** The {@link #callCounts()} key for calls that had no X-Amz-Target header. */
    public static final String NO_TARGET = "(no X-Amz-Target)";

    static {
        // Headers and body go out in separate writes: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms a call.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Clock clock;

    private final AtomicLong requestSequence = new AtomicLong();
    private final ConcurrentSkipListMap<Long, ResourceRequest> requestsInOrder = new ConcurrentSkipListMap<>();
    private final ConcurrentHashMap<String, ResourceRequest> requestsByToken = new ConcurrentHashMap<>();
    private final Map<String, ResourceRequest> requestsByClientToken = new ConcurrentHashMap<>();
    /** The last known ResourceModel per TypeName|Identifier, shown by UPDATE requests. */
    private final Map<String, String> resourceModels = new ConcurrentHashMap<>();

    private volatile Lifecycle defaultLifecycle = Lifecycle.DEFAULT;
    private volatile NotCancellableAnswer notCancellableAnswer = NotCancellableAnswer.DEFAULT;
    private volatile boolean offsetNextTokens;
    private final Map<ApiOperation, ConcurrentLinkedQueue<Fault>> scriptedFaults = new EnumMap<>(ApiOperation.class);
    private volatile ChaosSchedule chaos;
    private volatile TokenBucket rateLimit;

    private final AtomicLong callSequence = new AtomicLong();
    private final ConcurrentLinkedQueue<CallRecord> callLog = new ConcurrentLinkedQueue<>();
    private final Map<String, LongAdder> callCounts = new ConcurrentHashMap<>();

    private CloudControlEmulator(int port, Clock clock) throws IOException {
        this.clock = clock;
        for (ApiOperation operation : ApiOperation.values()) {
            scriptedFaults.put(operation, new ConcurrentLinkedQueue<>());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    // ---------------------------------------------------------------------------------------------- server

    /** Starts on a random port with a {@link ManualClock} stopped at the current time (what tests want). */
    public static CloudControlEmulator start() {
        return start(0, ManualClock.startingNow());
    }

    /** Starts on a random port with this clock ({@code Clock.systemUTC()} for interactive runs). */
    public static CloudControlEmulator start(Clock clock) {
        return start(0, clock);
    }

    /** Starts on this port (0: a random free one) with this clock. */
    public static CloudControlEmulator start(int port, Clock clock) {
        try {
            return new CloudControlEmulator(port, clock);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the SDK's endpointOverride, the CLI's --endpoint-url, AWS_ENDPOINT_URL_CLOUDCONTROL. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening at once; calls in flight are cut off. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * A real SDK client for this emulator: us-east-1, static dummy credentials, the URLConnection HTTP client, the
     * SDK's standard retries. The customizer can change anything (timeouts, retry strategy).
     */
    public CloudControlClient newClient(Consumer<CloudControlClientBuilder> customizer) {
        CloudControlClientBuilder builder = CloudControlClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEMULATOR", "emulator-secret")))
                .httpClient(UrlConnectionHttpClient.create());
        customizer.accept(builder);
        return builder.build();
    }

    public CloudControlClient newClient() {
        return newClient(builder -> {
        });
    }

    /** A client that makes exactly one attempt per call, for tests that count calls. */
    public CloudControlClient newClientWithoutRetries() {
        return newClient(builder -> builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));
    }

    // ---------------------------------------------------------------------------------------------- clock

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** Moves a {@link ManualClock} forward; fails when the emulator runs on another clock. */
    public Instant advanceClock(Duration by) {
        if (!(clock instanceof ManualClock manual)) {
            throw new IllegalStateException("the emulator runs on " + clock + ", not a ManualClock");
        }
        return manual.advance(by);
    }

    // ---------------------------------------------------------------------------------------------- requests

    /** The lifecycle of requests started through the API (CreateResource, UpdateResource, DeleteResource). */
    public void defaultLifecycle(Lifecycle lifecycle) {
        this.defaultLifecycle = lifecycle;
    }

    public Lifecycle defaultLifecycle() {
        return defaultLifecycle;
    }

    /** Starts a request with the default lifecycle, now; returns its RequestToken. */
    public String startRequest(String operation, String typeName, String identifier) {
        return startRequest(SeedRequest.of(operation, typeName, identifier));
    }

    /** Starts a request with this lifecycle, now; returns its RequestToken. */
    public String startRequest(String operation, String typeName, String identifier, Lifecycle lifecycle) {
        return startRequest(SeedRequest.of(operation, typeName, identifier).withLifecycle(lifecycle));
    }

    /** Starts a request as described; returns its RequestToken. */
    public String startRequest(SeedRequest seed) {
        String token = seed.requestToken() != null ? seed.requestToken() : UUID.randomUUID().toString();
        if (!Wire.TOKEN.matcher(token).matches() || token.length() > 128) {
            throw new IllegalArgumentException("not a valid RequestToken: " + token);
        }
        ResourceRequest request = new ResourceRequest(requestSequence.incrementAndGet(), token, seed.operation(),
                seed.typeName(), seed.identifier(), false, seed.resourceModel(), null,
                seed.lifecycle() != null ? seed.lifecycle() : defaultLifecycle,
                seed.startedAt() != null ? seed.startedAt() : clock.instant(), seed.hooksRequestToken());
        if (requestsByToken.putIfAbsent(token, request) != null) {
            throw new IllegalArgumentException("RequestToken already in use: " + token);
        }
        requestsInOrder.put(request.sequence, request);
        return token;
    }

    /**
     * Starts {@code count} requests like {@code template} (which must not name a RequestToken); a template
     * identifier gets "-1", "-2"... appended. Returns their tokens in start order.
     */
    public List<String> seedRequests(int count, SeedRequest template) {
        if (template.requestToken() != null) {
            throw new IllegalArgumentException("a bulk-seed template cannot name a RequestToken");
        }
        List<String> tokens = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String identifier = template.identifier() == null ? null : template.identifier() + "-" + i;
            tokens.add(startRequest(new SeedRequest(template.operation(), template.typeName(), identifier,
                    template.resourceModel(), template.lifecycle(), template.startedAt(), null,
                    template.hooksRequestToken())));
        }
        return tokens;
    }

    /** What CancelResourceRequest answers for a request that is no longer PENDING or IN_PROGRESS. */
    public void notCancellableAnswer(NotCancellableAnswer answer) {
        this.notCancellableAnswer = answer;
    }

    /**
     * What ListResourceRequests' NextToken means is not documented. By default it is a position (the last request
     * listed), so pages never shift. With offsets it counts the matching requests already listed, as many APIs do:
     * when requests leave the filter between pages (cancelled ones leave PENDING/IN_PROGRESS), as many requests as
     * left are skipped.
     */
    public void offsetNextTokens(boolean offsets) {
        this.offsetNextTokens = offsets;
    }

    // ---------------------------------------------------------------------------------------------- ground truth

    /** The request's ProgressEvent as the API would return it now (expired requests included); not logged. */
    public ProgressEvent progressEvent(String requestToken) {
        return known(requestToken).peekEvent(clock.instant());
    }

    /** The request's OperationStatus now. */
    public String operationStatus(String requestToken) {
        return known(requestToken).stateAt(clock.instant()).operationStatus();
    }

    /** How many cancels moved this request to CANCEL_IN_PROGRESS (answers to finished requests do not count). */
    public int acceptedCancels(String requestToken) {
        return known(requestToken).acceptedCancels();
    }

    /** Accepted cancels over all requests. */
    public int totalAcceptedCancels() {
        return requestsInOrder.values().stream().mapToInt(ResourceRequest::acceptedCancels).sum();
    }

    /** Every request's ProgressEvent now, in start order (expired ones included). */
    public List<ProgressEvent> requests() {
        Instant now = clock.instant();
        return requestsInOrder.values().stream().map(r -> r.peekEvent(now)).toList();
    }

    /** Every RequestToken, in start order. */
    public List<String> requestTokens() {
        return requestsInOrder.values().stream().map(r -> r.requestToken).toList();
    }

    private ResourceRequest known(String requestToken) {
        ResourceRequest request = requestsByToken.get(requestToken);
        if (request == null) {
            throw new NoSuchElementException("the emulator has no request with RequestToken " + requestToken);
        }
        return request;
    }

    // ---------------------------------------------------------------------------------------------- faults

    /** The next {@code times} calls of this operation get this fault (after any already queued). */
    public void faultNext(ApiOperation operation, int times, Fault fault) {
        for (int i = 0; i < times; i++) {
            scriptedFaults.get(operation).add(fault);
        }
    }

    /** The next calls of this operation get these faults, one each, in order (after any already queued). */
    public void faultNext(ApiOperation operation, Fault... faults) {
        scriptedFaults.get(operation).addAll(List.of(faults));
    }

    /** Scripted faults not yet consumed for this operation. */
    public int pendingFaults(ApiOperation operation) {
        return scriptedFaults.get(operation).size();
    }

    public void clearFaults() {
        scriptedFaults.values().forEach(ConcurrentLinkedQueue::clear);
    }

    /** Random faults for calls that have no scripted fault; null turns them off. */
    public void chaos(ChaosSchedule schedule) {
        this.chaos = schedule;
    }

    /**
     * A global token bucket (real time): past it, calls get ThrottlingException "Rate exceeded". Checked before
     * scripted and random faults.
     */
    public void rateLimit(double requestsPerSecond, int burst) {
        this.rateLimit = new TokenBucket(requestsPerSecond, burst);
    }

    public void clearRateLimit() {
        this.rateLimit = null;
    }

    // ---------------------------------------------------------------------------------------------- call log

    /** Every call so far, in arrival order. */
    public List<CallRecord> calls() {
        return callLog.stream().sorted(Comparator.comparingLong(CallRecord::sequence)).toList();
    }

    /** The calls of one operation, in arrival order. */
    public List<CallRecord> calls(ApiOperation operation) {
        return calls().stream().filter(c -> operation.name().equals(c.operation())).toList();
    }

    /** How many calls of this operation arrived (whatever their answer). */
    public long callCount(ApiOperation operation) {
        LongAdder count = callCounts.get(operation.name());
        return count == null ? 0 : count.sum();
    }

    /** Calls per operation name, sorted by name. */
    public Map<String, Long> callCounts() {
        Map<String, Long> counts = new TreeMap<>();
        callCounts.forEach((operation, count) -> counts.put(operation, count.sum()));
        return counts;
    }

    /** Empties the call log and the counters. */
    public void clearCalls() {
        callLog.clear();
        callCounts.clear();
    }

    /** Back to a fresh emulator on the same port and clock: no requests, faults, rate limit or calls; defaults. */
    public void reset() {
        requestsInOrder.clear();
        requestsByToken.clear();
        requestsByClientToken.clear();
        resourceModels.clear();
        defaultLifecycle = Lifecycle.DEFAULT;
        notCancellableAnswer = NotCancellableAnswer.DEFAULT;
        offsetNextTokens = false;
        clearFaults();
        chaos = null;
        rateLimit = null;
        clearCalls();
    }

    // ---------------------------------------------------------------------------------------------- HTTP

    /** What one call is answered with. */
    private sealed interface Reply {
    }

    private record JsonReply(int httpStatus, String errorType, String body) implements Reply {
    }

    private record BareReply(int httpStatus) implements Reply {
    }

    private record DropReply() implements Reply {
    }

    /** What the call log needs to know about one call, filled in while it is handled. */
    private static final class CallFacts {
        String requestToken;
        Fault fault;
    }

    private void handle(HttpExchange exchange) {
        long sequence = callSequence.incrementAndGet();
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        ApiOperation operation = ApiOperation.fromTarget(target);
        String operationName = operation != null ? operation.name()
                : target != null && target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
        CallFacts facts = new CallFacts();
        try (exchange) {
            byte[] body;
            try {
                body = exchange.getRequestBody().readAllBytes();
            } catch (IOException e) {
                log(sequence, operationName, facts, 0, System.nanoTime()); // the client went away mid-request
                return;
            }
            // The emulator's own overhead starts here: before this it is waiting for the client's bytes.
            long started = System.nanoTime();
            Reply reply;
            try {
                reply = reply(exchange, operation, body, facts);
            } catch (RuntimeException e) {
                reply = new JsonReply(500, "InternalFailure", Wire.error("InternalFailure", "emulator bug: " + e));
            }
            // Logged before the answer goes out: once a client has its answer, the log already shows the call.
            log(sequence, operationName, facts, switch (reply) {
                case JsonReply json -> json.httpStatus();
                case BareReply bare -> bare.httpStatus();
                case DropReply drop -> 0;
            }, started);
            send(exchange, reply);
        } catch (IOException e) {
            // The client went away before the answer was written; it is logged already.
        }
    }

    private void log(long sequence, String operationName, CallFacts facts, int httpStatus, long started) {
        callCounts.computeIfAbsent(operationName == null ? NO_TARGET : operationName, k -> new LongAdder()).increment();
        callLog.add(new CallRecord(sequence, operationName, facts.requestToken, facts.fault, httpStatus,
                System.nanoTime() - started));
    }

    private Reply reply(HttpExchange exchange, ApiOperation operation, byte[] body, CallFacts facts) {
        try {
            if (operation == null || !"POST".equals(exchange.getRequestMethod())) {
                throw new ApiError("UnknownOperationException", "Unknown operation: X-Amz-Target "
                        + exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            }
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                throw new ApiError("MissingAuthenticationTokenException", "Missing Authentication Token");
            }
            Input input = Input.parse(body);
            facts.requestToken = input.peekString("RequestToken");
            Fault fault = nextFault(operation);
            facts.fault = fault;
            switch (fault) {
                case null -> {
                }
                case Fault.DropConnection drop -> {
                    return new DropReply();
                }
                case Fault.BareStatus bare -> {
                    return new BareReply(bare.httpStatus());
                }
                case Fault.Answer answer -> {
                    return new JsonReply(200, null, answer.body());
                }
                case Fault.Error error -> throw new ApiError(error.type(), error.httpStatus(),
                        error.message() != null ? error.message() : faultMessage(error.type(), facts.requestToken));
                case Fault.Delay delay -> sleep(delay.delay());
            }
            String output = switch (operation) {
                case CreateResource -> createResource(input, facts);
                case UpdateResource -> updateResource(input, facts);
                case DeleteResource -> deleteResource(input, facts);
                case CancelResourceRequest -> cancelResourceRequest(input);
                case GetResourceRequestStatus -> getResourceRequestStatus(input);
                case ListResourceRequests -> listResourceRequests(input);
            };
            return new JsonReply(200, null, output);
        } catch (ApiError e) {
            return new JsonReply(e.httpStatus, e.type, Wire.error(e.type, e.getMessage()));
        }
    }

    private Fault nextFault(ApiOperation operation) {
        TokenBucket bucket = rateLimit;
        if (bucket != null && !bucket.tryAcquire()) {
            return Fault.throttling();
        }
        Fault scripted = scriptedFaults.get(operation).poll();
        if (scripted != null) {
            return scripted;
        }
        ChaosSchedule schedule = chaos;
        return schedule == null ? null : schedule.draw(operation);
    }

    private static String faultMessage(String errorType, String requestToken) {
        if (errorType.equals("RequestTokenNotFoundException") && requestToken != null) {
            return "Request with token " + requestToken + " was not found";
        }
        return errorType.replaceFirst("Exception$", "") + " (injected by the emulator)";
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        switch (reply) {
            case DropReply drop -> {
                // Closing the exchange before any header is sent closes the connection: no response at all.
            }
            case BareReply bare -> {
                headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
                exchange.sendResponseHeaders(bare.httpStatus(), -1);
            }
            case JsonReply json -> {
                headers.set("x-amzn-RequestId", UUID.randomUUID().toString());
                headers.set("Content-Type", CONTENT_TYPE);
                if (json.errorType() != null) {
                    headers.set("x-amzn-ErrorType", json.errorType());
                }
                byte[] bytes = json.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(json.httpStatus(), bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- operations

    private String createResource(Input input, CallFacts facts) {
        String typeName = input.string("TypeName", true, 10, 196, Wire.TYPE_NAME);
        String desiredState = input.string("DesiredState", true, 1, 262_144, Wire.ANY, true);
        String clientToken = commonStartMembers(input);
        input.check();
        return startFromApi("CREATE", typeName, null, desiredState, clientToken, facts);
    }

    private String updateResource(Input input, CallFacts facts) {
        String typeName = input.string("TypeName", true, 10, 196, Wire.TYPE_NAME);
        String identifier = input.string("Identifier", true, 1, 1024, Wire.IDENTIFIER);
        input.string("PatchDocument", true, 1, 262_144, Wire.ANY, true);
        String clientToken = commonStartMembers(input);
        input.check();
        return startFromApi("UPDATE", typeName, identifier, resourceModels.get(typeName + "|" + identifier),
                clientToken, facts);
    }

    private String deleteResource(Input input, CallFacts facts) {
        String typeName = input.string("TypeName", true, 10, 196, Wire.TYPE_NAME);
        String identifier = input.string("Identifier", true, 1, 1024, Wire.IDENTIFIER);
        String clientToken = commonStartMembers(input);
        input.check();
        return startFromApi("DELETE", typeName, identifier, null, clientToken, facts);
    }

    /** ClientToken, RoleArn and TypeVersionId, which every start operation takes; returns the ClientToken. */
    private static String commonStartMembers(Input input) {
        input.string("RoleArn", false, 20, 2048, Wire.ROLE_ARN);
        input.string("TypeVersionId", false, 1, 128, Wire.TYPE_VERSION_ID);
        return input.string("ClientToken", false, 1, 128, Wire.TOKEN);
    }

    /** Starts a request, or returns the one this ClientToken already started (the API's idempotency). */
    private String startFromApi(String operation, String typeName, String identifier, String resourceModel,
                                String clientToken, CallFacts facts) {
        Instant now = clock.instant();
        synchronized (requestsByClientToken) {
            ResourceRequest existing = clientToken == null ? null : requestsByClientToken.get(clientToken);
            if (existing != null && !now.isAfter(existing.startedAt.plus(CLIENT_TOKEN_VALIDITY))) {
                if (!existing.operation.equals(operation) || !existing.typeName.equals(typeName)
                        || (identifier != null && !identifier.equals(existing.givenIdentifier()))) {
                    throw new ApiError("ClientTokenConflictException", "ClientToken " + clientToken
                            + " was already used for another request");
                }
                facts.requestToken = existing.requestToken;
                return Wire.progressEventOutput(existing.serveEvent(now));
            }
            long sequence = requestSequence.incrementAndGet();
            boolean create = operation.equals("CREATE");
            String id = create ? "emulated-" + sequence : identifier;
            ResourceRequest request = new ResourceRequest(sequence, UUID.randomUUID().toString(), operation, typeName,
                    id, create, resourceModel, clientToken, defaultLifecycle, now, null);
            requestsByToken.put(request.requestToken, request);
            requestsInOrder.put(sequence, request);
            if (clientToken != null) {
                requestsByClientToken.put(clientToken, request);
            }
            if (create) {
                resourceModels.put(typeName + "|" + id, resourceModel);
            }
            facts.requestToken = request.requestToken;
            return Wire.progressEventOutput(request.serveEvent(now));
        }
    }

    private String cancelResourceRequest(Input input) {
        Instant now = clock.instant();
        ResourceRequest request = live(requestToken(input), now);
        ProgressEvent accepted = request.cancel(now);
        if (accepted != null) {
            return Wire.progressEventOutput(accepted);
        }
        return switch (notCancellableAnswer) {
            case NotCancellableAnswer.Error error -> throw new ApiError(error.errorType(), error.httpStatus(),
                    "Resource request " + request.requestToken + " is " + request.stateAt(now).operationStatus()
                            + ": only PENDING or IN_PROGRESS requests can be cancelled");
            case NotCancellableAnswer.CurrentEvent current -> Wire.progressEventOutput(request.serveEvent(now));
        };
    }

    private String getResourceRequestStatus(Input input) {
        Instant now = clock.instant();
        return Wire.progressEventOutput(live(requestToken(input), now).serveEvent(now));
    }

    private String listResourceRequests(Input input) {
        Integer maxResults = input.integer("MaxResults", 1, 100);
        String nextToken = input.string("NextToken", false, 1, 2048, Wire.TOKEN);
        List<String> operations = input.enumList("ResourceRequestStatusFilter", "Operations", Wire.OPERATIONS);
        List<String> statuses = input.enumList("ResourceRequestStatusFilter", "OperationStatuses",
                Wire.OPERATION_STATUSES);
        input.check();
        int limit = maxResults == null ? 20 : maxResults;
        Instant now = clock.instant();
        Predicate<String> statusFilter = s -> statuses.isEmpty() || statuses.contains(s);
        if (offsetNextTokens) {
            return listByOffset(nextToken, limit, operations, statusFilter, now);
        }
        StringBuilder summaries = new StringBuilder("[");
        int listed = 0;
        long lastListed = 0;
        boolean more = false;
        for (ResourceRequest request : requestsInOrder.tailMap(afterSequence(nextToken), false).values()) {
            if (!listable(request, operations, now)) {
                continue;
            }
            if (listed == limit) {
                more = statusFilter.test(request.stateAt(now).operationStatus());
                if (more) {
                    break;
                }
                continue;
            }
            ProgressEvent event = request.serveEventIf(now, statusFilter);
            if (event != null) {
                summaries.append(listed == 0 ? "" : ",").append(Wire.progressEvent(event));
                listed++;
                lastListed = request.sequence;
            }
        }
        Json.Obj output = new Json.Obj().raw("ResourceRequestStatusSummaries", summaries.append(']').toString());
        if (more) {
            output.field("NextToken", Base64.getEncoder().encodeToString(
                    (NEXT_TOKEN_PREFIX + lastListed).getBytes(StandardCharsets.UTF_8)));
        }
        return output.close();
    }

    /** The same listing, its NextToken the number of matching requests before the next page (offsetNextTokens). */
    private String listByOffset(String nextToken, int limit, List<String> operations, Predicate<String> statusFilter,
                                Instant now) {
        long offset = afterSequence(nextToken);
        List<ResourceRequest> matching = requestsInOrder.values().stream()
                .filter(request -> listable(request, operations, now)
                        && statusFilter.test(request.stateAt(now).operationStatus()))
                .toList();
        int from = (int) Math.min(offset, matching.size());
        int to = Math.min(matching.size(), from + limit);
        StringBuilder summaries = new StringBuilder("[");
        for (int i = from; i < to; i++) {
            // Checked again as it is served: a cancel landing since the count leaves it out of this page.
            ProgressEvent event = matching.get(i).serveEventIf(now, statusFilter);
            if (event != null) {
                summaries.append(summaries.length() == 1 ? "" : ",").append(Wire.progressEvent(event));
            }
        }
        Json.Obj output = new Json.Obj().raw("ResourceRequestStatusSummaries", summaries.append(']').toString());
        if (to < matching.size()) {
            output.field("NextToken", Base64.getEncoder().encodeToString(
                    (NEXT_TOKEN_PREFIX + to).getBytes(StandardCharsets.UTF_8)));
        }
        return output.close();
    }

    /** Not expired, and of an operation the filter names (all of them when it names none). */
    private static boolean listable(ResourceRequest request, List<String> operations, Instant now) {
        return !request.expiredAt(now) && (operations.isEmpty() || operations.contains(request.operation));
    }

    /** NextToken is opaque to clients: base64 of the last listed request's position, so pages never shift. */
    private static long afterSequence(String nextToken) {
        if (nextToken == null) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(nextToken), StandardCharsets.UTF_8);
            if (decoded.startsWith(NEXT_TOKEN_PREFIX)) {
                return Long.parseLong(decoded.substring(NEXT_TOKEN_PREFIX.length()));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiError("InvalidRequestException", "The NextToken is not one this API returned");
    }

    private static String requestToken(Input input) {
        String token = input.string("RequestToken", true, 1, 128, Wire.TOKEN);
        input.check();
        return token;
    }

    /** The request, unless it is unknown or expired (both: RequestTokenNotFoundException). */
    private ResourceRequest live(String requestToken, Instant now) {
        ResourceRequest request = requestsByToken.get(requestToken);
        if (request == null || request.expiredAt(now)) {
            throw new ApiError("RequestTokenNotFoundException", "Request with token " + requestToken + " was not found");
        }
        return request;
    }

    /** A token bucket on real time: {@code burst} calls at once, refilled at {@code requestsPerSecond}. */
    private static final class TokenBucket {
        private final double requestsPerSecond;
        private final double burst;
        private double tokens;
        private long refilledAt = System.nanoTime();

        TokenBucket(double requestsPerSecond, int burst) {
            if (requestsPerSecond <= 0 || burst < 1) {
                throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
            }
            this.requestsPerSecond = requestsPerSecond;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized boolean tryAcquire() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * requestsPerSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------- standalone

    /**
     * {@code CloudControlEmulator [--port N] [--seed N]}: serves on 127.0.0.1:N (default 0, a random port) on the
     * system clock until killed, printing the endpoint first; {@code --seed N} starts N in-flight DELETE requests and
     * prints their tokens.
     */
    public static void main(String[] args) throws InterruptedException {
        Options options = CommandLine.parseOrExit("./dev emulator", " (usage: ./dev emulator [--port N] [--seed N])",
                () -> parseOptions(args));
        CloudControlEmulator emulator = start(options.port(), Clock.systemUTC());
        emulator.defaultLifecycle(Lifecycle.DEFAULT.withInProgress(Duration.ofMinutes(10)));
        Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
        System.out.println("Cloud Control emulator listening on " + emulator.endpoint());
        SeedRequest seeded = SeedRequest.of("DELETE", "AWS::S3::Bucket", "seeded-bucket");
        for (String token : emulator.seedRequests(options.seed(), seeded)) {
            System.out.println("seeded RequestToken " + token);
        }
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** {@code ./dev emulator}'s options: the port to serve on (0: any free one), the requests to start. */
    public record Options(int port, int seed) {
    }

    /** {@code --port N} (0..65535, 0: any free port) and {@code --seed N} (0..100,000 requests); bad ones named. */
    public static Options parseOptions(String[] args) {
        int port = 0;
        int seed = 0;
        CommandLine line = new CommandLine(args);
        while (line.hasNext()) {
            String option = line.option();
            switch (option) {
                case "--port" -> port = line.wholeNumber(option, 0, 65_535);
                case "--seed" -> seed = line.wholeNumber(option, 0, 100_000);
                default -> throw CommandLine.unknown(option);
            }
        }
        return new Options(port, seed);
    }
}
