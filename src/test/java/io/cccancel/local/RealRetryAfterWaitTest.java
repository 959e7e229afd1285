package io.cccancel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.RetryAfterPolicy;
import io.cccancel.emulator.SeedRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The one scenario that really waits: nothing is skipped, the emulator runs on the wall clock, and Cloud Control's
 * RetryAfter is 1 s ahead. Each WaitUntilRetryAfter must end no earlier than the RetryAfter it was given, which is
 * read from the execution's own event timestamps (no bound on how long anything takes).
 */
class RealRetryAfterWaitTest {

    /** Node's timers fire on a millisecond loop clock and can run up to a millisecond or so early. */
    private static final Duration TIMER_RESOLUTION = Duration.ofMillis(5);

    @Test
    void theWorkflowReallyWaitsUntilEachRetryAfter(TestReporter reporter) {
        try (LocalStack stack = LocalStack.start(CloudControlEmulator.start(Clock.systemUTC()),
                LocalStack.Parameters.TEMPLATE_DEFAULTS)) {
            CloudControlEmulator cloudControl = stack.cloudControl();
            String token = cloudControl.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "real-wait")
                    .withLifecycle(Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofHours(1))
                            .withCancelTaking(Duration.ofMillis(1500))
                            .withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(1)))));

            ExecutionResult result = stack.workflow().run(ExecutionRequest.of("{\"RequestToken\": \"" + token + "\"}"));

            assertTrue(result.succeeded(), result::describe);
            assertEquals("CANCEL_COMPLETE", cloudControl.operationStatus(token));
            List<ExecutionEvent> waits = result.eventsOf("WaitUntilRetryAfter");
            assertFalse(waits.isEmpty(), result::describe);
            for (int i = 0; i < waits.size(); i += 2) {
                ExecutionEvent entered = waits.get(i);
                ExecutionEvent exited = waits.get(i + 1);
                assertEquals(List.of("StateEntered", "StateExited"), List.of(entered.type(), exited.type()));
                Instant retryAfter = Instant.parse(entered.raw().path("waitUntil").asText());
                assertTrue(entered.timestamp().isBefore(retryAfter),
                        "RetryAfter was ahead when the Wait began: " + entered.raw());
                assertFalse(exited.timestamp().plus(TIMER_RESOLUTION).isBefore(retryAfter),
                        "the Wait ended at " + exited.timestamp() + ", before RetryAfter " + retryAfter);
                String shown = "WaitUntilRetryAfter entered " + entered.timestamp() + ", RetryAfter " + retryAfter
                        + ", exited " + exited.timestamp() + " (waited "
                        + Duration.between(entered.timestamp(), exited.timestamp()).toMillis() + " ms)";
                reporter.publishEntry("wait", shown);
                System.out.println(shown); // target/surefire-reports/*RealRetryAfterWaitTest-output.txt

            }
            assertEquals(waits.size() / 2, cloudControl.calls(ApiOperation.GetResourceRequestStatus).size(),
                    "one status poll after each wait");
        }
    }
}
