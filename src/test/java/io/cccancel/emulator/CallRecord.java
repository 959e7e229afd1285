package io.cccancel.emulator;

/**
 * One call the emulator received, in arrival order.
 *
 * @param sequence       1, 2, 3... in order of arrival
 * @param operation      the operation name from X-Amz-Target (also for unknown ones), or null if the header was absent
 * @param requestToken   the request's RequestToken member, or the token a start call created; null if none
 * @param fault          the fault applied, or null for a normal answer
 * @param httpStatus     the status sent; 0 when the connection was dropped
 * @param handlingNanos  server-side time from reading the request to the last response byte (delays included)
 */
public record CallRecord(
        long sequence,
        String operation,
        String requestToken,
        Fault fault,
        int httpStatus,
        long handlingNanos) {
}
