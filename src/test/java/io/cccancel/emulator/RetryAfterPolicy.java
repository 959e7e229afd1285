package io.cccancel.emulator;

import java.time.Duration;
import java.util.Set;

/**
 * When a ProgressEvent carries {@code RetryAfter} (= the emulator's now + hint). Only events of a request that is
 * still moving (PENDING, IN_PROGRESS, CANCEL_IN_PROGRESS) can carry it; SUCCESS, FAILED and CANCEL_COMPLETE never do.
 * Real PENDING and IN_PROGRESS events have been seen without it, so clients must cope with every policy here.
 */
public sealed interface RetryAfterPolicy {

    /** Every event of a moving request carries RetryAfter = now + hint. */
    static RetryAfterPolicy always(Duration hint) {
        return new Always(hint, false);
    }

    /** No event ever carries RetryAfter. */
    static RetryAfterPolicy never() {
        return Never.INSTANCE;
    }

    /**
     * Every other event carries it: the 1st, 3rd, 5th... ProgressEvent served for the request (counted over every
     * response that holds one of its events: start, cancel, status and list).
     */
    static RetryAfterPolicy everyOtherEvent(Duration hint) {
        return new EveryOtherEvent(hint);
    }

    /** Only events in the given OperationStatuses carry it, e.g. {@code onlyIn(hint, "IN_PROGRESS")}. */
    static RetryAfterPolicy onlyIn(Duration hint, String... operationStatuses) {
        return new OnlyIn(hint, Set.of(operationStatuses));
    }

    /**
     * Every event of a moving request carries RetryAfter = its EventTime + hint: the stored event, as a status read
     * gets it before the operation has moved on. Read again after that time, it carries a RetryAfter already past.
     */
    static RetryAfterPolicy fromEventTime(Duration hint) {
        return new Always(hint, true);
    }

    /** The hint to add to now for this event, or null for no RetryAfter. {@code nthEvent} counts from 1. */
    Duration hintFor(String operationStatus, long nthEvent);

    /** Whether the hint counts from the event's EventTime rather than from the moment it is served. */
    default boolean fromEventTime() {
        return false;
    }

    /** @param fromEventTime counted from the event's EventTime rather than from the moment it is served */
    record Always(Duration hint, boolean fromEventTime) implements RetryAfterPolicy {
        @Override
        public Duration hintFor(String operationStatus, long nthEvent) {
            return hint;
        }
    }

    enum Never implements RetryAfterPolicy {
        INSTANCE;

        @Override
        public Duration hintFor(String operationStatus, long nthEvent) {
            return null;
        }
    }

    record EveryOtherEvent(Duration hint) implements RetryAfterPolicy {
        @Override
        public Duration hintFor(String operationStatus, long nthEvent) {
            return nthEvent % 2 == 1 ? hint : null;
        }
    }

    record OnlyIn(Duration hint, Set<String> operationStatuses) implements RetryAfterPolicy {
        @Override
        public Duration hintFor(String operationStatus, long nthEvent) {
            return operationStatuses.contains(operationStatus) ? hint : null;
        }
    }
}
