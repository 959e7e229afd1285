package io.cccancel.errors;

/**
 * Cloud Control refused the call for a reason retrying will not fix (AccessDenied, InvalidCredentials, an
 * unexpected 4xx). Fix the cause named in the message (usually the function role's IAM policy), then retry.
 */
public final class RequestRejectedException extends CancelResourceRequestException {
    public RequestRejectedException(String operation, String errorCode, String detail, Throwable cause) {
        super(operation + " was rejected by Cloud Control with " + errorCode + ": " + detail
                + ". Retrying will not help: fix the cause (for AccessDenied, the role needs "
                + "cloudformation:" + operation + ").", cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
