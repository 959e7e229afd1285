package io.cccancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.CancelResourceRequestResponse;
import software.amazon.awssdk.services.cloudcontrol.model.CreateResourceResponse;
import software.amazon.awssdk.services.cloudcontrol.model.GetResourceRequestStatusResponse;
import software.amazon.awssdk.services.cloudcontrol.model.InvalidRequestException;
import software.amazon.awssdk.services.cloudcontrol.model.Operation;
import software.amazon.awssdk.services.cloudcontrol.model.OperationStatus;
import software.amazon.awssdk.services.cloudcontrol.model.ProgressEvent;
import software.amazon.awssdk.services.cloudcontrol.model.RequestTokenNotFoundException;

/** Every lifecycle path, observed through the real SDK client on the emulator's manual clock. */
class EmulatorLifecycleTest {

    private static final String BUCKET = "AWS::S3::Bucket";

    @AutoClose
    private final CloudControlEmulator emulator = CloudControlEmulator.start();
    @AutoClose
    private final CloudControlClient client = emulator.newClientWithoutRetries();

    private ProgressEvent status(String token) {
        return client.getResourceRequestStatus(r -> r.requestToken(token)).progressEvent();
    }

    private ProgressEvent cancel(String token) {
        return client.cancelResourceRequest(r -> r.requestToken(token)).progressEvent();
    }

    @Test
    void requestGoesPendingThenInProgressThenSuccessWithEventTimeAtEachTransition() {
        Instant start = emulator.now();
        String token = emulator.startRequest("DELETE", BUCKET, "my-bucket", Lifecycle.DEFAULT
                .withPending(Duration.ofSeconds(2)).withInProgress(Duration.ofSeconds(10)));

        ProgressEvent pending = status(token);
        assertEquals(OperationStatus.PENDING, pending.operationStatus());
        assertEquals(start, pending.eventTime());
        assertEquals(Operation.DELETE, pending.operation());
        assertEquals(BUCKET, pending.typeName());
        assertEquals("my-bucket", pending.identifier());
        assertEquals(token, pending.requestToken());

        emulator.advanceClock(Duration.ofSeconds(2));
        ProgressEvent inProgress = status(token);
        assertEquals(OperationStatus.IN_PROGRESS, inProgress.operationStatus());
        assertEquals(start.plusSeconds(2), inProgress.eventTime());

        emulator.advanceClock(Duration.ofSeconds(10));
        ProgressEvent success = status(token);
        assertEquals(OperationStatus.SUCCESS, success.operationStatus());
        assertEquals(start.plusSeconds(12), success.eventTime());
        assertNull(success.retryAfter(), "a finished request carries no RetryAfter");
        assertNull(success.errorCode());
    }

    @Test
    void failedOutcomeCarriesErrorCodeAndStatusMessage() {
        String token = emulator.startRequest("UPDATE", BUCKET, "b", Lifecycle.DEFAULT
                .failingWith("NotStabilized", "Resource did not stabilize"));
        assertNull(status(token).errorCode());

        emulator.advanceClock(Duration.ofMinutes(1));
        ProgressEvent failed = status(token);
        assertEquals(OperationStatus.FAILED, failed.operationStatus());
        assertEquals("NotStabilized", failed.errorCodeAsString());
        assertEquals("Resource did not stabilize", failed.statusMessage());
    }

    @Test
    void cancelOfPendingRequestIsAcceptedThenCompletesAfterCancelDuration() {
        Instant start = emulator.now();
        String token = emulator.startRequest("CREATE", BUCKET, null, Lifecycle.DEFAULT
                .withCancelTaking(Duration.ofSeconds(7)));

        ProgressEvent accepted = cancel(token);
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, accepted.operationStatus());
        assertEquals(start, accepted.eventTime());
        assertEquals(1, emulator.acceptedCancels(token));

        emulator.advanceClock(Duration.ofSeconds(6));
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, status(token).operationStatus());
        emulator.advanceClock(Duration.ofSeconds(1));
        ProgressEvent complete = status(token);
        assertEquals(OperationStatus.CANCEL_COMPLETE, complete.operationStatus());
        assertEquals(start.plusSeconds(7), complete.eventTime());
        assertEquals("CANCEL_COMPLETE", emulator.operationStatus(token));
    }

    @Test
    void cancelOfInProgressRequestIsAcceptedWithEventTimeOfTheCancel() {
        String token = emulator.startRequest("DELETE", BUCKET, "b");
        emulator.advanceClock(Duration.ofSeconds(3));
        Instant cancelledAt = emulator.now();

        ProgressEvent accepted = cancel(token);
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, accepted.operationStatus());
        assertEquals(cancelledAt, accepted.eventTime());
        emulator.advanceClock(Duration.ofSeconds(5));
        assertEquals(OperationStatus.CANCEL_COMPLETE, status(token).operationStatus());
    }

    @Test
    void cancelThatHangsStaysCancelInProgressForever() {
        String token = emulator.startRequest("DELETE", BUCKET, "b", Lifecycle.DEFAULT.withCancelHangingForever());
        cancel(token);
        emulator.advanceClock(Duration.ofDays(6));
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, status(token).operationStatus());
    }

    @Test
    void cancelThatLosesTheRaceIsAcceptedButTheOperationStillSucceeds() {
        Instant start = emulator.now();
        String token = emulator.startRequest("DELETE", BUCKET, "b", Lifecycle.DEFAULT
                .withPending(Duration.ZERO).withInProgress(Duration.ofSeconds(4)).withCancelLosingRace());

        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel(token).operationStatus());
        assertEquals(1, emulator.acceptedCancels(token));
        emulator.advanceClock(Duration.ofSeconds(3));
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, status(token).operationStatus());
        emulator.advanceClock(Duration.ofSeconds(1));
        ProgressEvent finished = status(token);
        assertEquals(OperationStatus.SUCCESS, finished.operationStatus());
        assertEquals(start.plusSeconds(4), finished.eventTime());
    }

    @Test
    void cancelThatLosesTheRaceToAFailureEndsFailed() {
        String token = emulator.startRequest("UPDATE", BUCKET, "b", Lifecycle.DEFAULT
                .failingWith("ServiceInternalError", "boom").withCancelLosingRace().withCancelTaking(Duration.ofSeconds(2)));
        cancel(token);
        emulator.advanceClock(Duration.ofSeconds(2));
        ProgressEvent finished = status(token);
        assertEquals(OperationStatus.FAILED, finished.operationStatus());
        assertEquals("ServiceInternalError", finished.errorCodeAsString());
    }

    @Test
    void cancelOfFinishedRequestAnswersInvalidRequestByDefaultAndAcceptsNothing() {
        String token = emulator.startRequest("DELETE", BUCKET, "b");
        emulator.advanceClock(Duration.ofMinutes(1));

        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> cancel(token));
        assertEquals(400, e.statusCode());
        assertEquals(0, emulator.acceptedCancels(token));
        assertEquals("SUCCESS", emulator.operationStatus(token));
    }

    @Test
    void secondCancelIsNotAcceptedAgain() {
        String token = emulator.startRequest("DELETE", BUCKET, "b");
        cancel(token);
        assertThrows(InvalidRequestException.class, () -> cancel(token));
        emulator.advanceClock(Duration.ofMinutes(1));
        assertThrows(InvalidRequestException.class, () -> cancel(token));
        assertEquals(1, emulator.acceptedCancels(token));
        assertEquals(1, emulator.totalAcceptedCancels());
    }

    @Test
    void cancelOfFinishedRequestCanAnswerWithTheCurrentEvent() {
        emulator.notCancellableAnswer(NotCancellableAnswer.currentEvent());
        String failed = emulator.startRequest("CREATE", BUCKET, null, Lifecycle.DEFAULT.failingWith("AlreadyExists", "x"));
        String cancelling = emulator.startRequest("DELETE", BUCKET, "b");
        cancel(cancelling);
        emulator.advanceClock(Duration.ofMinutes(1));

        assertEquals(OperationStatus.FAILED, cancel(failed).operationStatus());
        assertEquals(OperationStatus.CANCEL_COMPLETE, cancel(cancelling).operationStatus());
        assertEquals(0, emulator.acceptedCancels(failed));
        assertEquals(1, emulator.acceptedCancels(cancelling));
    }

    @Test
    void cancelOfFinishedRequestCanAnswerWithAnotherErrorType() {
        emulator.notCancellableAnswer(NotCancellableAnswer.error("ResourceConflictException"));
        String token = emulator.startRequest("DELETE", BUCKET, "b");
        emulator.advanceClock(Duration.ofMinutes(1));
        var e = assertThrows(software.amazon.awssdk.services.cloudcontrol.model.ResourceConflictException.class,
                () -> cancel(token));
        assertEquals(409, e.statusCode());
    }

    @Test
    void unknownTokenIsRequestTokenNotFound() {
        assertThrows(RequestTokenNotFoundException.class, () -> status("no-such-token"));
        assertThrows(RequestTokenNotFoundException.class, () -> cancel("no-such-token"));
    }

    @Test
    void requestsAreGoneAfterSevenDays() {
        String token = emulator.startRequest("DELETE", BUCKET, "b");
        emulator.advanceClock(Duration.ofDays(7));
        assertEquals(OperationStatus.SUCCESS, status(token).operationStatus());
        emulator.advanceClock(Duration.ofMillis(1));
        assertThrows(RequestTokenNotFoundException.class, () -> status(token));
        assertThrows(RequestTokenNotFoundException.class, () -> cancel(token));
        assertEquals(0, client.listResourceRequests(r -> { }).resourceRequestStatusSummaries().size());
    }

    @Test
    void createResourceStartsARequestWhoseModelIsTheDesiredStateAndWhoseIdentifierComesWithSuccess() {
        String desiredState = "{\"BucketName\":\"b\",\"Password\":\"s3cret\"}";
        CreateResourceResponse created = client.createResource(r -> r.typeName(BUCKET).desiredState(desiredState));
        ProgressEvent event = created.progressEvent();
        assertEquals(OperationStatus.PENDING, event.operationStatus());
        assertEquals(Operation.CREATE, event.operation());
        assertEquals(desiredState, event.resourceModel());
        assertNull(event.identifier());
        assertNotNull(event.retryAfter());

        emulator.advanceClock(Duration.ofMinutes(1));
        ProgressEvent success = status(event.requestToken());
        assertEquals(OperationStatus.SUCCESS, success.operationStatus());
        assertNotNull(success.identifier());
        assertEquals(desiredState, success.resourceModel());
    }

    @Test
    void createResourceWithTheSameClientTokenReturnsTheSameRequest() {
        String first = client.createResource(r -> r.typeName(BUCKET).desiredState("{}").clientToken("ct-1"))
                .progressEvent().requestToken();
        String again = client.createResource(r -> r.typeName(BUCKET).desiredState("{}").clientToken("ct-1"))
                .progressEvent().requestToken();
        assertEquals(first, again);
        assertEquals(1, emulator.requestTokens().size());
        assertThrows(software.amazon.awssdk.services.cloudcontrol.model.ClientTokenConflictException.class,
                () -> client.deleteResource(r -> r.typeName(BUCKET).identifier("x").clientToken("ct-1")));
    }

    @Test
    void updateAndDeleteResourceStartRequestsThatCanBeCancelled() {
        String created = client.createResource(r -> r.typeName(BUCKET).desiredState("{\"A\":1}"))
                .progressEvent().requestToken();
        emulator.advanceClock(Duration.ofMinutes(1));
        String identifier = status(created).identifier();

        ProgressEvent update = client.updateResource(r -> r.typeName(BUCKET).identifier(identifier)
                .patchDocument("[{\"op\":\"replace\",\"path\":\"/A\",\"value\":2}]")).progressEvent();
        assertEquals(Operation.UPDATE, update.operation());
        assertEquals(identifier, update.identifier());
        assertEquals("{\"A\":1}", update.resourceModel(), "UPDATE shows the resource's known model");

        ProgressEvent delete = client.deleteResource(r -> r.typeName(BUCKET).identifier(identifier)).progressEvent();
        assertEquals(Operation.DELETE, delete.operation());
        assertNull(delete.resourceModel());

        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel(update.requestToken()).operationStatus());
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel(delete.requestToken()).operationStatus());
    }

    @Test
    void retryAfterAlwaysIsNowPlusHintWhileTheRequestMoves() {
        String token = emulator.startRequest("DELETE", BUCKET, "b",
                Lifecycle.DEFAULT.withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(9))));
        assertEquals(emulator.now().plusSeconds(9), status(token).retryAfter());
        emulator.advanceClock(Duration.ofSeconds(2));
        assertEquals(emulator.now().plusSeconds(9), status(token).retryAfter());
        assertEquals(emulator.now().plusSeconds(9), cancel(token).retryAfter());
        emulator.advanceClock(Duration.ofMinutes(1));
        assertNull(status(token).retryAfter());
    }

    @Test
    void retryAfterCanBeNeverEveryOtherEventOrOnlyInSomeStatuses() {
        String never = emulator.startRequest("DELETE", BUCKET, "a",
                Lifecycle.DEFAULT.withRetryAfter(RetryAfterPolicy.never()));
        String alternating = emulator.startRequest("DELETE", BUCKET, "b",
                Lifecycle.DEFAULT.withRetryAfter(RetryAfterPolicy.everyOtherEvent(Duration.ofSeconds(3))));
        String inProgressOnly = emulator.startRequest("DELETE", BUCKET, "c",
                Lifecycle.DEFAULT.withRetryAfter(RetryAfterPolicy.onlyIn(Duration.ofSeconds(3), "IN_PROGRESS")));

        assertNull(status(never).retryAfter());
        assertNotNull(status(alternating).retryAfter());
        assertNull(status(alternating).retryAfter());
        assertNotNull(status(alternating).retryAfter());
        assertNull(status(inProgressOnly).retryAfter(), "PENDING");
        emulator.advanceClock(Duration.ofSeconds(1));
        assertNotNull(status(inProgressOnly).retryAfter(), "IN_PROGRESS");
        assertNull(cancel(inProgressOnly).retryAfter(), "CANCEL_IN_PROGRESS");
    }

    @Test
    void defaultLifecycleAppliesToRequestsStartedThroughTheApi() {
        emulator.defaultLifecycle(Lifecycle.DEFAULT.withPending(Duration.ZERO).failingWith("AccessDenied", "no"));
        String token = client.deleteResource(r -> r.typeName(BUCKET).identifier("b")).progressEvent().requestToken();
        assertEquals(OperationStatus.IN_PROGRESS, status(token).operationStatus());
        emulator.advanceClock(Duration.ofMinutes(1));
        assertEquals("AccessDenied", status(token).errorCodeAsString());
    }

    @Test
    void seededRequestCanStartInThePastAndCarryAResourceModel() {
        Instant longAgo = emulator.now().minus(Duration.ofHours(2));
        String token = emulator.startRequest(SeedRequest.of("UPDATE", BUCKET, "b")
                .startedAt(longAgo).withResourceModel("{\"Secret\":\"x\"}")
                .withLifecycle(Lifecycle.DEFAULT.withInProgress(Duration.ofHours(3))));
        GetResourceRequestStatusResponse response = client.getResourceRequestStatus(r -> r.requestToken(token));
        assertEquals(OperationStatus.IN_PROGRESS, response.progressEvent().operationStatus());
        assertEquals(longAgo.plusSeconds(1), response.progressEvent().eventTime());
        assertEquals("{\"Secret\":\"x\"}", response.progressEvent().resourceModel());
        CancelResourceRequestResponse cancelled = client.cancelResourceRequest(r -> r.requestToken(token));
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancelled.progressEvent().operationStatus());
    }
}
