package io.cccancel.emulator;

/**
 * What CancelResourceRequest answers for a request that is no longer PENDING or IN_PROGRESS (SUCCESS, FAILED,
 * CANCEL_IN_PROGRESS, CANCEL_COMPLETE). AWS does not document it, so clients must cope with either answer.
 */
public sealed interface NotCancellableAnswer {

    /** The default: InvalidRequestException (HTTP 400). */
    NotCancellableAnswer DEFAULT = error("InvalidRequestException");

    /** An error of this type, with the status {@link Fault#error(String)} would use. */
    static NotCancellableAnswer error(String errorType) {
        return new Error(errorType, ErrorTypes.httpStatus(errorType));
    }

    /** HTTP 200 with the request's current ProgressEvent (nothing changes). */
    static NotCancellableAnswer currentEvent() {
        return CurrentEvent.INSTANCE;
    }

    record Error(String errorType, int httpStatus) implements NotCancellableAnswer {
    }

    enum CurrentEvent implements NotCancellableAnswer {
        INSTANCE
    }
}
