package io.cccancel.errors;

/**
 * Cloud Control could not be reached, answered 5xx, or kept answering a transient 4xx (a request timeout, clock skew),
 * past the SDK's retries and the call timeouts. Retry with backoff.
 */
public final class ServiceUnavailableException extends CancelResourceRequestException {
    public ServiceUnavailableException(String operation, String what, Throwable cause) {
        super(operation + " failed: " + what + ". Cloud Control was unreachable or failed after the SDK's "
                + "retries; retry with backoff.", cause);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
