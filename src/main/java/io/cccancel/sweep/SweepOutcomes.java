package io.cccancel.sweep;

import io.cccancel.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Turns what the sweep's Map got back from each nested cancel-and-confirm execution into a per-token outcome, and
 * adds them to the running counts. Done here rather than in the definition: JSONPath has no way to count, and the
 * child's outcome name sits inside a JSON string (Step Functions fails a {@code startExecution.sync:2} task with
 * {@code States.TaskFailed} and puts the child's DescribeExecution answer, Error included, in the Cause).
 */
public final class SweepOutcomes {

    /** The sweep's outcome categories, in the order the counts are reported. */
    public enum Outcome {
        /** The nested workflow ended CANCEL_COMPLETE. */
        Cancelled,
        /** The operation finished (SUCCESS or FAILED) before the cancel took effect. */
        AlreadyFinished,
        /** Cloud Control did not know the token (it expired or was never in this account and region). */
        NotFound,
        /** Still not CANCEL_COMPLETE after MaxPolls. */
        TimedOut,
        /** Any other failure once retries were spent; the child's error is in Detail. */
        Failed,
        /** Dry run: listed, not cancelled. */
        WouldCancel
    }

    public record Result(String RequestToken, Outcome outcome, String Detail) {
    }

    private SweepOutcomes() {
    }

    public static Outcome fromChildError(String error) {
        if (error == null) {
            return Outcome.Failed;
        }
        return switch (error) {
            case "CancelResourceRequest.AlreadyCompleted", "CancelResourceRequest.OperationFailed" -> Outcome.AlreadyFinished;
            case "CancelResourceRequest.RequestTokenNotFound" -> Outcome.NotFound;
            case "CancelResourceRequest.TimedOut" -> Outcome.TimedOut;
            default -> Outcome.Failed;
        };
    }

    /**
     * One Map item's result: {@code {"RequestToken", "Execution": {"Status": "SUCCEEDED"}}} (the nested execution
     * ended CANCEL_COMPLETE), or {@code {"RequestToken", "Error", "Cause"?}} when it did not: Error is the child's
     * outcome name when the workflow could read it, else the task's error, whose Cause may hold the child's
     * DescribeExecution. In a dry run every listed request is WouldCancel.
     */
    public static Result classify(Map<String, JsonNode> item, boolean dryRun) {
        String token = text(item.get("RequestToken"));
        if (token == null) {
            throw SweepFilter.invalid("Results[].RequestToken is required in every result");
        }
        if (dryRun) {
            return new Result(token, Outcome.WouldCancel, null);
        }
        JsonNode execution = item.get("Execution");
        if (execution != null && execution.isObject() && "SUCCEEDED".equals(text(execution.asObject().get("Status")))) {
            return new Result(token, Outcome.Cancelled, null);
        }
        String error = text(item.get("Error"));
        String childError = childError(text(item.get("Cause")));
        String name = childError != null ? childError : error;
        return new Result(token, fromChildError(name), name);
    }

    /** The nested execution's own error name, from the DescribeExecution JSON Step Functions puts in the Cause. */
    static String childError(String cause) {
        if (cause == null || !cause.startsWith("{")) {
            return null;
        }
        try {
            Map<String, JsonNode> describe = JsonNode.parser().parse(cause).asObject();
            String error = text(describe.get("Error"));
            return error != null ? error : text(describe.get("error"));
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    /** Adds this page's results to the counts so far and writes {@code {"Counts": {...}, "Outcomes": [...]}}. */
    public static String tally(Map<String, JsonNode> counts, List<JsonNode> results, boolean dryRun) {
        Map<Outcome, Long> totals = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            totals.put(outcome, count(counts == null ? null : counts.get(outcome.name()), outcome));
        }
        List<String> outcomes = new ArrayList<>();
        for (JsonNode item : results) {
            if (!item.isObject()) {
                throw SweepFilter.invalid("Results must be an array of objects, found " + Json.typeOf(item));
            }
            Result result = classify(item.asObject(), dryRun);
            totals.merge(result.outcome(), 1L, Long::sum);
            outcomes.add(new Json.Obj().field("RequestToken", result.RequestToken())
                    .field("Outcome", result.outcome().name()).field("Detail", result.Detail()).close());
        }
        Json.Obj countsJson = new Json.Obj();
        totals.forEach((outcome, n) -> countsJson.raw(outcome.name(), Long.toString(n)));
        return new Json.Obj().raw("Counts", countsJson.close())
                .raw("Outcomes", "[" + String.join(",", outcomes) + "]").close();
    }

    /** A count carried over from the previous page: absent is 0; anything but a whole number from 0 is an error. */
    private static long count(JsonNode previous, Outcome outcome) {
        if (previous == null || previous.isNull()) {
            return 0L;
        }
        String field = "Counts." + outcome.name();
        if (!previous.isNumber()) {
            throw SweepFilter.invalid(field + " must be a whole number from 0, got " + Json.typeOf(previous));
        }
        Long n = SweepFilter.wholeNumber(previous, 0, Long.MAX_VALUE);
        if (n == null) {
            throw SweepFilter.invalid(field + " must be a whole number from 0, got " + previous.asNumber());
        }
        return n;
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.asString() : null;
    }
}
