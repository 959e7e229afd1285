package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cccancel.sweep.StaleRequestLister;
import io.cccancel.workflow.SamTemplate;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A slow Cloud Control must end an invoke with the function's own error name (ServiceUnavailableException, which
 * the workflow retries), never with a Lambda timeout, which nothing names or retries. So the calls one invoke can
 * make in a row, each bounded by the client's call timeout, must end inside the function's Timeout. The call timeout
 * is the one the deployed function gets: CLOUDCONTROL_CALL_TIMEOUT_MS from its Environment in template.yaml when
 * set there, else the default.
 */
class TimeoutBudgetTest {

    /** What a cancel invoke does besides its calls (its log line, metrics and answer), generously. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    @Test
    void theCancelFunctionsTwoCallsInARowEndInsideItsTimeout() {
        assertNull(cancelBudgetProblem(SamTemplate.load()));
    }

    @Test
    void theSweepFunctionHasTimeForAtLeastOneCall() {
        // It starts a further list call only when that call would end in time (StaleRequestLister); the first always runs.
        SamTemplate template = SamTemplate.load();
        Duration call = callTimeout(template, "SweepFunction");
        Duration timeout = functionTimeout(template, "SweepFunction");

        assertEquals(true, call.plus(StaleRequestLister.MARGIN).compareTo(timeout) <= 0,
                () -> "one call of " + call + " does not fit in " + timeout);
    }

    @Test
    void aCallTimeoutSetInTheTemplateThatDoesNotFitIsReported() throws Exception {
        String text = Files.readString(SamTemplate.PATH);
        String broken = text.replaceFirst("(?m)^( +)POWERTOOLS_SERVICE_NAME: cloudcontrol-cancel$",
                "$1POWERTOOLS_SERVICE_NAME: cloudcontrol-cancel\n$1CLOUDCONTROL_CALL_TIMEOUT_MS: \"20000\"");

        assertEquals("two calls of PT20S each, plus PT2S, do not fit in the function's PT30S: set "
                + "CLOUDCONTROL_CALL_TIMEOUT_MS to at most 14000", cancelBudgetProblem(SamTemplate.parse(broken)));
    }

    /** Null when the most an invoke makes (the cancel, then the status read that explains a refusal) fits. */
    private static String cancelBudgetProblem(SamTemplate template) {
        Duration call = callTimeout(template, "CancelResourceRequestFunction");
        Duration timeout = functionTimeout(template, "CancelResourceRequestFunction");
        if (call.multipliedBy(2).plus(MARGIN).compareTo(timeout) <= 0) {
            return null;
        }
        return "two calls of " + call + " each, plus " + MARGIN + ", do not fit in the function's " + timeout
                + ": set CLOUDCONTROL_CALL_TIMEOUT_MS to at most " + timeout.minus(MARGIN).dividedBy(2).toMillis();
    }

    private static Duration callTimeout(SamTemplate template, String function) {
        Object set = template.environmentVariables(function).get("CLOUDCONTROL_CALL_TIMEOUT_MS");
        return Duration.ofMillis(DependencyFactory.envLong(set == null ? null : set.toString(),
                "CLOUDCONTROL_CALL_TIMEOUT_MS", DependencyFactory.Timeouts.DEFAULT_CALL_MS, 1, Integer.MAX_VALUE,
                "milliseconds"));
    }

    private static Duration functionTimeout(SamTemplate template, String function) {
        return Duration.ofSeconds(((Number) template.properties(function).get("Timeout")).longValue());
    }
}
