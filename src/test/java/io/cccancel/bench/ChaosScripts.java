package io.cccancel.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plans by RequestToken, and each token's call count per channel: which fault, if any, the next call of a
 * token on a channel gets. The emulator's own fault queues are per operation and shared by every execution running
 * at the same time; counting per token is what lets a fault hit the one execution its plan is for.
 */
final class ChaosScripts {

    /** What the proxy does with one call: its number on the channel (from 1) and its fault, or null. */
    record Decision(int call, ChaosFault fault) {
    }

    private final Map<String, ChaosPlan> plans = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    void add(ChaosPlan plan) {
        plans.put(plan.requestToken(), plan);
    }

    Decision next(String requestToken, ChaosChannel channel) {
        if (requestToken == null || channel == null) {
            return new Decision(0, null);
        }
        int call = calls.computeIfAbsent(requestToken + "|" + channel, k -> new AtomicInteger()).incrementAndGet();
        ChaosPlan plan = plans.get(requestToken);
        return new Decision(call, plan == null || !channel.faultable() ? null : plan.faultFor(channel, call));
    }
}
