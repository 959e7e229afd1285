package io.cccancel.errors;

/**
 * Cloud Control answered ConcurrentModificationException (a 500) past the SDK's retries, or a 409 of the same meaning
 * (another operation holds the resource), which the SDK does not retry. Retry.
 */
public final class ConcurrentModificationException extends CancelResourceRequestException {
    public ConcurrentModificationException(String operation, Throwable cause) {
        this(operation, "ConcurrentModificationException", cause);
    }

    /** @param errorCode what Cloud Control answered: ConcurrentModificationException, or a 409 of the same meaning */
    public ConcurrentModificationException(String operation, String errorCode, Throwable cause) {
        super(operation + " hit " + errorCode + ": the request is being modified by another operation; retry "
                + "shortly.", cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
