package io.cccancel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cccancel.workflow.AslDefinition;
import java.nio.file.Path;

/**
 * The retry budgets the workflow definition gives each error, read from the definition itself, so that fault
 * bursts are sized against the file that runs and follow it when it changes.
 */
final class ChaosBudgets {

    /** The retrier that catches an error: {@code index} in its state's Retry list; index -1 when none does. */
    record Retrier(String state, int index, int maxAttempts) {
        boolean exists() {
            return index >= 0;
        }
    }

    /** Step Functions' default MaxAttempts. */
    private static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final AslDefinition definition;

    private ChaosBudgets(AslDefinition definition) {
        this.definition = definition;
    }

    static ChaosBudgets of(Path definitionFile) {
        return new ChaosBudgets(AslDefinition.load(definitionFile));
    }

    /** The first retrier of the channel's Task state whose ErrorEquals matches the error the fault becomes. */
    Retrier retrierFor(ChaosChannel channel, ChaosFault fault) {
        String state = channel.retryingState();
        String error = fault.errorName(channel);
        JsonNode retriers = definition.states().get(state).path("Retry");
        for (int i = 0; i < retriers.size(); i++) {
            for (JsonNode name : retriers.get(i).path("ErrorEquals")) {
                if (name.asText().equals(error) || name.asText().equals("States.ALL")) {
                    return new Retrier(state, i, retriers.get(i).path("MaxAttempts").asInt(DEFAULT_MAX_ATTEMPTS));
                }
            }
        }
        return new Retrier(state, -1, 0);
    }
}
