package io.cccancel.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How one local execution ended, with its whole event log: what a Step Functions execution's history shows.
 *
 * @param output the execution's output (SUCCEEDED), else null
 * @param error  the execution's Error (FAILED), else null
 * @param cause  the execution's Cause (FAILED), else null
 */
public record ExecutionResult(String executionId, Status status, JsonNode output, String error, String cause,
                              List<ExecutionEvent> events) {

    public enum Status { SUCCEEDED, FAILED, TIMED_OUT, ABORTED }

    /** A state that failed with {@code error} and was retried. */
    public record Retry(String state, String error) {
    }

    /** A state that failed with {@code error}, caught and sent on to {@code next}. */
    public record Catch(String state, String error, String next) {
    }

    /**
     * A nested execution a {@code states:startExecution.sync:2} task ran, as it ended.
     *
     * @param status SUCCEEDED, FAILED, TIMED_OUT or ABORTED
     * @param states the states it entered, in order
     * @param retries the retries it took
     */
    public record ChildExecution(String executionArn, JsonNode input, String status, String error, String cause,
                                 List<String> states, int retries) {
    }

    static ExecutionResult from(String executionId, List<ExecutionEvent> events) {
        ExecutionEvent last = events.getLast();
        Status status = switch (last.type()) {
            case "ExecutionSucceeded" -> Status.SUCCEEDED;
            case "ExecutionFailed" -> Status.FAILED;
            case "ExecutionTimeout" -> Status.TIMED_OUT;
            case "ExecutionAborted" -> Status.ABORTED;
            default -> throw new IllegalStateException("Execution " + executionId + " did not end: " + last.raw());
        };
        return new ExecutionResult(executionId, status, status == Status.SUCCEEDED ? last.raw().get("output") : null,
                last.error(), last.cause(), List.copyOf(events));
    }

    public boolean succeeded() {
        return status == Status.SUCCEEDED;
    }

    /** The states entered, in order, once per entry (a polling loop shows each of its states many times). */
    public List<String> statesEntered() {
        return events.stream().filter(e -> e.is("StateEntered")).map(ExecutionEvent::state).toList();
    }

    /** The Task states that made their call, in order, once per call (retries included): TaskScheduled events. */
    public List<String> tasksScheduled() {
        return events.stream().filter(e -> e.is("TaskScheduled")).map(ExecutionEvent::state).toList();
    }

    public long timesEntered(String state) {
        return statesEntered().stream().filter(state::equals).count();
    }

    /** Every retry taken, in order, with the error that caused it. */
    public List<Retry> retries() {
        return followUps("StateRetried").stream().map(p -> new Retry(p[1].state(), p[0].error())).toList();
    }

    /** Every error caught, in order. */
    public List<Catch> catches() {
        return followUps("StateCaught").stream()
                .map(p -> new Catch(p[1].state(), p[0].error(), p[1].raw().path("Next").asText())).toList();
    }

    /** Every nested execution this one ran and waited for, in the order they ended. */
    public List<ChildExecution> childExecutions() {
        Map<String, JsonNode> inputs = new HashMap<>();
        events.stream().filter(e -> e.is("ChildExecutionStarted"))
                .forEach(e -> inputs.put(e.raw().path("executionArn").asText(), e.raw().path("input")));
        return events.stream().filter(e -> e.is("ChildExecutionEnded")).map(e -> {
            JsonNode raw = e.raw();
            List<String> states = new ArrayList<>();
            raw.path("states").forEach(name -> states.add(name.asText()));
            return new ChildExecution(raw.path("executionArn").asText(), inputs.get(raw.path("executionArn").asText()),
                    raw.path("status").asText(), e.error(), e.cause(), List.copyOf(states), raw.path("retries").asInt());
        }).toList();
    }

    /**
     * The events it published with {@code events:putEvents}, in order, each with the fields EventBridge delivers:
     * {@code eventBusName}, {@code source}, {@code detailType}, {@code detail} (JSON), {@code resources}.
     */
    public List<JsonNode> publishedEvents() {
        return events.stream().filter(e -> e.is("EventPublished")).map(ExecutionEvent::raw).toList();
    }

    /** The number of state transitions, as Step Functions bills a Standard workflow: one per state entered. */
    public int stateTransitions() {
        return statesEntered().size();
    }

    public Duration duration() {
        return Duration.between(events.getFirst().timestamp(), events.getLast().timestamp());
    }

    /** The events of one state, e.g. its StateEntered/StateExited pairs. */
    public List<ExecutionEvent> eventsOf(String state) {
        return events.stream().filter(e -> state.equals(e.state())).toList();
    }

    /** Pairs each event of {@code type} with the StateFailed of the same state (and Map index) just before it. */
    private List<ExecutionEvent[]> followUps(String type) {
        Map<String, ExecutionEvent> lastFailure = new HashMap<>();
        List<ExecutionEvent[]> pairs = new ArrayList<>();
        for (ExecutionEvent e : events) {
            String key = e.state() + "#" + e.raw().path("index").asText("");
            if (e.is("StateFailed")) {
                lastFailure.put(key, e);
            } else if (e.is(type) && lastFailure.containsKey(key)) {
                pairs.add(new ExecutionEvent[] {lastFailure.remove(key), e});
            }
        }
        return pairs;
    }

    /** A readable history for assertion messages. */
    public String describe() {
        StringBuilder out = new StringBuilder("execution ").append(executionId).append(' ').append(status);
        if (error != null) {
            out.append(" ").append(error).append(": ").append(cause);
        }
        for (ExecutionEvent e : events) {
            out.append("\n  ").append(e.type());
            if (e.state() != null) {
                out.append(' ').append(e.state());
            }
            if (e.error() != null) {
                out.append(" [").append(e.error()).append(']');
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
