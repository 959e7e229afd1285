package io.cccancel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cccancel.bench.ChaosPlan.Burst;
import io.cccancel.local.ExecutionResult;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The outcome an execution must end in, decided from ground truth, not from what the workflow reported: the
 * request's settled status in the emulator (once nothing about it can change any more: an execution that gave up
 * early does not stop its cancel from completing), whether the emulator ever had the token, and whether a burst
 * meant to outlast every retry budget really fired (the proxies' log of what each call got).
 */
final class ChaosOracle {

    static final String CANCEL_COMPLETE = "CANCEL_COMPLETE";
    static final String ERROR = "CancelResourceRequest.Error";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LEADING_ERROR = Pattern.compile("\\{\"Error\":\"([^\"]+)\"");

    /** The emulator's ground truth for a token at one moment. */
    record Truth(boolean known, String operationStatus, int acceptedCancels) {
    }

    /**
     * @param outcome    CANCEL_COMPLETE (the execution succeeded with it) or the execution's Error
     * @param innerError for CancelResourceRequest.Error: the error it wraps (the Task's own error name)
     * @param why        the ground truth that decided it
     */
    record Outcome(String outcome, String innerError, String why) {
        @Override
        public String toString() {
            return innerError == null ? outcome : outcome + " (" + innerError + ")";
        }
    }

    private ChaosOracle() {
    }

    static Outcome expected(ChaosPlan plan, Truth settled, List<ChaosProxy.Call> callsOfToken) {
        Burst outlasting = plan.outlastingBurst();
        if (outlasting != null && fired(outlasting, callsOfToken)) {
            return new Outcome(ERROR, outlasting.fault().errorName(outlasting.channel()),
                    "fired: " + outlasting);
        }
        if (plan.chaosCase() == ChaosCase.INVALID_TOKEN) {
            return new Outcome("CancelResourceRequest.InvalidRequestToken", null, "the token breaks the API's pattern");
        }
        if (!settled.known()) {
            return new Outcome("CancelResourceRequest.RequestTokenNotFound", null, "the emulator never had the token");
        }
        String status = settled.operationStatus();
        String outcome = switch (status) {
            case CANCEL_COMPLETE -> CANCEL_COMPLETE;
            case "SUCCESS" -> "CancelResourceRequest.AlreadyCompleted";
            case "FAILED" -> "CancelResourceRequest.OperationFailed";
            case "CANCEL_IN_PROGRESS" -> "CancelResourceRequest.TimedOut";
            default -> "(none: the request is still " + status + ")";
        };
        return new Outcome(outcome, null, "the emulator says " + status);
    }

    /** What the workflow reported. */
    static Outcome reported(ExecutionResult result) {
        if (result.succeeded()) {
            return new Outcome(result.output().path("ProgressEvent").path("OperationStatus").asText("(no status)"),
                    null, null);
        }
        String error = result.error() == null ? result.status().name() : result.error();
        return new Outcome(error, ERROR.equals(error) ? innerError(result.cause()) : null, result.cause());
    }

    /** The same outcome, and for an Error the same wrapped error. */
    static boolean matches(Outcome expected, Outcome reported) {
        return expected.outcome().equals(reported.outcome())
                && (expected.innerError() == null || expected.innerError().equals(reported.innerError()));
    }

    private static boolean fired(Burst burst, List<ChaosProxy.Call> calls) {
        return calls.stream().anyMatch(c -> c.channel() == burst.channel() && c.fault() == burst.fault());
    }

    /**
     * DescribeError's Cause is the caught error as JSON: {"Error": "...", "Cause": "..."}. Read by its leading
     * field when the whole does not parse: aws-local-stepfunctions' States.JsonToString leaves the quotes of a Cause
     * that is itself JSON (a Lambda error document) unescaped.
     */
    private static String innerError(String cause) {
        try {
            JsonNode error = JSON.readTree(cause).path("Error");
            return error.isTextual() ? error.asText() : null;
        } catch (IOException | RuntimeException notJson) {
            Matcher leading = LEADING_ERROR.matcher(cause == null ? "" : cause);
            return leading.lookingAt() ? leading.group(1) : null;
        }
    }
}
