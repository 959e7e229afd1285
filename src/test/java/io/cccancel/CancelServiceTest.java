package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.CancelService.Outcome;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.errors.ConcurrentModificationException;
import io.cccancel.errors.RequestRejectedException;
import io.cccancel.errors.ServiceUnavailableException;
import io.cccancel.errors.ThrottlingException;
import io.cccancel.testing.RecordingCloudControl;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/** The decisions, isolated from the wire: which status wins, when the status is consulted, what is rethrown. */
class CancelServiceTest {

    static final String TOKEN = "4fc21ab3-ad4b-4d3b-b3b4-0f0b1e0d8f5a";
    final RecordingCloudControl cloudControl = new RecordingCloudControl();
    final CancelService service = new CancelService(cloudControl, MetricsFactory.getMetricsInstance(), "Test");

    static ProgressEvent event(String status) {
        return new ProgressEvent("AWS::Logs::LogGroup", "my-group", TOKEN, null, "CREATE", status,
                Instant.parse("2026-11-24T08:30:00Z"), "{\"LogGroupName\":\"my-group\"}", null, null, null);
    }

    /** The handler flushes after every invocation; do the same so no metric leaks into another test's output. */
    @AfterEach
    void flushMetrics() {
        MetricsFactory.getMetricsInstance().flush();
    }

    void bothCallsFail(RuntimeException cancelError, RuntimeException statusError) {
        cloudControl.onCancel = token -> {
            throw cancelError;
        };
        cloudControl.onGetStatus = token -> {
            throw statusError;
        };
    }

    CancelService.Result cancel() {
        return service.cancel(("{\"RequestToken\":\"" + TOKEN + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acceptedCancelIsOneCall() {
        cloudControl.onCancel = token -> event("CANCEL_IN_PROGRESS");

        CancelService.Result result = cancel();

        assertEquals(Outcome.CancelAccepted, result.outcome());
        assertEquals("CANCEL_IN_PROGRESS", result.ProgressEvent().OperationStatus());
        assertEquals(List.of("CancelResourceRequest " + TOKEN), cloudControl.calls);
    }

    @ParameterizedTest(name = "refused, then status {0} -> {1}")
    @CsvSource({"CANCEL_IN_PROGRESS, AlreadyCancelling", "CANCEL_COMPLETE, AlreadyCancelling",
            "SUCCESS, NotCancellable", "FAILED, NotCancellable"})
    void refusedCancelIsDecidedFromTheStatus(String status, Outcome expected) {
        cloudControl.onCancel = token -> {
            throw new RequestRejectedException("CancelResourceRequest", "InvalidRequestException", "cannot cancel", null);
        };
        cloudControl.onGetStatus = token -> event(status);

        CancelService.Result result = cancel();

        assertEquals(expected, result.outcome());
        assertEquals(status, result.ProgressEvent().OperationStatus());
        assertEquals(List.of("CancelResourceRequest " + TOKEN, "GetResourceRequestStatus " + TOKEN), cloudControl.calls);
    }

    @Test
    void currentEventAnsweredForAFinishedRequestIsNotCancellable() {
        cloudControl.onCancel = token -> event("SUCCESS");

        assertEquals(Outcome.NotCancellable, cancel().outcome());
        assertEquals(1, cloudControl.calls.size());
    }

    @Test
    void aCancelAnsweredAsAlreadyCompleteIsAlreadyCancelling() {
        cloudControl.onCancel = token -> event("CANCEL_COMPLETE");

        assertEquals(Outcome.AlreadyCancelling, cancel().outcome());
        assertEquals(1, cloudControl.calls.size());
    }

    @Test
    void aRefusalThatMayBeHarmlessGivesWayToAStatusReadThatMayBeRetried() {
        // A second invoke for a request already cancelling is refused with a 4xx; if the status read that would show
        // it is throttled, the caller must be told to retry, not that retrying will not help.
        RequestRejectedException refusal =
                new RequestRejectedException("CancelResourceRequest", "InvalidRequestException", "is CANCEL_IN_PROGRESS", null);
        ThrottlingException throttled = new ThrottlingException("GetResourceRequestStatus", null);
        bothCallsFail(refusal, throttled);

        ThrottlingException thrown = assertThrows(ThrottlingException.class, this::cancel);
        assertSame(throttled, thrown);
        assertSame(refusal, thrown.getSuppressed()[0]);
    }

    @Test
    void aStatusReadRefusedForGoodOutranksACancelThatFailedForAPassingReason() {
        ServiceUnavailableException outage = new ServiceUnavailableException("CancelResourceRequest", "HTTP 503", null);
        RequestRejectedException denied =
                new RequestRejectedException("GetResourceRequestStatus", "AccessDeniedException", "no", null);
        bothCallsFail(outage, denied);

        RequestRejectedException thrown = assertThrows(RequestRejectedException.class, this::cancel);
        assertSame(denied, thrown);
        assertTrue(thrown.getMessage().contains("cloudformation:GetResourceRequestStatus"), thrown.getMessage());
        assertSame(outage, thrown.getSuppressed()[0]);
    }

    @Test
    void aStatusReadRefusedForTheCallersSakeOutranksAnotherRefusal() {
        RequestRejectedException invalid =
                new RequestRejectedException("CancelResourceRequest", "InvalidRequestException", "cannot cancel", null);
        RequestRejectedException denied =
                new RequestRejectedException("GetResourceRequestStatus", "AccessDeniedException", "no", null);
        bothCallsFail(invalid, denied);

        assertSame(denied, assertThrows(RequestRejectedException.class, this::cancel));
    }

    @Test
    void refusedCredentialsStandWhateverTheStatusReadMet() {
        RequestRejectedException credentials =
                new RequestRejectedException("CancelResourceRequest", "UnrecognizedClientException", "bad token", null);
        bothCallsFail(credentials, new ThrottlingException("GetResourceRequestStatus", null));

        assertSame(credentials, assertThrows(RequestRejectedException.class, this::cancel));
    }

    @Test
    void refusalOfAStillRunningRequestIsRethrown() {
        ConcurrentModificationException refusal = new ConcurrentModificationException("CancelResourceRequest", null);
        cloudControl.onCancel = token -> {
            throw refusal;
        };
        cloudControl.onGetStatus = token -> event("IN_PROGRESS");

        assertSame(refusal, assertThrows(ConcurrentModificationException.class, this::cancel));
    }

    @Test
    void refusalIsRethrownWhenTheStatusCannotBeRead() {
        RequestRejectedException refusal =
                new RequestRejectedException("CancelResourceRequest", "AccessDeniedException", "no", null);
        bothCallsFail(refusal, new ServiceUnavailableException("GetResourceRequestStatus", "HTTP 503", null));

        RequestRejectedException thrown = assertThrows(RequestRejectedException.class, this::cancel);
        assertSame(refusal, thrown);
        assertEquals(ServiceUnavailableException.class, thrown.getSuppressed()[0].getClass());
    }

    @ParameterizedTest(name = "5xx on the cancel, then status {0} -> {1}")
    @CsvSource({"CANCEL_COMPLETE, AlreadyCancelling", "SUCCESS, NotCancellable"})
    void aServerErrorOnTheCancelIsAlsoDecidedFromTheStatus(String status, Outcome expected) {
        // AWS does not document its answer to cancelling a request that is already done: it may be a 5xx.
        cloudControl.onCancel = token -> {
            throw new ServiceUnavailableException("CancelResourceRequest", "HandlerInternalFailureException (HTTP 502)", null);
        };
        cloudControl.onGetStatus = token -> event(status);

        assertEquals(expected, cancel().outcome());
        assertEquals(List.of("CancelResourceRequest " + TOKEN, "GetResourceRequestStatus " + TOKEN), cloudControl.calls);
    }

    @Test
    void aServerErrorOnAStillRunningRequestIsRethrownToBeRetried() {
        ServiceUnavailableException outage = new ServiceUnavailableException("CancelResourceRequest", "HTTP 502", null);
        cloudControl.onCancel = token -> {
            throw outage;
        };
        cloudControl.onGetStatus = token -> event("IN_PROGRESS");

        assertSame(outage, assertThrows(ServiceUnavailableException.class, this::cancel));
    }

    @Test
    void throttlingIsNotExplainedAway() {
        cloudControl.onCancel = token -> {
            throw new ThrottlingException("CancelResourceRequest", null);
        };

        assertThrows(ThrottlingException.class, this::cancel);
        assertEquals(1, cloudControl.calls.size(), "throttled: another call would only add to it; it is retried");
    }
}
