package io.cccancel.local;

import static io.cccancel.emulator.ApiOperation.GetResourceRequestStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Fault;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.local.ExecutionResult.Retry;
import io.cccancel.local.ExecutionResult.Status;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Status polls that fail with an error outside Cloud Control's model, which Step Functions names
 * {@code CloudControl.CloudControlException}: AWS's common InternalFailure (500) and ServiceUnavailable (503), and
 * AccessDenied. Found by {@code ./dev bench chaos}: before the workflow retried that name, one such answer in an
 * hour of polling ended the execution as CancelResourceRequest.Error while the cancel went on to complete.
 * Waits and retry intervals are skipped; the emulator's clock follows the Wait states ({@link VirtualTime}).
 */
class StatusPollErrorOutsideTheModelTest {

    private static final String OUTSIDE_THE_MODEL = "CloudControl.CloudControlException";

    static LocalStack stack;
    static CloudControlEmulator cloudControl;

    @BeforeAll
    static void startStack() {
        cloudControl = CloudControlEmulator.start();
        stack = LocalStack.start(cloudControl, LocalStack.Parameters.TEMPLATE_DEFAULTS);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @BeforeEach
    void noFaultsLeft() {
        cloudControl.clearFaults();
    }

    @Test
    void anInternalFailureAndABare503OnStatusPollsAreRetriedThenItCompletes() {
        String token = seed();
        cloudControl.faultNext(GetResourceRequestStatus, Fault.error("InternalFailure"), Fault.serviceUnavailable());

        ExecutionResult result = run(token);

        assertEquals(Status.SUCCEEDED, result.status(), result::describe);
        assertEquals("CANCEL_COMPLETE", result.output().at("/ProgressEvent/OperationStatus").asText());
        assertEquals("CANCEL_COMPLETE", cloudControl.operationStatus(token), "the emulator's ground truth");
        assertEquals(List.of(new Retry("GetResourceRequestStatus", OUTSIDE_THE_MODEL),
                new Retry("GetResourceRequestStatus", OUTSIDE_THE_MODEL)), result.retries());
        assertEquals(1, result.timesEntered("GetResourceRequestStatus"), "a retry is not a new poll");
    }

    @Test
    void accessDeniedOnEveryPollFailsAfterThreeRetriesWithTheOriginalErrorName() {
        // The same name covers a refusal that every retry gets again: its budget is kept short.
        String token = seed();
        cloudControl.faultNext(GetResourceRequestStatus, 10, Fault.accessDenied());

        ExecutionResult result = run(token);

        assertEquals(Status.FAILED, result.status(), result::describe);
        assertEquals("CancelResourceRequest.Error", result.error());
        assertTrue(result.cause().startsWith("{\"Error\":\"" + OUTSIDE_THE_MODEL + "\""), result.cause());
        assertEquals(Collections.nCopies(3, new Retry("GetResourceRequestStatus", OUTSIDE_THE_MODEL)),
                result.retries());
        assertEquals(6, cloudControl.pendingFaults(GetResourceRequestStatus), "1 call + 3 retries took 4 faults");
    }

    /** IN_PROGRESS for an hour; an accepted cancel completes 5 s later (RetryAfter 5 s: the first poll sees it). */
    private static String seed() {
        return cloudControl.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "outside-the-model")
                .withLifecycle(Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofHours(1))
                        .withCancelTaking(Duration.ofSeconds(5))));
    }

    private static ExecutionResult run(String token) {
        return stack.workflow().run(ExecutionRequest.of("{\"RequestToken\": \"" + token + "\"}")
                .inVirtualTimeOf(cloudControl));
    }
}
