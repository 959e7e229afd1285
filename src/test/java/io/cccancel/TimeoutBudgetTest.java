package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.sweep.StaleRequestLister;
import io.cccancel.workflow.SamTemplate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A slow Cloud Control must end an invoke with the function's own error name (ServiceUnavailableException, which
 * the workflow retries), never with a Lambda timeout, which nothing names or retries. So the calls one invoke can
 * make in a row, each bounded by the client's call timeout, must end inside the function's Timeout.
 */
class TimeoutBudgetTest {

    /** What a cancel invoke does besides its calls (its log line, metrics and answer), generously. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    @Test
    void theCancelFunctionsTwoCallsInARowEndInsideItsTimeout() {
        // The most an invoke makes: the cancel and, when Cloud Control refuses it, the status read that explains it.
        Duration twoCalls = DependencyFactory.Timeouts.fromEnvironment().call().multipliedBy(2);
        Duration timeout = functionTimeout("CancelResourceRequestFunction");

        assertTrue(twoCalls.plus(MARGIN).compareTo(timeout) <= 0,
                () -> "two calls of " + twoCalls.dividedBy(2) + " each do not fit in the function's " + timeout);
    }

    @Test
    void theSweepFunctionHasTimeForAtLeastOneCall() {
        // It starts a further list call only when that call would end in time (StaleRequestLister); the first always runs.
        Duration call = DependencyFactory.Timeouts.fromEnvironment().call();
        Duration timeout = functionTimeout("SweepFunction");

        assertTrue(call.plus(StaleRequestLister.MARGIN).compareTo(timeout) <= 0,
                () -> "one call of " + call + " does not fit in " + timeout);
    }

    private static Duration functionTimeout(String function) {
        return Duration.ofSeconds(((Number) SamTemplate.load().properties(function).get("Timeout")).longValue());
    }
}
