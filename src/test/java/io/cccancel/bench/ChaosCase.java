package io.cccancel.bench;

import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.RetryAfterPolicy;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * What a chaos execution's request does in the emulator, on the wall clock, with durations short enough for a run
 * of hundreds. Each is built so that its ending does not depend on how fast the machine is: the request either
 * stays cancellable for an hour, or is already finished, or loses the race to its outcome whatever the cancel's
 * timing.
 */
enum ChaosCase {

    CANCEL_COMPLETES("the cancel completes in 0-4 s", 30),
    SLOW_CANCEL("a slow cancel: 5-9 s", 8),
    LOST_RACE("the cancel loses the race to SUCCESS (1-3 s)", 8),
    LOST_RACE_FAILED("the cancel loses the race to FAILED (1-3 s)", 6),
    ALREADY_SUCCEEDED("already SUCCESS before the run", 5),
    ALREADY_FAILED("already FAILED before the run", 4),
    ALREADY_CANCELLED("cancelled before the run (0-2 s)", 5),
    STUCK("stuck in CANCEL_IN_PROGRESS; MaxPolls 2-4", 5),
    UNKNOWN_TOKEN("a token Cloud Control never issued", 6),
    INVALID_TOKEN("a token that breaks the API's pattern", 3),
    SAME_TOKEN_TWICE("one token, two executions at once", 4);

    /** IN_PROGRESS this long: only a cancel ends it during a run. */
    static final Duration HOUR = Duration.ofHours(1);
    private static final String[] ERROR_CODES = {"NotStabilized", "GeneralServiceException", "ServiceLimitExceeded",
            "ResourceConflict", "InternalFailure"};

    private final String label;
    private final int weight;

    ChaosCase(String label, int weight) {
        this.label = label;
        this.weight = weight;
    }

    String label() {
        return label;
    }

    static ChaosCase draw(SplittableRandom random) {
        int total = 0;
        for (ChaosCase c : values()) {
            total += c.weight;
        }
        int pick = random.nextInt(total);
        for (ChaosCase c : values()) {
            pick -= c.weight;
            if (pick < 0) {
                return c;
            }
        }
        throw new AssertionError();
    }

    /** How many executions run on the token. */
    int executions() {
        return this == SAME_TOKEN_TWICE ? 2 : 1;
    }

    /** The request is PENDING or IN_PROGRESS whenever the function calls: a refused cancel is a real refusal. */
    boolean cancellableThroughout() {
        return this == CANCEL_COMPLETES || this == SLOW_CANCEL || this == STUCK;
    }

    /** The workflow reaches its polling loop: the function's answer is CANCEL_IN_PROGRESS or the race's outcome. */
    boolean polls() {
        return cancellableThroughout() || this == LOST_RACE || this == LOST_RACE_FAILED;
    }

    /** The request's lifecycle; null when no request is started. */
    Lifecycle lifecycle(SplittableRandom random) {
        Lifecycle inProgress = Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(HOUR)
                .withRetryAfter(retryAfter(random));
        return switch (this) {
            case CANCEL_COMPLETES, SAME_TOKEN_TWICE -> inProgress
                    .withPending(random.nextBoolean() ? Duration.ZERO : millis(random, 0, 1500))
                    .withCancelTaking(millis(random, 0, 4000));
            case SLOW_CANCEL -> inProgress.withCancelTaking(millis(random, 5000, 9000));
            case LOST_RACE -> inProgress.withInProgress(millis(random, 1000, 3000)).withCancelLosingRace()
                    .withCancelTaking(Duration.ofMinutes(1));
            case LOST_RACE_FAILED -> LOST_RACE.lifecycle(random).failingWith(errorCode(random),
                    "Injected failure of the operation");
            case ALREADY_SUCCEEDED -> inProgress.withInProgress(Duration.ZERO);
            case ALREADY_FAILED -> inProgress.withInProgress(Duration.ZERO).failingWith(errorCode(random),
                    "Injected failure of the operation");
            case ALREADY_CANCELLED -> inProgress.withCancelTaking(millis(random, 0, 2000));
            case STUCK -> inProgress.withCancelHangingForever();
            case UNKNOWN_TOKEN, INVALID_TOKEN -> null;
        };
    }

    /** RetryAfter 1 or 2 s ahead, on every event, on every other one, only while cancelling, or never. */
    private static RetryAfterPolicy retryAfter(SplittableRandom random) {
        int pick = random.nextInt(100);
        Duration hint = Duration.ofSeconds(pick < 15 ? 2 : 1);
        if (pick < 50) {
            return RetryAfterPolicy.always(hint);
        }
        if (pick < 65) {
            return RetryAfterPolicy.everyOtherEvent(hint);
        }
        if (pick < 80) {
            return RetryAfterPolicy.onlyIn(hint, "CANCEL_IN_PROGRESS");
        }
        return RetryAfterPolicy.never();
    }

    private static Duration millis(SplittableRandom random, int from, int to) {
        return Duration.ofMillis(random.nextInt(from, to + 1));
    }

    private static String errorCode(SplittableRandom random) {
        return ERROR_CODES[random.nextInt(ERROR_CODES.length)];
    }
}
