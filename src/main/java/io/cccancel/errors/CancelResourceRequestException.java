package io.cccancel.errors;

/**
 * Base of every error the function ends with. Lambda reports a thrown exception's fully-qualified class
 * name as {@code errorType}, and Step Functions matches Retry/Catch on it: the class names below are the
 * stable, documented error contract (README, "Errors"). Never rename one without a major version.
 */
public abstract sealed class CancelResourceRequestException extends RuntimeException
        permits InvalidRequestTokenException, RequestTokenNotFoundException, ThrottlingException,
                ConcurrentModificationException, ServiceUnavailableException, RequestRejectedException,
                InvalidSweepFilterException {

    protected CancelResourceRequestException(String message, Throwable cause) {
        super(message, cause, true, false); // no writable stack trace: it is never read and costs time
    }

    /** Whether a caller (a Step Functions Retry, an operator) should try the same input again. */
    public abstract boolean retryable();
}
