package io.cccancel.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How one resource request plays out on the emulator's clock. Immutable; start from {@link #DEFAULT} and change
 * what a scenario needs with the {@code with...} methods.
 *
 * <pre>
 *   start ──pending──▶ IN_PROGRESS ──inProgress──▶ SUCCESS | FAILED(errorCode, statusMessage)
 *   cancel accepted at t (only while PENDING/IN_PROGRESS):
 *     CANCEL_IN_PROGRESS from t ──cancelDuration──▶ CANCEL_COMPLETE      (cancelDuration null: never completes)
 *     cancelLosesRace: CANCEL_IN_PROGRESS from t, then the outcome at min(end of IN_PROGRESS, t + cancelDuration)
 * </pre>
 *
 * @param pending          time in PENDING after the request starts (zero: starts IN_PROGRESS)
 * @param inProgress       time in IN_PROGRESS before the outcome
 * @param outcomeStatus    "SUCCESS" or "FAILED"
 * @param errorCode        the ProgressEvent ErrorCode when FAILED (e.g. "NotStabilized"); null otherwise
 * @param statusMessage    the ProgressEvent StatusMessage when FAILED; null otherwise
 * @param cancelDuration   time from an accepted cancel to CANCEL_COMPLETE; null = hangs in CANCEL_IN_PROGRESS
 * @param cancelLosesRace  an accepted cancel shows CANCEL_IN_PROGRESS but the operation still ends in its outcome
 * @param retryAfter       which events carry RetryAfter
 */
public record Lifecycle(
        Duration pending,
        Duration inProgress,
        String outcomeStatus,
        String errorCode,
        String statusMessage,
        Duration cancelDuration,
        boolean cancelLosesRace,
        RetryAfterPolicy retryAfter) {

    /** 1 s PENDING, 30 s IN_PROGRESS, then SUCCESS; a cancel completes in 5 s; RetryAfter always, 5 s ahead. */
    public static final Lifecycle DEFAULT = new Lifecycle(Duration.ofSeconds(1), Duration.ofSeconds(30), "SUCCESS",
            null, null, Duration.ofSeconds(5), false, RetryAfterPolicy.always(Duration.ofSeconds(5)));

    public Lifecycle {
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(inProgress, "inProgress");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (pending.isNegative() || inProgress.isNegative() || (cancelDuration != null && cancelDuration.isNegative())) {
            throw new IllegalArgumentException("durations must not be negative");
        }
        if (!"SUCCESS".equals(outcomeStatus) && !"FAILED".equals(outcomeStatus)) {
            throw new IllegalArgumentException("outcomeStatus must be SUCCESS or FAILED, was " + outcomeStatus);
        }
    }

    public Lifecycle withPending(Duration pending) {
        return new Lifecycle(pending, inProgress, outcomeStatus, errorCode, statusMessage, cancelDuration,
                cancelLosesRace, retryAfter);
    }

    public Lifecycle withInProgress(Duration inProgress) {
        return new Lifecycle(pending, inProgress, outcomeStatus, errorCode, statusMessage, cancelDuration,
                cancelLosesRace, retryAfter);
    }

    /** Ends in SUCCESS (the default). */
    public Lifecycle succeeding() {
        return new Lifecycle(pending, inProgress, "SUCCESS", null, null, cancelDuration, cancelLosesRace, retryAfter);
    }

    /** Ends in FAILED with this ErrorCode (one of the API's HandlerErrorCode values) and StatusMessage. */
    public Lifecycle failingWith(String errorCode, String statusMessage) {
        return new Lifecycle(pending, inProgress, "FAILED", errorCode, statusMessage, cancelDuration, cancelLosesRace,
                retryAfter);
    }

    public Lifecycle withCancelTaking(Duration cancelDuration) {
        return new Lifecycle(pending, inProgress, outcomeStatus, errorCode, statusMessage,
                Objects.requireNonNull(cancelDuration, "cancelDuration"), cancelLosesRace, retryAfter);
    }

    /** An accepted cancel stays CANCEL_IN_PROGRESS forever (a stuck request). */
    public Lifecycle withCancelHangingForever() {
        return new Lifecycle(pending, inProgress, outcomeStatus, errorCode, statusMessage, null, cancelLosesRace,
                retryAfter);
    }

    /** An accepted cancel loses the race: the operation still ends in SUCCESS or FAILED. */
    public Lifecycle withCancelLosingRace() {
        return new Lifecycle(pending, inProgress, outcomeStatus, errorCode, statusMessage, cancelDuration, true,
                retryAfter);
    }

    public Lifecycle withRetryAfter(RetryAfterPolicy retryAfter) {
        return new Lifecycle(pending, inProgress, outcomeStatus, errorCode, statusMessage, cancelDuration,
                cancelLosesRace, retryAfter);
    }
}
