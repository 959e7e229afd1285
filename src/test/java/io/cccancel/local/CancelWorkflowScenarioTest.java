package io.cccancel.local;

import static io.cccancel.emulator.ApiOperation.CancelResourceRequest;
import static io.cccancel.emulator.ApiOperation.GetResourceRequestStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Fault;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.NotCancellableAnswer;
import io.cccancel.emulator.RetryAfterPolicy;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.local.ExecutionResult.Catch;
import io.cccancel.local.ExecutionResult.Retry;
import io.cccancel.local.ExecutionResult.Status;
import io.cccancel.local.LocalLambdaEndpoint.Invocation;
import io.cccancel.local.LocalLambdaEndpoint.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One named test per path through the real workflow (statemachine/cancel-resource-request.asl.json), run by
 * aws-local-stepfunctions against the real handler and the Cloud Control emulator. Waits and retry intervals are
 * skipped; the emulator's clock moves by what each Wait meant to wait ({@link VirtualTime}), so a request ages as
 * it would in AWS. Each test asserts the states visited, the retries taken, the outcome, and the calls the
 * emulator saw for its request (the function's and the workflow's together, in arrival order).
 * The one scenario that really waits is {@link RealRetryAfterWaitTest}.
 */
class CancelWorkflowScenarioTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANCEL = CancelResourceRequest.name();
    private static final String STATUS = GetResourceRequestStatus.name();

    /** The states every execution that reaches the function goes through first. */
    private static final List<String> TO_THE_CANCEL = List.of("ApplyDefaults", "MergeInputOverDefaults",
            "WritePollSettingsAsText", "ValidateRequest", "StartPolling", "CancelResourceRequest");
    private static final List<String> AFTER_RETRY_AFTER = List.of("CheckOperationStatus", "WaitUntilRetryAfter",
            "GetResourceRequestStatus", "CountPoll");
    private static final List<String> AFTER_POLL_INTERVAL = List.of("CheckOperationStatus", "WaitPollInterval",
            "GetResourceRequestStatus", "CountPoll");

    static LocalStack stack;
    static CloudControlEmulator cloudControl;

    @BeforeAll
    static void startStack() {
        cloudControl = CloudControlEmulator.start(); // a ManualClock: time moves only with the workflow's waits
        stack = LocalStack.start(cloudControl, LocalStack.Parameters.TEMPLATE_DEFAULTS);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @BeforeEach
    void cleanSlate() {
        cloudControl.clearFaults();
        cloudControl.notCancellableAnswer(NotCancellableAnswer.DEFAULT);
        stack.lambda().clearInvocations();
    }

    // ------------------------------------------------------------------------------------------ paths

    @Test
    void happyPathWaitsUntilEachRetryAfter() {
        // RetryAfter 5 s ahead on every event; the cancel takes 12 s: polls at +5 and +10 see CANCEL_IN_PROGRESS.
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(12))
                .withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(5))));

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(path(TO_THE_CANCEL, repeat(3, AFTER_RETRY_AFTER), List.of("CheckOperationStatus",
                "CancelComplete")), result.statesEntered(), result::describe);
        assertEquals(List.of(), result.retries());
        assertEquals(List.of(CANCEL, STATUS, STATUS, STATUS), calls(token));
        assertEquals(1, cloudControl.acceptedCancels(token));
    }

    @Test
    void withoutRetryAfterItPollsEveryPollInterval() {
        // No RetryAfter at all: the 10 s PollIntervalSeconds default; the cancel takes 25 s: 3 polls.
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(25))
                .withRetryAfter(RetryAfterPolicy.never()));

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(path(TO_THE_CANCEL, repeat(3, AFTER_POLL_INTERVAL), List.of("CheckOperationStatus",
                "CancelComplete")), result.statesEntered(), result::describe);
        assertEquals(0, result.timesEntered("WaitUntilRetryAfter"));
        assertEquals(List.of(CANCEL, STATUS, STATUS, STATUS), calls(token));
    }

    @Test
    void aRetryAfterInThePastWaitsThePollIntervalInstead() {
        // RetryAfter 30 s in the past on every event (a skewed clock); the cancel takes 25 s. Waiting until it would
        // end at once, every time: the loop would poll without pause (time here moves only with the waits, so it
        // would spend all of MaxPolls at once).
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(25))
                .withRetryAfter(RetryAfterPolicy.onlyIn(Duration.ofSeconds(-30), "CANCEL_IN_PROGRESS")));
        Instant before = cloudControl.now();

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(path(TO_THE_CANCEL, repeat(3, AFTER_POLL_INTERVAL), List.of("CheckOperationStatus",
                "CancelComplete")), result.statesEntered(), result::describe);
        assertEquals(before.plusSeconds(30), cloudControl.now(), "three poll intervals of 10 s");
        assertEquals(List.of(CANCEL, STATUS, STATUS, STATUS), calls(token));
    }

    @Test
    void aRetryAfterAlreadyWaitedForSendsTheNextPollToThePollInterval() {
        // RetryAfter 5 s after the event's own time, as a stored event carries it; the cancel takes 12 s. The poll at
        // +5 s reads the same event again, its RetryAfter now past: waiting until it would end at once, and poll
        // without pause (time here moves only with the waits, so it would spend all of MaxPolls at +5 s).
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(12))
                .withRetryAfter(RetryAfterPolicy.fromEventTime(Duration.ofSeconds(5))));
        Instant before = cloudControl.now();

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(path(TO_THE_CANCEL, AFTER_RETRY_AFTER, AFTER_POLL_INTERVAL, List.of("CheckOperationStatus",
                "CancelComplete")), result.statesEntered(), result::describe);
        assertEquals(List.of(CANCEL, STATUS, STATUS), calls(token));
        assertEquals(before.plusSeconds(15), cloudControl.now(), "until RetryAfter (+5 s), then the 10 s poll interval");
    }

    @Test
    void throttledStatusPollsAreRetriedThenItCompletes() {
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5))
                .withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(5))));
        cloudControl.faultNext(GetResourceRequestStatus, 2, Fault.throttling());

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(List.of(new Retry("GetResourceRequestStatus", "CloudControl.ThrottlingException"),
                new Retry("GetResourceRequestStatus", "CloudControl.ThrottlingException")), result.retries());
        assertEquals(1, result.timesEntered("GetResourceRequestStatus"), "a retry is not a new poll");
        assertEquals(List.of(CANCEL, STATUS, STATUS, STATUS), calls(token));
    }

    @Test
    void aThrottledFunctionIsRetriedThenItCompletes() {
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        stack.lambda().throttleNextInvokes(2);

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(List.of(new Retry("CancelResourceRequest", "Lambda.TooManyRequestsException"),
                new Retry("CancelResourceRequest", "Lambda.TooManyRequestsException")), result.retries());
        assertEquals(List.of(Outcome.THROTTLED, Outcome.THROTTLED, Outcome.SUCCESS), invocationOutcomes());
        assertEquals(List.of(CANCEL, STATUS), calls(token), "a throttled invoke never reaches Cloud Control");
    }

    @Test
    void anInactiveSnapStartVersionIsRetriedUntilItIsReadyThenItCompletes() {
        // A cleanup tool may sit idle for weeks: after 14 days Lambda makes the SnapStart version Inactive.
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        stack.lambda().snapStartNotReadyForNextInvokes(2);

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(List.of(new Retry("CancelResourceRequest", "Lambda.SnapStartNotReadyException"),
                new Retry("CancelResourceRequest", "Lambda.SnapStartNotReadyException")), result.retries());
        assertEquals(List.of(Outcome.SNAPSTART_NOT_READY, Outcome.SNAPSTART_NOT_READY, Outcome.SUCCESS),
                invocationOutcomes());
        assertEquals(List.of(CANCEL, STATUS), calls(token), "a refused invoke never reaches Cloud Control");
    }

    @Test
    void aConcurrentModificationOnTheCancelIsRetriedThenItCompletes() {
        // Three faults outlast the function's SDK retries (3 attempts): the function fails, the workflow retries.
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        cloudControl.faultNext(CancelResourceRequest, 3, Fault.concurrentModification());

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(List.of(new Retry("CancelResourceRequest", "io.cccancel.errors.ConcurrentModificationException")),
                result.retries());
        assertEquals(List.of(Outcome.FUNCTION_ERROR, Outcome.SUCCESS), invocationOutcomes());
        // The refused cancel is explained from the status (still IN_PROGRESS: a real refusal), then retried.
        assertEquals(List.of(CANCEL, CANCEL, CANCEL, STATUS, CANCEL, STATUS), calls(token));
        assertEquals(1, cloudControl.acceptedCancels(token));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "SANDBOX_TIMEDOUT, Sandbox.Timedout",
            "NO_ERROR_TYPE,    Lambda.Unknown"})
    void anInvokeThatTimesOutAfterItsCancelIsRetriedAndTheCancelIsNotLost(LocalLambdaEndpoint.TimeoutReport report,
                                                                         String error) {
        // The cancel was accepted, then the invoke ran out of time: its answer is lost, and the retry finds the
        // request cancelling (the emulator refuses a second cancel) and goes on from there.
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        stack.lambda().timeOutNextInvokes(1, report);

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(List.of(new Retry("CancelResourceRequest", error)), result.retries());
        assertEquals(List.of(Outcome.TIMED_OUT, Outcome.SUCCESS), invocationOutcomes());
        assertEquals(List.of(CANCEL, CANCEL, STATUS, STATUS), calls(token));
        assertEquals(1, cloudControl.acceptedCancels(token));
    }

    @Test
    void anInvokeThatKeepsTimingOutEndsInTheNamedError() {
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        stack.lambda().timeOutNextInvokes(3, LocalLambdaEndpoint.TimeoutReport.SANDBOX_TIMEDOUT);

        ExecutionResult result = run(token);

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.Error", result.error());
        assertEquals(2, result.retries().size(), "two retries, then the Catch");
        assertEquals(List.of(Outcome.TIMED_OUT, Outcome.TIMED_OUT, Outcome.TIMED_OUT), invocationOutcomes());
    }

    @Test
    void anInvalidTokenFailsWithoutCallingCloudControl() throws IOException {
        String input = Files.readString(Path.of("events", "invalid-request-token.json"));

        ExecutionResult result = runInput(input);

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.InvalidRequestToken", result.error());
        assertEquals(List.of(new Catch("CancelResourceRequest", "io.cccancel.errors.InvalidRequestTokenException",
                "InvalidRequestToken")), result.catches());
        assertTrue(result.cause().contains("RequestToken"), "the function's message names the field: "
                + result.cause());
        assertEquals(path(TO_THE_CANCEL, List.of("InvalidRequestToken")), result.statesEntered());
        assertEquals(List.of(), calls("not a request token!"));
    }

    @Test
    void aMissingTokenFailsBeforeTheFunctionIsInvoked() {
        ExecutionResult result = runInput("{}");

        assertEquals("CancelResourceRequest.InvalidRequestToken", result.error(), result::describe);
        assertEquals(List.of("ApplyDefaults", "MergeInputOverDefaults", "WritePollSettingsAsText", "ValidateRequest",
                "RequestTokenIsMissing"), result.statesEntered());
        assertEquals(List.of(), stack.lambda().invocations());
    }

    @Test
    void aTokenThatIsNotAStringFailsBeforeTheFunctionIsInvokedAndSaysSo() {
        ExecutionResult result = runInput("{\"RequestToken\": 12345}");

        assertEquals("CancelResourceRequest.InvalidRequestToken", result.error(), result::describe);
        assertTrue(result.cause().contains("RequestToken is required, as a string"), result.cause());
        assertEquals(List.of(), stack.lambda().invocations());
    }

    @Test
    void anUnknownTokenFailsAsRequestTokenNotFound() {
        String token = UUID.randomUUID().toString(); // never started in the emulator

        ExecutionResult result = run(token);

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.RequestTokenNotFound", result.error());
        assertEquals(List.of(new Catch("CancelResourceRequest", "io.cccancel.errors.RequestTokenNotFoundException",
                "RequestTokenNotFound")), result.catches());
        assertEquals(List.of(), result.retries(), "not retryable");
        assertEquals(List.of(CANCEL), calls(token));
    }

    @Test
    void anAlreadyCancelCompleteRequestCompletesWithoutPolling() {
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        try (var client = cloudControl.newClientWithoutRetries()) {
            client.cancelResourceRequest(r -> r.requestToken(token));
        }
        cloudControl.advanceClock(Duration.ofSeconds(5));
        List<String> before = calls(token);

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(path(TO_THE_CANCEL, List.of("CheckOperationStatus", "CancelComplete")), result.statesEntered());
        // Cloud Control refuses the second cancel; the function reads the status and reports it, no error.
        assertEquals(List.of(CANCEL, STATUS), after(before, calls(token)));
        assertEquals(1, cloudControl.acceptedCancels(token));
    }

    @Test
    void anAlreadySucceededRequestFailsAsAlreadyCompleted() {
        String token = seed(Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ZERO));

        ExecutionResult result = run(token);

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.AlreadyCompleted", result.error());
        assertTrue(result.cause().contains("\"OperationStatus\":\"SUCCESS\""), result.cause());
        assertEquals(path(TO_THE_CANCEL, List.of("CheckOperationStatus", "DescribeAlreadyCompleted",
                "AlreadyCompleted")), result.statesEntered());
        assertEquals(List.of(CANCEL, STATUS), calls(token));
        assertEquals(0, cloudControl.acceptedCancels(token));
    }

    @Test
    void aCancelThatLosesTheRaceToSuccessFailsAsAlreadyCompleted() {
        // The cancel is accepted, but the operation ends SUCCESS 8 s later: polls at +5 (cancelling) and +10.
        String token = seed(inProgress().withInProgress(Duration.ofSeconds(8)).withCancelLosingRace()
                .withCancelTaking(Duration.ofSeconds(20)).withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(5))));

        ExecutionResult result = run(token);

        assertEquals("CancelResourceRequest.AlreadyCompleted", result.error(), result::describe);
        assertEquals(path(TO_THE_CANCEL, repeat(2, AFTER_RETRY_AFTER), List.of("CheckOperationStatus",
                "DescribeAlreadyCompleted", "AlreadyCompleted")), result.statesEntered());
        assertEquals("SUCCESS", cloudControl.operationStatus(token), "the emulator's ground truth");
        assertEquals(List.of(CANCEL, STATUS, STATUS), calls(token));
    }

    @Test
    void anOperationThatEndsFailedFailsAsOperationFailed() {
        String token = seed(inProgress().withInProgress(Duration.ofSeconds(3)).withCancelLosingRace()
                .withCancelTaking(Duration.ofSeconds(20))
                .failingWith("NotStabilized", "Resource did not stabilize"));

        ExecutionResult result = run(token);

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.OperationFailed", result.error());
        assertTrue(result.cause().contains("\"ErrorCode\":\"NotStabilized\""), result.cause());
        assertEquals(path(TO_THE_CANCEL, AFTER_RETRY_AFTER, List.of("CheckOperationStatus",
                "DescribeOperationFailure", "OperationFailed")), result.statesEntered());
        assertEquals("FAILED", cloudControl.operationStatus(token));
    }

    @Test
    void aCauseQuotesTheLastEventWithoutItsResourceModel() {
        // The status polls' events come straight from Cloud Control, ResourceModel and all (the function leaves it
        // out of its own answer; the SDK integration cannot).
        String token = cloudControl.startRequest(SeedRequest.of("UPDATE", "AWS::S3::Bucket", "scenario-bucket")
                .withResourceModel("{\"BucketName\":\"scenario-bucket\",\"Tags\":[{\"Key\":\"token\",\"Value\":\"s3cr3t\"}]}")
                .withLifecycle(inProgress().withInProgress(Duration.ofSeconds(3)).withCancelLosingRace()
                        .withCancelTaking(Duration.ofSeconds(20)).failingWith("NotStabilized", "Resource did not stabilize")));

        ExecutionResult result = run(token);

        assertEquals("CancelResourceRequest.OperationFailed", result.error(), result::describe);
        assertTrue(result.cause().contains("\"ErrorCode\":\"NotStabilized\""), result.cause());
        assertTrue(result.cause().contains("\"ResourceModel\":null"), result.cause());
        assertTrue(!result.cause().contains("s3cr3t"), result.cause());
    }

    @Test
    void aRequestStuckInCancelInProgressTimesOutAfterMaxPolls() {
        String token = seed(inProgress().withCancelHangingForever());

        ExecutionResult result = runInput("{\"RequestToken\": \"" + token + "\", \"MaxPolls\": 4}");

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.TimedOut", result.error());
        assertTrue(result.cause().startsWith("Still CANCEL_IN_PROGRESS after 4 GetResourceRequestStatus polls"),
                result.cause());
        assertEquals(path(TO_THE_CANCEL, repeat(4, AFTER_RETRY_AFTER), List.of("CheckOperationStatus",
                "DescribeTimeout", "TimedOut")), result.statesEntered());
        assertEquals(List.of(CANCEL, STATUS, STATUS, STATUS, STATUS), calls(token));
        assertEquals("CANCEL_IN_PROGRESS", cloudControl.operationStatus(token));
    }

    @Test
    void theSameTokenRunTwiceIsHarmless() {
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));

        ExecutionResult first = run(token);
        List<String> firstCalls = calls(token);
        ExecutionResult second = run(token);

        assertCancelComplete(first, token);
        assertCancelComplete(second, token);
        assertEquals(path(TO_THE_CANCEL, List.of("CheckOperationStatus", "CancelComplete")), second.statesEntered());
        assertEquals(List.of(CANCEL, STATUS), after(firstCalls, calls(token)), "one refused cancel, one status read");
        assertEquals(1, cloudControl.acceptedCancels(token), "the second run cancelled nothing");
        assertEquals(first.output().at("/ProgressEvent/EventTime"), second.output().at("/ProgressEvent/EventTime"));
    }

    @Test
    void cloudControlDownForAWhileThenBack() {
        // Every call's connection dropped: the function's first invoke (3 SDK attempts at the cancel, then 3 at the
        // status read that would explain a failed cancel) and the workflow's first status polls.
        String token = seed(inProgress().withCancelTaking(Duration.ofSeconds(5)));
        cloudControl.faultNext(CancelResourceRequest, 3, Fault.dropConnection());
        cloudControl.faultNext(GetResourceRequestStatus, 3 + 2, Fault.dropConnection());

        ExecutionResult result = run(token);

        assertCancelComplete(result, token);
        assertEquals(List.of(
                new Retry("CancelResourceRequest", "io.cccancel.errors.ServiceUnavailableException"),
                new Retry("GetResourceRequestStatus", "CloudControl.SdkClientException"),
                new Retry("GetResourceRequestStatus", "CloudControl.SdkClientException")), result.retries());
        assertEquals(List.of(CANCEL, CANCEL, CANCEL, STATUS, STATUS, STATUS, CANCEL, STATUS, STATUS, STATUS),
                calls(token));
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 200, 0, 0, 200), statuses(token));
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** IN_PROGRESS from the start (no PENDING), long enough that only a cancel ends it in these scenarios. */
    private static Lifecycle inProgress() {
        return Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofHours(1));
    }

    private static String seed(Lifecycle lifecycle) {
        return cloudControl.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "scenario-bucket")
                .withLifecycle(lifecycle));
    }

    private static String input(String token) {
        return "{\"RequestToken\": \"" + token + "\"}";
    }

    private static ExecutionResult run(String token) {
        return runInput(input(token));
    }

    /** No waiting: skipped Waits move the emulator's clock instead. */
    private static ExecutionResult runInput(String input) {
        return stack.workflow().run(ExecutionRequest.of(input).inVirtualTimeOf(cloudControl));
    }

    private static void assertCancelComplete(ExecutionResult result, String token) {
        assertEquals(Status.SUCCEEDED, result.status(), result::describe);
        JsonNode event = result.output().path("ProgressEvent");
        assertEquals("CANCEL_COMPLETE", event.path("OperationStatus").asText(), result.output()::toString);
        assertEquals(token, event.path("RequestToken").asText());
        assertEquals("CANCEL_COMPLETE", cloudControl.operationStatus(token), "the emulator's ground truth");
    }

    /** The operations the emulator received for this token, in arrival order. */
    private static List<String> calls(String token) {
        return cloudControl.calls().stream().filter(c -> token.equals(c.requestToken()))
                .map(CallRecord::operation).toList();
    }

    private static List<Integer> statuses(String token) {
        return cloudControl.calls().stream().filter(c -> token.equals(c.requestToken()))
                .map(CallRecord::httpStatus).toList();
    }

    private static List<String> after(List<String> earlier, List<String> all) {
        return all.subList(earlier.size(), all.size());
    }

    private static List<Outcome> invocationOutcomes() {
        return stack.lambda().invocations().stream().map(Invocation::outcome).toList();
    }

    @SafeVarargs
    private static List<String> path(List<String>... parts) {
        List<String> states = new ArrayList<>();
        for (List<String> part : parts) {
            states.addAll(part);
        }
        return states;
    }

    private static List<String> repeat(int times, List<String> loop) {
        return path(Collections.nCopies(times, loop).toArray(List[]::new));
    }
}
