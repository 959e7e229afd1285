package io.cccancel.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * One line of an execution's event log, as run-execution.mjs streams it: the Step Functions history event types
 * (StateEntered, StateExited, StateFailed, StateRetried, StateCaught, ExecutionSucceeded, ExecutionFailed, ...).
 *
 * @param state       the state's name, for State* events
 * @param error       the error name (StateFailed, ExecutionFailed)
 * @param cause       the error's cause (StateFailed, ExecutionFailed)
 * @param errorEquals the matching retrier's or catcher's ErrorEquals (StateRetried, StateCaught)
 * @param raw         the whole line: input and output of states, the catcher's Next, map iteration index...
 */
public record ExecutionEvent(String type, Instant timestamp, String state, String error, String cause,
                             List<String> errorEquals, JsonNode raw) {

    static ExecutionEvent from(JsonNode line) {
        JsonNode cause = line.path("Cause");
        return new ExecutionEvent(
                line.path("type").asText(),
                Instant.ofEpochMilli(line.path("timestamp").asLong()),
                text(line, "state"),
                text(line, "Error"),
                cause.isMissingNode() || cause.isNull() ? null : cause.isTextual() ? cause.asText() : cause.toString(),
                line.has("ErrorEquals")
                        ? StreamSupport.stream(line.get("ErrorEquals").spliterator(), false).map(JsonNode::asText).toList()
                        : List.of(),
                line);
    }

    public boolean is(String eventType) {
        return type.equals(eventType);
    }

    /** True for the events that end an execution. */
    public boolean isTerminal() {
        return switch (type) {
            case "ExecutionSucceeded", "ExecutionFailed", "ExecutionTimeout", "ExecutionAborted", "RunnerError" -> true;
            default -> false;
        };
    }

    /** The state's input (StateEntered) or output (StateExited), or the execution's output. */
    public JsonNode data() {
        return raw.has("output") ? raw.get("output") : raw.path("input");
    }

    private static String text(JsonNode line, String field) {
        JsonNode value = line.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
