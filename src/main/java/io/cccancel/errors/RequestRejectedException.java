package io.cccancel.errors;

import java.util.Set;

/**
 * Cloud Control refused the call for a reason retrying will not fix (AccessDenied, InvalidCredentials, an
 * unexpected 4xx). Fix the cause named in the message (usually the function role's IAM policy), then retry.
 */
public final class RequestRejectedException extends CancelResourceRequestException {

    /**
     * Codes AWS answers when it does not accept the caller's credentials or signature, in both spellings AWS uses:
     * the common errors' (IncompleteSignature) and a JSON protocol's (IncompleteSignatureException).
     */
    private static final Set<String> CREDENTIAL_ERRORS = Set.of("InvalidCredentialsException",
            "UnrecognizedClientException", "InvalidClientTokenId", "InvalidClientTokenIdException",
            "InvalidSignatureException", "ExpiredTokenException", "ExpiredToken", "IncompleteSignature",
            "IncompleteSignatureException", "MissingAuthenticationToken", "MissingAuthenticationTokenException");

    private final boolean refusesTheCaller;

    public RequestRejectedException(String operation, String errorCode, String detail, Throwable cause) {
        this(operation, errorCode, 0, detail, cause);
    }

    /** @param status the HTTP status, 0 when unknown; @param detail Cloud Control's message, null when it gave none */
    public RequestRejectedException(String operation, String errorCode, int status, String detail, Throwable cause) {
        super(operation + " was rejected by Cloud Control with " + errorCode
                + (detail == null || detail.isBlank() ? " (no message)" : ": " + detail)
                + ". Retrying will not help: " + advice(operation, errorCode, status), cause);
        this.refusesTheCaller = accessDenied(errorCode) || credentials(errorCode, status);
    }

    /** What to fix, as far as the error code tells. */
    private static String advice(String operation, String errorCode, int status) {
        if (accessDenied(errorCode)) {
            return "the function's role needs cloudformation:" + operation + ".";
        }
        if (errorCode.startsWith("ExpiredToken")) {
            return "the function's credentials had expired: check what supplies them (its role, or credentials set "
                    + "in its environment).";
        }
        if (credentials(errorCode, status)) {
            return "the function's credentials or signature were refused: check that its role exists and that Lambda "
                    + "may assume it.";
        }
        return "fix the cause named.";
    }

    private static boolean accessDenied(String errorCode) {
        return errorCode.startsWith("AccessDenied");
    }

    private static boolean credentials(String errorCode, int status) {
        return status == 401 || CREDENTIAL_ERRORS.contains(errorCode);
    }

    /**
     * The refusal is of the caller itself (its permissions or credentials), not of the request: it holds for any
     * request, whatever that request's status.
     */
    public boolean refusesTheCaller() {
        return refusesTheCaller;
    }

    @Override
    public boolean retryable() {
        return false;
    }
}
