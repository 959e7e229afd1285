package io.cccancel.emulator;

import io.cccancel.cloudcontrol.ProgressEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * One resource request inside the emulator. Its status is never stored: it is computed from the lifecycle, the
 * start time and the time a cancel was accepted, at whatever instant it is read.
 */
final class ResourceRequest {

    /** The status at one instant, and when the request entered it (the event's EventTime). */
    record State(String operationStatus, Instant eventTime) {
    }

    final long sequence;
    final String requestToken;
    final String operation;
    final String typeName;
    final String resourceModel;
    final String clientToken;
    final Lifecycle lifecycle;
    final Instant startedAt;
    private final String identifier;
    private final String hooksRequestToken;
    /** A CREATE's identifier is known once the resource exists: shown only from SUCCESS on. */
    private final boolean identifierOnSuccessOnly;

    private Instant cancelAcceptedAt;
    private int acceptedCancels;
    private long eventsServed;

    ResourceRequest(long sequence, String requestToken, String operation, String typeName, String identifier,
                    boolean identifierOnSuccessOnly, String resourceModel, String clientToken, Lifecycle lifecycle,
                    Instant startedAt, String hooksRequestToken) {
        this.sequence = sequence;
        this.requestToken = requestToken;
        this.operation = operation;
        this.typeName = typeName;
        this.identifier = identifier;
        this.identifierOnSuccessOnly = identifierOnSuccessOnly;
        this.resourceModel = resourceModel;
        this.clientToken = clientToken;
        this.lifecycle = lifecycle;
        this.startedAt = startedAt;
        this.hooksRequestToken = hooksRequestToken;
    }

    synchronized State stateAt(Instant now) {
        Instant inProgressAt = startedAt.plus(lifecycle.pending());
        Instant finishedAt = inProgressAt.plus(lifecycle.inProgress());
        if (cancelAcceptedAt == null) {
            if (now.isBefore(inProgressAt)) {
                return new State("PENDING", startedAt);
            }
            if (now.isBefore(finishedAt)) {
                return new State("IN_PROGRESS", inProgressAt);
            }
            return new State(lifecycle.outcomeStatus(), finishedAt);
        }
        Duration cancelDuration = lifecycle.cancelDuration();
        if (lifecycle.cancelLosesRace()) {
            Instant outcomeAt = cancelDuration == null ? finishedAt : min(finishedAt, cancelAcceptedAt.plus(cancelDuration));
            return now.isBefore(outcomeAt)
                    ? new State("CANCEL_IN_PROGRESS", cancelAcceptedAt)
                    : new State(lifecycle.outcomeStatus(), outcomeAt);
        }
        if (cancelDuration != null && !now.isBefore(cancelAcceptedAt.plus(cancelDuration))) {
            return new State("CANCEL_COMPLETE", cancelAcceptedAt.plus(cancelDuration));
        }
        return new State("CANCEL_IN_PROGRESS", cancelAcceptedAt);
    }

    /** The event a response carries now; counts it for {@link RetryAfterPolicy#everyOtherEvent}. */
    synchronized ProgressEvent serveEvent(Instant now) {
        eventsServed++;
        return event(stateAt(now), now, eventsServed);
    }

    /** The event now if its status passes the filter (checked and served atomically), else null. */
    synchronized ProgressEvent serveEventIf(Instant now, java.util.function.Predicate<String> operationStatusFilter) {
        return operationStatusFilter.test(stateAt(now).operationStatus()) ? serveEvent(now) : null;
    }

    /** The identifier the request was started with (for a CREATE: the one the emulator assigned). */
    String givenIdentifier() {
        return identifier;
    }

    /** The event as the API would show it now, without counting it as served (ground truth for tests). */
    synchronized ProgressEvent peekEvent(Instant now) {
        return event(stateAt(now), now, eventsServed + 1);
    }

    /**
     * Accepts a cancel if the request is PENDING or IN_PROGRESS and returns the CANCEL_IN_PROGRESS event;
     * returns null (and changes nothing) otherwise.
     */
    synchronized ProgressEvent cancel(Instant now) {
        String status = stateAt(now).operationStatus();
        if (!status.equals("PENDING") && !status.equals("IN_PROGRESS")) {
            return null;
        }
        cancelAcceptedAt = now;
        acceptedCancels++;
        eventsServed++;
        return event(new State("CANCEL_IN_PROGRESS", now), now, eventsServed);
    }

    synchronized int acceptedCancels() {
        return acceptedCancels;
    }

    boolean expiredAt(Instant now) {
        return now.isAfter(startedAt.plus(CloudControlEmulator.REQUEST_RETENTION));
    }

    private ProgressEvent event(State state, Instant now, long nthEvent) {
        String status = state.operationStatus();
        boolean failed = status.equals("FAILED");
        boolean moving = status.equals("PENDING") || status.equals("IN_PROGRESS") || status.equals("CANCEL_IN_PROGRESS");
        RetryAfterPolicy retryAfter = lifecycle.retryAfter();
        Duration hint = moving ? retryAfter.hintFor(status, nthEvent) : null;
        Instant hintFrom = retryAfter.fromEventTime() ? state.eventTime() : now;
        String shownIdentifier = identifierOnSuccessOnly && !status.equals("SUCCESS") ? null : identifier;
        return new ProgressEvent(typeName, shownIdentifier, requestToken, hooksRequestToken, operation, status,
                state.eventTime(),
                resourceModel, failed ? lifecycle.statusMessage() : null, failed ? lifecycle.errorCode() : null,
                hint == null ? null : hintFrom.plus(hint));
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
