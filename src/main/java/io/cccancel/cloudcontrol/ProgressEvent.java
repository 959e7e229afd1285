package io.cccancel.cloudcontrol;

import java.time.Instant;

/**
 * Cloud Control's ProgressEvent, field for field as the API names them. Optional fields are null when the API
 * omitted them; {@link io.cccancel.Json#progressEvent} leaves them out of the output instead of writing null.
 */
public record ProgressEvent(
        String TypeName,
        String Identifier,
        String RequestToken,
        String HooksRequestToken,
        String Operation,
        String OperationStatus,
        Instant EventTime,
        String ResourceModel,
        String StatusMessage,
        String ErrorCode,
        Instant RetryAfter) {

    /** Statuses a cancel can still act on (the API reference: "only PENDING or IN_PROGRESS"). */
    public boolean isCancellable() {
        return "PENDING".equals(OperationStatus) || "IN_PROGRESS".equals(OperationStatus);
    }

    public boolean isCancelling() {
        return "CANCEL_IN_PROGRESS".equals(OperationStatus) || "CANCEL_COMPLETE".equals(OperationStatus);
    }

    /** The operation ran to its end: there is nothing left to cancel. */
    public boolean isFinished() {
        return "SUCCESS".equals(OperationStatus) || "FAILED".equals(OperationStatus);
    }

    /** The same event without ResourceModel, which can hold secrets (a resource's desired state). */
    public ProgressEvent withoutResourceModel() {
        return new ProgressEvent(TypeName, Identifier, RequestToken, HooksRequestToken, Operation, OperationStatus,
                EventTime, null, StatusMessage, ErrorCode, RetryAfter);
    }
}
