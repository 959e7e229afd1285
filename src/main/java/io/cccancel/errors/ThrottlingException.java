package io.cccancel.errors;

/** Cloud Control kept throttling after the SDK's own retries. Retry later with backoff. */
public final class ThrottlingException extends CancelResourceRequestException {
    public ThrottlingException(String operation, Throwable cause) {
        super(operation + " was throttled by Cloud Control after the SDK's retries: retry with backoff, "
                + "or lower the caller's concurrency.", cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
