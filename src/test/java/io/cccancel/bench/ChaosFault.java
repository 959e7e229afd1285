package io.cccancel.bench;

import io.cccancel.emulator.Fault;
import io.cccancel.errors.ConcurrentModificationException;
import io.cccancel.errors.RequestRejectedException;
import io.cccancel.errors.ServiceUnavailableException;
import io.cccancel.errors.ThrottlingException;

/**
 * The faults a chaos run injects, and the error name each one reaches the workflow under: the function's error
 * contract for its own calls (after its SDK's retries), Step Functions' names for the workflow's calls.
 */
enum ChaosFault {

    LAMBDA_THROTTLING("Lambda throttling (429)", null, true),
    THROTTLING("ThrottlingException", Fault.throttling(), true),
    CONCURRENT_MODIFICATION("ConcurrentModificationException (500)", Fault.concurrentModification(), true),
    SERVICE_INTERNAL_ERROR("ServiceInternalErrorException (502)", Fault.serviceInternalError(), true),
    /** AWS's common InternalFailure: not in Cloud Control's model. */
    INTERNAL_FAILURE("InternalFailure (500, not in the model)", Fault.error("InternalFailure"), true),
    SERVICE_UNAVAILABLE("bare 503, no error type", Fault.serviceUnavailable(), true),
    DROPPED_CONNECTION("connection dropped before the call", Fault.dropConnection(), true),
    /** The call reaches Cloud Control and takes effect; its answer never comes back. */
    LOST_RESPONSE("answer lost after the call took effect", null, true),
    ACCESS_DENIED("AccessDeniedException (not retryable)", Fault.accessDenied(), false);

    private final String label;
    private final Fault emulatorFault;
    private final boolean retryable;

    ChaosFault(String label, Fault emulatorFault, boolean retryable) {
        this.label = label;
        this.emulatorFault = emulatorFault;
        this.retryable = retryable;
    }

    /**
     * Whether a burst of this fault on every call of the function's cancel ends the invoke in that fault's error.
     * The function reads the request's status after any failed cancel but a throttled one, and keeps the error
     * only while the request is still cancellable: so only throttling, or a request that stays cancellable (or
     * unknown) through the run. A lost answer is a cancel that took effect, so the status then says cancelling.
     */
    boolean outlastsTheFunctionsStatusRead(boolean requestStaysCancellable) {
        return this == THROTTLING || (requestStaysCancellable && this != LOST_RESPONSE);
    }

    String label() {
        return label;
    }

    /** What a fault-answering emulator answers every call with; null for faults the proxy makes itself. */
    Fault emulatorFault() {
        return emulatorFault;
    }

    /** A fault a retry can get past, as opposed to a refusal that every retry would get again. */
    boolean retryable() {
        return retryable;
    }

    /** Whether this fault can be aimed at this channel's calls. */
    boolean appliesTo(ChaosChannel channel) {
        return channel == ChaosChannel.INVOKE ? this == LAMBDA_THROTTLING
                : channel.faultable() && this != LAMBDA_THROTTLING;
    }

    /** The error the workflow's Task state fails with when this fault outlasts whatever retried it before. */
    String errorName(ChaosChannel channel) {
        return switch (channel) {
            case INVOKE -> "Lambda.TooManyRequestsException";
            case CANCEL, STATUS_BY_FUNCTION -> switch (this) {
                case THROTTLING -> ThrottlingException.class.getName();
                case CONCURRENT_MODIFICATION -> ConcurrentModificationException.class.getName();
                case ACCESS_DENIED -> RequestRejectedException.class.getName();
                default -> ServiceUnavailableException.class.getName();
            };
            case STATUS -> switch (this) {
                case THROTTLING -> "CloudControl.ThrottlingException";
                case CONCURRENT_MODIFICATION -> "CloudControl.ConcurrentModificationException";
                case SERVICE_INTERNAL_ERROR -> "CloudControl.ServiceInternalErrorException";
                case DROPPED_CONNECTION, LOST_RESPONSE -> "CloudControl.SdkClientException";
                // Outside the service's model: Step Functions names them after the service's base exception.
                default -> "CloudControl.CloudControlException";
            };
        };
    }
}
