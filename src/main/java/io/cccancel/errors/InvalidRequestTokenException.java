package io.cccancel.errors;

/** The event is not a valid cancel request: the message names the field and the rule. Do not retry. */
public final class InvalidRequestTokenException extends CancelResourceRequestException {
    public InvalidRequestTokenException(String message) {
        super(message, null);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
