package io.cccancel.emulator;

/**
 * One call the emulator received, in arrival order.
 *
 * @param sequence       1, 2, 3... in order of arrival
 * @param operation      the operation name from X-Amz-Target (also for unknown ones), or null if the header was absent
 * @param requestToken   the request's RequestToken member, or the token a start call created; null if none
 * @param fault          the fault applied, or null for a normal answer
 * @param httpStatus     the status sent; 0 when the connection was dropped
 * @param handlingNanos  the emulator's own time for the call: from the whole request having arrived to its answer
 *                       being ready to send (injected delays included, network waits not)
 */
public record CallRecord(
        long sequence,
        String operation,
        String requestToken,
        Fault fault,
        int httpStatus,
        long handlingNanos) {
}
