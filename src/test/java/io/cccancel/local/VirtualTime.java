package io.cccancel.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.cccancel.emulator.CloudControlEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Keeps the emulator's clock in step with a workflow whose waits are skipped: each Wait state moves the emulator's
 * ManualClock by what it meant to wait ({@code waitSeconds}, or up to {@code waitUntil}; a time already past moves
 * nothing), so requests age as they would have, without anyone sleeping. Use it as an {@link ExecutionRequest}
 * listener: the execution then runs in lockstep, so the clock has moved before the next Task call is made.
 */
public final class VirtualTime implements Consumer<ExecutionEvent> {

    private final CloudControlEmulator cloudControl;

    private VirtualTime(CloudControlEmulator cloudControl) {
        this.cloudControl = cloudControl;
    }

    /** The emulator must run on a ManualClock (what {@link CloudControlEmulator#start()} gives). */
    public static VirtualTime of(CloudControlEmulator cloudControl) {
        return new VirtualTime(cloudControl);
    }

    @Override
    public void accept(ExecutionEvent event) {
        if (!event.is("StateEntered")) {
            return;
        }
        JsonNode seconds = event.raw().path("waitSeconds");
        JsonNode until = event.raw().path("waitUntil");
        if (seconds.isNumber()) {
            cloudControl.advanceClock(Duration.ofMillis(Math.round(seconds.asDouble() * 1000)));
        } else if (until.isTextual()) {
            Duration ahead = Duration.between(cloudControl.now(), Instant.parse(until.asText()));
            if (ahead.isPositive()) {
                cloudControl.advanceClock(ahead);
            }
        }
    }
}
