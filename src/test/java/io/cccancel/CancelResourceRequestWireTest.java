package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Fault;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.ManualClock;
import io.cccancel.emulator.NotCancellableAnswer;
import io.cccancel.emulator.RetryAfterPolicy;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.errors.ConcurrentModificationException;
import io.cccancel.errors.RequestRejectedException;
import io.cccancel.errors.RequestTokenNotFoundException;
import io.cccancel.errors.ServiceUnavailableException;
import io.cccancel.errors.ThrottlingException;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every outcome of the function on the wire: the real handler, the real SDK client built by DependencyFactory
 * (URLConnection HTTP client, SigV4, the SDK's standard retries) and the emulator. Each test asserts the output or
 * the error type, and the API calls Cloud Control received, in order.
 */
class CancelResourceRequestWireTest {

    static final String TYPE = "AWS::RDS::DBInstance";
    static final String PASSWORD = "s3cr3t-Passw0rd";

    static final ManualClock CLOCK = ManualClock.startingNow();
    static CloudControlEmulator emulator;
    static CancelResourceRequestHandler handler;
    static CancelResourceRequestHandler handlerWithResourceModel;

    @BeforeAll
    static void start() {
        emulator = CloudControlEmulator.start(CLOCK);
        // The SDK's standard per-service endpoint override, as AWS_ENDPOINT_URL_CLOUDCONTROL would set it.
        System.setProperty("aws.endpointUrlCloudControl", emulator.endpoint().toString());
        DependencyFactory.Timeouts shortTimeouts =
                new DependencyFactory.Timeouts(Duration.ofMillis(800), Duration.ofSeconds(10));
        handler = new CancelResourceRequestHandler(
                new SdkCloudControl(DependencyFactory.cloudControlClient(shortTimeouts)), false);
        handlerWithResourceModel = new CancelResourceRequestHandler(
                new SdkCloudControl(DependencyFactory.cloudControlClient(shortTimeouts)), true);
        System.clearProperty("aws.endpointUrlCloudControl");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
    }

    static String seed(Lifecycle lifecycle) {
        String token = emulator.startRequest(SeedRequest.of("CREATE", TYPE, "db-1")
                .withResourceModel("{\"MasterUserPassword\":\"" + PASSWORD + "\"}")
                .withLifecycle(lifecycle));
        CLOCK.advance(Duration.ofSeconds(2)); // past PENDING: IN_PROGRESS
        emulator.clearCalls();
        return token;
    }

    static String seed() {
        return seed(Lifecycle.DEFAULT.withInProgress(Duration.ofMinutes(30)));
    }

    static String invoke(CancelResourceRequestHandler h, String token) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(("{\"RequestToken\":\"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8)), out, new TestContext());
        return out.toString(StandardCharsets.UTF_8);
    }

    static String invoke(String token) throws Exception {
        return invoke(handler, token);
    }

    static List<String> calls() {
        return emulator.calls().stream().map(CallRecord::operation).toList();
    }

    static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void cancelsAnInProgressRequestWithOneCall() throws Exception {
        String token = seed();

        String output = invoke(token);

        assertTrue(output.startsWith("{\"ProgressEvent\":{"), output);
        assertEquals("CANCEL_IN_PROGRESS", field(output, "OperationStatus"));
        assertEquals(token, field(output, "RequestToken"));
        assertEquals(TYPE, field(output, "TypeName"));
        assertEquals("db-1", field(output, "Identifier"));
        assertEquals("CREATE", field(output, "Operation"));
        assertTrue(field(output, "EventTime").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), output);
        assertTrue(field(output, "RetryAfter").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), output);
        assertFalse(output.contains("null"), "absent fields are omitted, never null: " + output);
        assertFalse(output.contains("ResourceModel") || output.contains(PASSWORD), output);
        assertEquals(List.of("CancelResourceRequest"), calls());
        assertEquals(1, emulator.acceptedCancels(token));
        assertEquals("CANCEL_IN_PROGRESS", emulator.operationStatus(token));
    }

    @Test
    void hooksRequestTokenComesThroughWhenCloudControlSendsOne() throws Exception {
        // A resource type with Hooks (CloudFormation Hooks): every event names the Hooks' own request token.
        String hooks = "5f1d9a9e-hooks-0c2b-4e7e-9a1d0b6f3c21";
        String token = emulator.startRequest(SeedRequest.of("UPDATE", TYPE, "db-2").withHooksRequestToken(hooks)
                .withLifecycle(Lifecycle.DEFAULT.withPending(Duration.ZERO)));
        emulator.clearCalls();

        String output = invoke(token);

        assertEquals("CANCEL_IN_PROGRESS", field(output, "OperationStatus"));
        assertEquals(hooks, field(output, "HooksRequestToken"));
        assertEquals(List.of("CancelResourceRequest"), calls());
    }

    @Test
    void resourceModelIsReturnedOnlyWhenConfigured() throws Exception {
        String output = invoke(handlerWithResourceModel, seed());

        assertTrue(output.contains("\"ResourceModel\":\"{\\\"MasterUserPassword\\\":\\\"" + PASSWORD + "\\\"}\""), output);
    }

    @Test
    void retryAfterIsOmittedWhenCloudControlOmitsIt() throws Exception {
        String output = invoke(seed(Lifecycle.DEFAULT.withInProgress(Duration.ofMinutes(30))
                .withRetryAfter(RetryAfterPolicy.never())));

        assertEquals("CANCEL_IN_PROGRESS", field(output, "OperationStatus"));
        assertFalse(output.contains("RetryAfter"), output);
    }

    @Test
    void aSecondInvocationIsHarmlessWhenCloudControlRefusesTheCancel() throws Exception {
        emulator.notCancellableAnswer(NotCancellableAnswer.DEFAULT); // InvalidRequestException
        String token = seed();
        invoke(token);

        String second = invoke(token);

        assertEquals("CANCEL_IN_PROGRESS", field(second, "OperationStatus"));
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest", "GetResourceRequestStatus"), calls());
        assertEquals(1, emulator.acceptedCancels(token), "cancelled exactly once");
    }

    @Test
    void aSecondInvocationIsHarmlessWhenCloudControlRefusesWithTheModelledConcurrentModification() throws Exception {
        // The one refusal CancelResourceRequest's model lists besides an unknown token. A 500, so the SDK tries it 3
        // times before the status read explains it: 2 calls more than a 4xx refusal costs, and the same answer.
        emulator.notCancellableAnswer(NotCancellableAnswer.error("ConcurrentModificationException"));
        String token = seed();
        invoke(token);

        String second = invoke(token);

        assertEquals("CANCEL_IN_PROGRESS", field(second, "OperationStatus"));
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest", "CancelResourceRequest",
                "CancelResourceRequest", "GetResourceRequestStatus"), calls());
        assertEquals(1, emulator.acceptedCancels(token), "cancelled exactly once");
    }

    @Test
    void aSecondInvocationIsHarmlessWhenCloudControlAnswersTheCurrentEvent() throws Exception {
        emulator.notCancellableAnswer(NotCancellableAnswer.currentEvent());
        String token = seed();
        invoke(token);
        CLOCK.advance(Duration.ofMinutes(1)); // the cancel completes

        String second = invoke(token);

        assertEquals("CANCEL_COMPLETE", field(second, "OperationStatus"));
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest"), calls());
    }

    @Test
    void alreadyCancelCompleteReturnsTheCurrentEvent() throws Exception {
        String token = seed();
        invoke(token);
        CLOCK.advance(Duration.ofMinutes(1));
        emulator.clearCalls();

        String output = invoke(token);

        assertEquals("CANCEL_COMPLETE", field(output, "OperationStatus"));
        assertFalse(output.contains("RetryAfter"), "a finished request carries no RetryAfter: " + output);
        assertEquals(List.of("CancelResourceRequest", "GetResourceRequestStatus"), calls());
    }

    @Test
    void alreadySucceededIsReturnedNotFailed() throws Exception {
        String token = seed(Lifecycle.DEFAULT.withInProgress(Duration.ofSeconds(10)));
        CLOCK.advance(Duration.ofMinutes(1));

        String output = invoke(token);

        assertEquals("SUCCESS", field(output, "OperationStatus"));
        assertEquals(List.of("CancelResourceRequest", "GetResourceRequestStatus"), calls());
        assertEquals(0, emulator.acceptedCancels(token));
    }

    @Test
    void alreadyFailedIsReturnedWithItsErrorCode() throws Exception {
        String token = seed(Lifecycle.DEFAULT.withInProgress(Duration.ofSeconds(10))
                .failingWith("NotStabilized", "Resource did not stabilize"));
        CLOCK.advance(Duration.ofMinutes(1));

        String output = invoke(token);

        assertEquals("FAILED", field(output, "OperationStatus"));
        assertEquals("NotStabilized", field(output, "ErrorCode"));
        assertEquals("Resource did not stabilize", field(output, "StatusMessage"));
    }

    @Test
    void unknownTokenIsRequestTokenNotFound() {
        RequestTokenNotFoundException e = assertThrows(RequestTokenNotFoundException.class,
                () -> invoke("0f0b1e0d-0000-4000-8000-000000000000"));

        assertTrue(e.getMessage().contains("0f0b1e0d-0000-4000-8000-000000000000"), e.getMessage());
        assertEquals(List.of("CancelResourceRequest"), calls());
    }

    @Test
    void throttlingAbsorbedByTheSdkRetries() throws Exception {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, 2, Fault.throttling());

        assertEquals("CANCEL_IN_PROGRESS", field(invoke(token), "OperationStatus"));
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest", "CancelResourceRequest"), calls());
    }

    @Test
    void throttlingPastTheSdkRetriesIsThrottlingException() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, 3, Fault.throttling());

        assertThrows(ThrottlingException.class, () -> invoke(token));
        assertEquals(3, calls().size(), "the SDK's standard mode: 3 attempts");
        assertEquals(0, emulator.acceptedCancels(token));
    }

    @Test
    void concurrentModificationIsExplainedFromTheStatusThenRethrown() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, 3, Fault.concurrentModification());

        assertThrows(ConcurrentModificationException.class, () -> invoke(token));
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest", "CancelResourceRequest",
                "GetResourceRequestStatus"), calls());
    }

    @Test
    void serverErrorsPastTheSdkRetriesAreServiceUnavailable() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.serviceInternalError(),
                Fault.serviceUnavailable(), Fault.serviceInternalError());

        ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> invoke(token));
        assertTrue(e.getMessage().contains("ServiceInternalErrorException"), e.getMessage());
        // Then the status decides: still IN_PROGRESS, so the cancel's own error, which is retryable, goes back.
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest", "CancelResourceRequest",
                "GetResourceRequestStatus"), calls());
    }

    @ParameterizedTest(name = "{0}, HTTP {1}")
    @CsvSource({"RequestTimeoutException, 400", "RequestTimeout, 408", "PriorRequestNotComplete, 400",
            "RequestTimeTooSkewed, 403", "RequestExpired, 400", "RequestInTheFuture, 403"})
    void transientClientErrorsPastTheSdkRetriesAreServiceUnavailable(String errorType, int status) {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, 3, Fault.error(errorType, status));

        ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> invoke(token));
        assertTrue(e.retryable() && e.getMessage().contains(errorType), e.getMessage());
        assertEquals(0, emulator.acceptedCancels(token));
    }

    @Test
    void theRetryModeIsTheSdksOwnSettingWhenOneIsGiven() {
        // aws.retryMode is the system property of AWS_RETRY_MODE: LEGACY makes 4 attempts where STANDARD makes 3.
        System.setProperty("aws.endpointUrlCloudControl", emulator.endpoint().toString());
        System.setProperty("aws.retryMode", "legacy");
        CancelResourceRequestHandler legacy;
        try {
            legacy = new CancelResourceRequestHandler(new SdkCloudControl(DependencyFactory.cloudControlClient(
                    new DependencyFactory.Timeouts(Duration.ofMillis(800), Duration.ofSeconds(10)))), false);
        } finally {
            System.clearProperty("aws.retryMode");
            System.clearProperty("aws.endpointUrlCloudControl");
        }
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, 4, Fault.serviceUnavailable());

        assertThrows(ServiceUnavailableException.class, () -> invoke(legacy, token));
        assertEquals(4, calls().stream().filter("CancelResourceRequest"::equals).count(), "LEGACY: 4 attempts");
    }

    @Test
    void droppedConnectionsAreServiceUnavailable() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, 3, Fault.dropConnection());

        assertThrows(ServiceUnavailableException.class, () -> invoke(token));
        assertEquals(List.of("CancelResourceRequest", "CancelResourceRequest", "CancelResourceRequest",
                "GetResourceRequestStatus"), calls());
    }

    @Test
    void aSlowAnswerIsRetriedAfterTheAttemptTimeout() throws Exception {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.delay(Duration.ofSeconds(2)));

        assertEquals("CANCEL_IN_PROGRESS", field(invoke(token), "OperationStatus"));
        // The abandoned slow attempt is logged when the emulator finishes its delay: wait for it, bounded.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (calls().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(2, calls().size(), "the slow attempt timed out and the SDK retried");
        assertEquals(1, emulator.acceptedCancels(token));
    }

    @Test
    void aServerErrorForARequestAlreadyCancelledIsDecidedFromTheStatus() throws Exception {
        // What AWS answers a cancel of a request that is no longer cancellable is undocumented; a 5xx must not fail
        // an invoke whose request is in fact cancelled.
        String token = seed();
        invoke(token); // the cancel is accepted
        emulator.faultNext(ApiOperation.CancelResourceRequest, 3, Fault.error("HandlerInternalFailureException"));

        String output = invoke(token);

        assertEquals("CANCEL_IN_PROGRESS", field(output, "OperationStatus"));
        assertEquals("GetResourceRequestStatus", calls().getLast());
    }

    @Test
    void anAnswerWithoutAProgressEventIsServiceUnavailable() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.answer("{}"));
        emulator.faultNext(ApiOperation.GetResourceRequestStatus, Fault.answer("{}"));

        ServiceUnavailableException e = assertThrows(ServiceUnavailableException.class, () -> invoke(token));
        assertTrue(e.getMessage().contains("answered without a ProgressEvent"), e.getMessage());
        assertEquals(0, emulator.acceptedCancels(token));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ConcurrentOperationException", "ResourceConflictException"})
    void aBusy409IsAConcurrentModificationAndStaysRetryable(String errorType) {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.error(errorType, 409));

        ConcurrentModificationException e = assertThrows(ConcurrentModificationException.class, () -> invoke(token));
        assertTrue(e.retryable() && e.getMessage().contains(errorType), e.getMessage());
        // Then the status decides: still in progress, so the cancel's own (retryable) error goes back.
        assertEquals(List.of("CancelResourceRequest", "GetResourceRequestStatus"), calls());
    }

    @Test
    void anExpiredTokenSaysTheCredentialsHadExpired() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.error("ExpiredTokenException", 400));

        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> invoke(token));
        assertTrue(e.getMessage().contains("credentials had expired"), e.getMessage());
    }

    @Test
    void aBare401NamesTheCredentialsNotANullMessage() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.bareStatus(401));

        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> invoke(token));
        assertTrue(e.getMessage().contains("HTTP 401 (no message)") && e.getMessage().contains("credentials")
                && !e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void accessDeniedIsRejectedAndNotRetried() {
        String token = seed();
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.accessDenied());

        RequestRejectedException e = assertThrows(RequestRejectedException.class, () -> invoke(token));
        assertTrue(e.getMessage().contains("AccessDeniedException")
                && e.getMessage().contains("cloudformation:CancelResourceRequest"), e.getMessage());
        assertEquals(List.of("CancelResourceRequest", "GetResourceRequestStatus"), calls());
    }
}
