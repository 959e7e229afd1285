package io.cccancel;

import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.errors.CancelResourceRequestException;
import io.cccancel.errors.ConcurrentModificationException;
import io.cccancel.errors.RequestRejectedException;
import io.cccancel.errors.ServiceUnavailableException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The decisions: cancel a request and say what became of it. A retried invocation must be harmless, so when Cloud
 * Control refuses the cancel, the answer is decided from the request's current status (GetResourceRequestStatus),
 * never from guessing what the refusal means: AWS does not document what it answers for a request that is already
 * cancelling or finished.
 */
public final class CancelService {

    /** What the function did, as counted in metrics and logs. */
    public enum Outcome {
        /** Cloud Control accepted the cancel. */
        CancelAccepted,
        /** A cancel was already under way or done (CANCEL_IN_PROGRESS / CANCEL_COMPLETE): nothing to do. */
        AlreadyCancelling,
        /** The operation already ended SUCCESS or FAILED: there is nothing left to cancel. */
        NotCancellable
    }

    /** The ProgressEvent to return, and what happened. */
    public record Result(ProgressEvent ProgressEvent, Outcome outcome) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CancelService.class);
    /** The keys every log line of an invocation carries (MDC), cleared when it ends. The log template names each. */
    static final List<String> LOG_KEYS = List.of("RequestToken", "TypeName", "Identifier", "OperationStatus");

    private final CloudControl cloudControl;
    private final Metrics metrics;
    private final String metricsNamespace;

    public CancelService(CloudControl cloudControl, Metrics metrics, String metricsNamespace) {
        this.cloudControl = cloudControl;
        this.metrics = metrics;
        this.metricsNamespace = metricsNamespace;
    }

    /** Validates the event, then cancels: bad input is counted as a failed cancel like any other error. */
    public Result cancel(byte[] event) {
        metrics.addMetric("CancelRequested", 1, MetricUnit.COUNT);
        try {
            String requestToken = CancelEvent.parse(event).RequestToken();
            MDC.put("RequestToken", requestToken);
            Result result = cancelOrExplain(requestToken);
            describe(result.ProgressEvent());
            metrics.addMetric(result.outcome().name(), 1, MetricUnit.COUNT);
            switch (result.outcome()) {
                case CancelAccepted -> LOG.info("Cancel accepted by Cloud Control");
                case AlreadyCancelling -> LOG.info("Request is already cancelling or cancelled: nothing to do");
                case NotCancellable -> LOG.warn("Request already finished {}: not cancellable",
                        result.ProgressEvent().OperationStatus());
            }
            return result;
        } catch (CancelResourceRequestException e) {
            // Its own EMF document: an ErrorType dimension must not split the invocation's other metrics.
            metrics.flushSingleMetric("CancelFailed", 1, MetricUnit.COUNT, metricsNamespace,
                    DimensionSet.of("ErrorType", e.getClass().getSimpleName()));
            LOG.warn("Cancel failed with {} (retryable: {}): {}", e.getClass().getSimpleName(), e.retryable(),
                    e.getMessage());
            throw e;
        } finally {
            // A warm container runs the next invocation on the same thread: no key may leak into its logs.
            LOG_KEYS.forEach(MDC::remove);
        }
    }

    private Result cancelOrExplain(String requestToken) {
        ProgressEvent answer;
        try {
            answer = cloudControl.cancelResourceRequest(requestToken);
        } catch (RequestRejectedException | ConcurrentModificationException | ServiceUnavailableException refused) {
            // What Cloud Control answers a cancel of a request that is no longer cancellable is not documented: a
            // 4xx refusal, a ConcurrentModification, even a 5xx. Whatever the error, the status says whether the cancel
            // still matters.
            // Throttling is the one exception: another call would only add to it.
            return explainRefusal(requestToken, refused);
        }
        // AWS may also answer a cancel of a finished request with the current event: classify by its status.
        if (answer.isFinished()) {
            return new Result(answer, Outcome.NotCancellable);
        }
        // A cancel that is already complete was not accepted now. (CANCEL_IN_PROGRESS is what an accepted cancel
        // answers, so it cannot tell a repeat apart and counts as accepted.)
        if ("CANCEL_COMPLETE".equals(answer.OperationStatus())) {
            return new Result(answer, Outcome.AlreadyCancelling);
        }
        return new Result(answer, Outcome.CancelAccepted);
    }

    /** The cancel was refused: the request's status says whether that is harmless (already done) or a failure. */
    private Result explainRefusal(String requestToken, CancelResourceRequestException refused) {
        ProgressEvent current;
        try {
            current = cloudControl.getResourceRequestStatus(requestToken);
        } catch (CancelResourceRequestException statusFailure) {
            CancelResourceRequestException decisive = decisive(refused, statusFailure);
            decisive.addSuppressed(decisive == refused ? statusFailure : refused);
            throw decisive;
        }
        if (current.isCancelling()) {
            return new Result(current, Outcome.AlreadyCancelling);
        }
        if (current.isFinished()) {
            return new Result(current, Outcome.NotCancellable);
        }
        // Still PENDING/IN_PROGRESS: the refusal was real (a concurrent modification, an outage); its own error, with
        // its own advice on retrying, goes back to the caller.
        describe(current);
        throw refused;
    }

    /**
     * The cancel was refused and its status could not be read: which error goes back decides whether the caller
     * retries. A refusal of the caller itself (permissions, credentials) stands: no retry fixes it. Any other refusal
     * may only mean the request is past cancelling, which the status would have shown, so while the read fails for a
     * passing reason (throttling, an outage) the caller must stay free to ask again; a read refused for good (its
     * permission missing, the token unknown) outranks a cancel that failed for a passing reason; and a read refused
     * for the caller's own sake is the one error of the two that names what to fix.
     */
    static CancelResourceRequestException decisive(CancelResourceRequestException refused,
                                                   CancelResourceRequestException statusFailure) {
        if (refusesTheCaller(refused)) {
            return refused;
        }
        if (refusesTheCaller(statusFailure)) {
            return statusFailure;
        }
        return refused.retryable() != statusFailure.retryable() ? statusFailure : refused;
    }

    private static boolean refusesTheCaller(CancelResourceRequestException e) {
        return e instanceof RequestRejectedException rejected && rejected.refusesTheCaller();
    }

    private static void describe(ProgressEvent event) {
        put("TypeName", event.TypeName());
        put("Identifier", event.Identifier());
        put("OperationStatus", event.OperationStatus());
    }

    private static void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }
}
