package io.cccancel.errors;

/** The sweep's input (its filters or page token) breaks a rule; the message names the field and the rule. Do not retry. */
public final class InvalidSweepFilterException extends CancelResourceRequestException {
    public InvalidSweepFilterException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
