package io.cccancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.CloudControlException;
import software.amazon.awssdk.services.cloudcontrol.model.ConcurrentModificationException;
import software.amazon.awssdk.services.cloudcontrol.model.OperationStatus;
import software.amazon.awssdk.services.cloudcontrol.model.RequestTokenNotFoundException;
import software.amazon.awssdk.services.cloudcontrol.model.ServiceInternalErrorException;
import software.amazon.awssdk.services.cloudcontrol.model.ThrottlingException;

/** Scripted and random faults, the rate limit and the call log, as the real SDK client sees them. */
class EmulatorFaultTest {

    @AutoClose
    private final CloudControlEmulator emulator = CloudControlEmulator.start();
    @AutoClose
    private final CloudControlClient client = emulator.newClientWithoutRetries();
    private final String token = emulator.startRequest("DELETE", "AWS::S3::Bucket", "b");

    private OperationStatus cancel() {
        return client.cancelResourceRequest(r -> r.requestToken(token)).progressEvent().operationStatus();
    }

    private OperationStatus status() {
        return client.getResourceRequestStatus(r -> r.requestToken(token)).progressEvent().operationStatus();
    }

    @Test
    void throttlingIsTheSdksThrottlingException() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, Fault.throttling(), Fault.error("ThrottlingException", 429));
        ThrottlingException first = assertThrows(ThrottlingException.class, this::cancel);
        assertEquals(400, first.statusCode());
        assertTrue(first.isThrottlingException());
        assertEquals(429, assertThrows(ThrottlingException.class, this::cancel).statusCode());
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel());
        assertEquals(1, emulator.acceptedCancels(token), "a throttled cancel is not accepted");
    }

    @Test
    void concurrentModificationIsA500() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, 1, Fault.concurrentModification());
        assertEquals(500, assertThrows(ConcurrentModificationException.class, this::cancel).statusCode());
    }

    @Test
    void serviceInternalErrorIsA502AndABare503HasNoErrorType() {
        emulator.faultNext(ApiOperation.GetResourceRequestStatus, Fault.serviceInternalError(), Fault.serviceUnavailable());
        assertEquals(502, assertThrows(ServiceInternalErrorException.class, this::status).statusCode());
        CloudControlException bare = assertThrows(CloudControlException.class, this::status);
        assertEquals(503, bare.statusCode());
        assertEquals(CloudControlException.class, bare.getClass(), "no modelled type for an empty 503");
        assertEquals(OperationStatus.PENDING, status());
    }

    @Test
    void requestTokenNotFoundForAKnownTokenIn400Or404() {
        emulator.faultNext(ApiOperation.CancelResourceRequest,
                Fault.requestTokenNotFound(), Fault.error("RequestTokenNotFoundException", 404));
        RequestTokenNotFoundException as400 = assertThrows(RequestTokenNotFoundException.class, this::cancel);
        assertEquals(400, as400.statusCode());
        assertTrue(as400.awsErrorDetails().errorMessage().contains(token));
        assertEquals(404, assertThrows(RequestTokenNotFoundException.class, this::cancel).statusCode());
    }

    @Test
    void accessDeniedIsAnUnmodelled400() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, 1, Fault.accessDenied());
        CloudControlException e = assertThrows(CloudControlException.class, this::cancel);
        assertEquals(400, e.statusCode());
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertFalse(e.isThrottlingException());
    }

    @Test
    void droppedConnectionIsAnSdkClientException() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, 1, Fault.dropConnection());
        SdkClientException e = assertThrows(SdkClientException.class, this::cancel);
        assertEquals(0, emulator.calls(ApiOperation.CancelResourceRequest).getFirst().httpStatus());
        assertEquals(0, emulator.acceptedCancels(token), "a dropped call changes nothing: " + e.getMessage());
    }

    @Test
    void slowResponseAnswersNormallyOrTimesOutTheSdkAttempt() {
        emulator.faultNext(ApiOperation.GetResourceRequestStatus, Fault.delay(Duration.ofMillis(100)),
                Fault.delay(Duration.ofSeconds(3)));
        assertEquals(OperationStatus.PENDING, status());
        assertTrue(emulator.calls().getFirst().handlingNanos() >= Duration.ofMillis(100).toNanos());
        try (CloudControlClient impatient = emulator.newClient(b -> b.overrideConfiguration(o -> o
                .apiCallAttemptTimeout(Duration.ofMillis(200))
                .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())))) {
            assertThrows(ApiCallAttemptTimeoutException.class,
                    () -> impatient.getResourceRequestStatus(r -> r.requestToken(token)));
        }
    }

    @Test
    void scriptedFaultsAreConsumedInOrderPerOperation() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, 2, Fault.throttling());
        assertEquals(2, emulator.pendingFaults(ApiOperation.CancelResourceRequest));
        assertEquals(OperationStatus.PENDING, status(), "other operations are not affected");
        assertThrows(ThrottlingException.class, this::cancel);
        assertThrows(ThrottlingException.class, this::cancel);
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel());
        assertEquals(0, emulator.pendingFaults(ApiOperation.CancelResourceRequest));
    }

    @Test
    void theSdksStandardRetriesGetPastOneThrottleAndTheLogShowsBothCalls() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, 1, Fault.throttling());
        try (CloudControlClient retrying = emulator.newClient()) {
            assertEquals(OperationStatus.CANCEL_IN_PROGRESS,
                    retrying.cancelResourceRequest(r -> r.requestToken(token)).progressEvent().operationStatus());
        }
        List<CallRecord> calls = emulator.calls(ApiOperation.CancelResourceRequest);
        assertEquals(2, calls.size());
        assertEquals(Fault.throttling(), calls.get(0).fault());
        assertEquals(400, calls.get(0).httpStatus());
        assertNull(calls.get(1).fault());
        assertEquals(200, calls.get(1).httpStatus());
        assertEquals(1, emulator.acceptedCancels(token));
    }

    @Test
    void theCallLogRecordsEveryCallInOrderWithTokenStatusAndHandlingTime() {
        emulator.faultNext(ApiOperation.GetResourceRequestStatus, 1, Fault.serviceInternalError());
        assertThrows(ServiceInternalErrorException.class, this::status);
        cancel();
        String created = client.createResource(r -> r.typeName("AWS::SQS::Queue").desiredState("{}"))
                .progressEvent().requestToken();
        client.listResourceRequests(r -> { });

        List<CallRecord> calls = emulator.calls();
        assertEquals(List.of("GetResourceRequestStatus", "CancelResourceRequest", "CreateResource", "ListResourceRequests"),
                calls.stream().map(CallRecord::operation).toList());
        assertEquals(List.of(1L, 2L, 3L, 4L), calls.stream().map(CallRecord::sequence).toList());
        assertEquals(token, calls.get(0).requestToken());
        assertEquals(Fault.serviceInternalError(), calls.get(0).fault());
        assertEquals(502, calls.get(0).httpStatus());
        assertEquals(created, calls.get(2).requestToken(), "a start call logs the token it created");
        assertNull(calls.get(3).requestToken());
        assertTrue(calls.stream().allMatch(c -> c.handlingNanos() > 0));
        assertEquals(1, emulator.callCount(ApiOperation.CancelResourceRequest));
        assertEquals(0, emulator.callCount(ApiOperation.DeleteResource));

        emulator.clearCalls();
        assertEquals(List.of(), emulator.calls());
        assertEquals(0, emulator.callCount(ApiOperation.CancelResourceRequest));
    }

    @Test
    void aSeededChaosScheduleGivesTheSameFaultsForTheSameSeed() {
        List<String> first = chaosRun(7);
        assertEquals(first, chaosRun(7));
        long faulted = first.stream().filter(Objects::nonNull).count();
        assertTrue(faulted > 20 && faulted < 100, "about half of 120 calls: " + faulted);
        assertTrue(first.contains("ThrottlingException") && first.contains("ServiceInternalErrorException"));
    }

    private List<String> chaosRun(long seed) {
        emulator.reset();
        String seeded = emulator.startRequest("DELETE", "AWS::S3::Bucket", "b");
        emulator.chaos(ChaosSchedule.seeded(seed)
                .with(ApiOperation.GetResourceRequestStatus, Fault.throttling(), 0.3)
                .with(ApiOperation.GetResourceRequestStatus, Fault.serviceInternalError(), 0.2));
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            try {
                client.getResourceRequestStatus(r -> r.requestToken(seeded));
                outcomes.add(null);
            } catch (CloudControlException e) {
                outcomes.add(e.awsErrorDetails().errorCode());
            }
        }
        return outcomes;
    }

    @Test
    void scriptedFaultsComeBeforeChaos() {
        emulator.chaos(ChaosSchedule.seeded(1).with(ApiOperation.CancelResourceRequest, Fault.accessDenied(), 1.0));
        emulator.faultNext(ApiOperation.CancelResourceRequest, 1, Fault.throttling());
        assertThrows(ThrottlingException.class, this::cancel);
        assertEquals("AccessDeniedException",
                assertThrows(CloudControlException.class, this::cancel).awsErrorDetails().errorCode());
        emulator.chaos(null);
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel());
    }

    @Test
    void theRateLimitThrottlesPastTheBurst() {
        emulator.rateLimit(0.001, 3);
        status();
        status();
        status();
        ThrottlingException e = assertThrows(ThrottlingException.class, this::status);
        assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
        assertThrows(ThrottlingException.class, this::cancel);
        assertEquals(0, emulator.acceptedCancels(token));
        emulator.clearRateLimit();
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, cancel());
    }

    @Test
    void theRateLimitRefillsAtItsRate() {
        emulator.rateLimit(50, 1);
        status();
        // Poll, never sleep-and-assert: some call within a few seconds must get through again.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int throttled = 0;
        while (true) {
            try {
                status();
                break;
            } catch (ThrottlingException e) {
                throttled++;
                assertTrue(System.nanoTime() < deadline, "the bucket never refilled");
            }
        }
        assertEquals(throttled + 2, emulator.callCount(ApiOperation.GetResourceRequestStatus));
    }

    @Test
    void resetForgetsRequestsFaultsAndCalls() {
        emulator.faultNext(ApiOperation.CancelResourceRequest, 3, Fault.throttling());
        emulator.rateLimit(0.001, 1);
        emulator.defaultLifecycle(Lifecycle.DEFAULT.withCancelHangingForever());
        status();
        emulator.reset();
        assertEquals(List.of(), emulator.requestTokens());
        assertEquals(List.of(), emulator.calls());
        assertEquals(0, emulator.pendingFaults(ApiOperation.CancelResourceRequest));
        assertEquals(Lifecycle.DEFAULT, emulator.defaultLifecycle());
        SdkException gone = assertThrows(RequestTokenNotFoundException.class, this::status);
        assertInstanceOf(CloudControlException.class, gone);
    }
}
