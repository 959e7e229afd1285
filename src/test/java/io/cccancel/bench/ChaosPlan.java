package io.cccancel.bench;

import io.cccancel.emulator.Lifecycle;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One execution's script: what its request does in the emulator and the faults aimed at its own calls.
 *
 * @param requestToken the execution's RequestToken (for {@link ChaosCase#UNKNOWN_TOKEN}: one the emulator never
 *                     had; for {@link ChaosCase#INVALID_TOKEN}: one that breaks the API's pattern)
 * @param lifecycle    the request's lifecycle in the emulator; null when no request is started
 * @param maxPolls     the execution's MaxPolls input; null: the deployment's default
 * @param bursts       at most one per channel
 */
record ChaosPlan(int number, ChaosCase chaosCase, String requestToken, Lifecycle lifecycle, Integer maxPolls,
                 List<Burst> bursts) {

    /** A burst that never ends: every call on the channel from {@code from} on is faulted. */
    static final int PERSISTENT = Integer.MAX_VALUE;

    /**
     * Calls number {@code from} to {@code from + count - 1} (counted from 1 per channel, retries included) of this
     * execution's token on {@code channel} get {@code fault}.
     */
    record Burst(ChaosChannel channel, ChaosFault fault, int from, int count) {

        boolean covers(int call) {
            return call >= from && call - from < count;
        }

        /** Past any retry budget: persistent, or a refusal no retry gets past. */
        boolean outlasting() {
            return count == PERSISTENT || !fault.retryable();
        }

        @Override
        public String toString() {
            String calls = count == PERSISTENT ? "every call from #" + from
                    : count == 1 ? "call #" + from : "calls #" + from + "-" + (from + count - 1);
            return fault.name() + " on " + channel.name() + " " + calls;
        }
    }

    /** The burst meant to outlast the definition's retries, or null. */
    Burst outlastingBurst() {
        return bursts.stream().filter(Burst::outlasting).findFirst().orElse(null);
    }

    /** The fault for call number {@code call} on {@code channel}, or null. */
    ChaosFault faultFor(ChaosChannel channel, int call) {
        for (Burst burst : bursts) {
            if (burst.channel() == channel && burst.covers(call)) {
                return burst.fault();
            }
        }
        return null;
    }

    String describe() {
        return chaosCase.label() + (bursts.isEmpty() ? "" : "; "
                + bursts.stream().map(Burst::toString).collect(Collectors.joining(", ")));
    }
}
