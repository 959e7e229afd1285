package io.cccancel.errors;

/** Cloud Control answered ConcurrentModificationException (the request is being changed) and it outlasted the SDK's retries. Retry. */
public final class ConcurrentModificationException extends CancelResourceRequestException {
    public ConcurrentModificationException(String operation, Throwable cause) {
        super(operation + " hit ConcurrentModificationException: the request is being modified by another "
                + "operation; retry shortly.", cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
