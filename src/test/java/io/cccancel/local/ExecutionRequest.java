package io.cccancel.local;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One execution to run: its input, how long Wait states and retry intervals really take, and who watches its events
 * as they happen.
 *
 * @param input                  the execution input, JSON
 * @param skipWaits              every Wait state and retry interval takes no time (unless overridden below)
 * @param waitTimeOverridesMs    Wait state name -> milliseconds it waits instead of its Seconds/TimestampPath
 *                               (negative: it really waits, even with skipWaits)
 * @param retryIntervalOverridesMs state name -> milliseconds before each of its retries
 * @param listener               sees each event as it arrives (e.g. to print states live); may be null. With a
 *                               listener the execution runs in lockstep: each Task call waits until the listener
 *                               has seen every event before it, so it can act in step (e.g. move the emulator's
 *                               clock by what a skipped Wait meant to wait)
 * @param clock                  the time the execution lives in ($$.State.EnteredTime), when it is not the wall
 *                               clock: read at the start and, in lockstep, before each Task call; null: the wall clock
 * @param childCauseInCamelCase  a failed nested execution's Cause (its DescribeExecution JSON) spells its fields in
 *                               camelCase, as the DescribeExecution API does on the wire, instead of the PascalCase
 *                               of the .sync:2 integration's output: which one AWS uses there is not documented
 */
public record ExecutionRequest(String input, boolean skipWaits, Map<String, Long> waitTimeOverridesMs,
                               Map<String, Long> retryIntervalOverridesMs, Consumer<ExecutionEvent> listener,
                               Supplier<Instant> clock, boolean childCauseInCamelCase) {

    public ExecutionRequest {
        waitTimeOverridesMs = Map.copyOf(waitTimeOverridesMs);
        retryIntervalOverridesMs = Map.copyOf(retryIntervalOverridesMs);
    }

    /** Real waits: the execution takes as long as it would in Step Functions. */
    public static ExecutionRequest of(String input) {
        return new ExecutionRequest(input, false, Map.of(), Map.of(), null, null, false);
    }

    /** No waiting at all: Wait states and retry intervals take no time. */
    public static ExecutionRequest fast(String input) {
        return of(input).skipWaits(true);
    }

    public ExecutionRequest skipWaits(boolean skip) {
        return new ExecutionRequest(input, skip, waitTimeOverridesMs, retryIntervalOverridesMs, listener, clock,
                childCauseInCamelCase);
    }

    /** The Wait state {@code state} waits {@code millis} instead (0: not at all). */
    public ExecutionRequest waitTime(String state, long millis) {
        Map<String, Long> waits = new HashMap<>(waitTimeOverridesMs);
        waits.put(state, millis);
        return new ExecutionRequest(input, skipWaits, waits, retryIntervalOverridesMs, listener, clock,
                childCauseInCamelCase);
    }

    /** The Wait state {@code state} really waits, even when the others are skipped. */
    public ExecutionRequest realWait(String state) {
        return waitTime(state, -1);
    }

    /** The state {@code state} waits {@code millis} before each retry. */
    public ExecutionRequest retryInterval(String state, long millis) {
        Map<String, Long> retries = new HashMap<>(retryIntervalOverridesMs);
        retries.put(state, millis);
        return new ExecutionRequest(input, skipWaits, waitTimeOverridesMs, retries, listener, clock,
                childCauseInCamelCase);
    }

    public ExecutionRequest listener(Consumer<ExecutionEvent> eventListener) {
        return new ExecutionRequest(input, skipWaits, waitTimeOverridesMs, retryIntervalOverridesMs, eventListener,
                clock, childCauseInCamelCase);
    }

    /** The execution lives in this clock's time, e.g. the emulator's ManualClock when waits are skipped. */
    public ExecutionRequest clock(Supplier<Instant> time) {
        return new ExecutionRequest(input, skipWaits, waitTimeOverridesMs, retryIntervalOverridesMs, listener, time,
                childCauseInCamelCase);
    }

    /** A failed nested execution's Cause in camelCase (see {@code childCauseInCamelCase}). */
    public ExecutionRequest withChildCauseInCamelCase() {
        return new ExecutionRequest(input, skipWaits, waitTimeOverridesMs, retryIntervalOverridesMs, listener, clock,
                true);
    }

    /** Waits skipped, and the emulator's clock moved by what each Wait meant to wait, in lockstep ({@link VirtualTime}). */
    public ExecutionRequest inVirtualTimeOf(io.cccancel.emulator.CloudControlEmulator cloudControl) {
        return skipWaits(true).listener(VirtualTime.of(cloudControl)).clock(cloudControl::now);
    }
}
