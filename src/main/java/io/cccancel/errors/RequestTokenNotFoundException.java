package io.cccancel.errors;

/** Cloud Control has no request with this token (never existed, other account or region, or expired after 7 days). Do not retry. */
public final class RequestTokenNotFoundException extends CancelResourceRequestException {
    public RequestTokenNotFoundException(String requestToken, Throwable cause) {
        super("RequestToken '" + requestToken + "' was not found by Cloud Control in this account and region: "
                + "check the token, the account and AWS_REGION (requests expire after seven days).", cause);
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
