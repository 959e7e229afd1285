package io.cccancel.local;

import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Fault;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.RetryAfterPolicy;
import io.cccancel.emulator.SeedRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the local stack plays one request for {@code ./dev run --scenario NAME}: its lifecycle in the emulator (short,
 * so a run with real waits takes seconds) and the faults on the way. Each names the outcome it leads to.
 */
public enum Scenario {

    HAPPY("happy", "RetryAfter 1 s ahead on every event; the cancel takes 3 s", "CANCEL_COMPLETE"),
    NO_RETRY_AFTER("no-retry-after", "no RetryAfter on any event: the workflow waits PollIntervalSeconds",
            "CANCEL_COMPLETE") {
        @Override
        Lifecycle lifecycle() {
            return HAPPY.lifecycle().withRetryAfter(RetryAfterPolicy.never());
        }
    },
    RETRY_AFTER_IN_THE_PAST("retry-after-in-the-past", "RetryAfter 30 s in the past: the workflow waits PollIntervalSeconds instead",
            "CANCEL_COMPLETE") {
        @Override
        Lifecycle lifecycle() {
            return HAPPY.lifecycle().withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(-30)));
        }
    },
    THROTTLED("throttled", "the first 2 status polls are throttled, then retried",
            "CANCEL_COMPLETE") {
        @Override
        void prepare(LocalStack stack, String requestToken) {
            stack.cloudControl().faultNext(ApiOperation.GetResourceRequestStatus, 2, Fault.throttling());
        }
    },
    FUNCTION_THROTTLED("function-throttled", "Lambda throttles the first 2 invokes, then they are retried",
            "CANCEL_COMPLETE") {
        @Override
        void prepare(LocalStack stack, String requestToken) {
            stack.lambda().throttleNextInvokes(2);
        }
    },
    CONCURRENT_MODIFICATION("concurrent-modification",
            "the first cancel fails with ConcurrentModificationException",
            "CANCEL_COMPLETE") {
        @Override
        void prepare(LocalStack stack, String requestToken) {
            stack.cloudControl().faultNext(ApiOperation.CancelResourceRequest, 3, Fault.concurrentModification());
        }
    },
    CLOUD_CONTROL_DOWN("cloudcontrol-down",
            "Cloud Control drops connections for a while, then is back",
            "CANCEL_COMPLETE") {
        @Override
        void prepare(LocalStack stack, String requestToken) {
            stack.cloudControl().faultNext(ApiOperation.CancelResourceRequest, 3, Fault.dropConnection());
            stack.cloudControl().faultNext(ApiOperation.GetResourceRequestStatus, 2, Fault.dropConnection());
        }
    },
    ALREADY_CANCELLED("already-cancelled", "the request was cancelled before: the run is harmless", "CANCEL_COMPLETE") {
        @Override
        void prepare(LocalStack stack, String requestToken) {
            CloudControlEmulator cloudControl = stack.cloudControl();
            try (var client = cloudControl.newClientWithoutRetries()) {
                client.cancelResourceRequest(r -> r.requestToken(requestToken));
            }
            awaitStatus(cloudControl, requestToken, "CANCEL_COMPLETE");
        }
    },
    LOST_RACE("lost-race", "the operation finishes SUCCESS before the cancel takes effect",
            "CancelResourceRequest.AlreadyCompleted") {
        @Override
        Lifecycle lifecycle() {
            return HAPPY.lifecycle().withInProgress(Duration.ofSeconds(2)).withCancelLosingRace()
                    .withCancelTaking(Duration.ofSeconds(10));
        }
    },
    ALREADY_SUCCEEDED("already-succeeded", "the operation finished SUCCESS before the run",
            "CancelResourceRequest.AlreadyCompleted") {
        @Override
        Lifecycle lifecycle() {
            return HAPPY.lifecycle().withInProgress(Duration.ZERO);
        }
    },
    FAILED("failed", "the operation ends FAILED before the cancel takes effect",
            "CancelResourceRequest.OperationFailed") {
        @Override
        Lifecycle lifecycle() {
            return LOST_RACE.lifecycle().failingWith("NotStabilized", "Resource did not stabilize in time");
        }
    },
    STUCK("stuck", "the cancel never completes: TimedOut after MaxPolls (3 here)",
            "CancelResourceRequest.TimedOut") {
        @Override
        Lifecycle lifecycle() {
            return HAPPY.lifecycle().withCancelHangingForever();
        }

        @Override
        Integer maxPolls() {
            return 3;
        }
    },
    UNKNOWN_TOKEN("unknown-token", "Cloud Control has never heard of the token",
            "CancelResourceRequest.RequestTokenNotFound") {
        @Override
        Lifecycle lifecycle() {
            return null;
        }
    };

    private final String cliName;
    private final String description;
    private final String expectedOutcome;

    Scenario(String cliName, String description, String expectedOutcome) {
        this.cliName = cliName;
        this.description = description;
        this.expectedOutcome = expectedOutcome;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** CANCEL_COMPLETE, or the Error the execution fails with. */
    public String expectedOutcome() {
        return expectedOutcome;
    }

    /** The request's lifecycle in the emulator; null: no request is started. */
    Lifecycle lifecycle() {
        return Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofMinutes(10))
                .withCancelTaking(Duration.ofSeconds(3)).withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(1)));
    }

    /** The MaxPolls this scenario needs in the input (unless the input has one); null: the deployment's default. */
    Integer maxPolls() {
        return null;
    }

    /** Faults and history, set up once the request is started. */
    void prepare(LocalStack stack, String requestToken) {
    }

    /** Starts the request, as a resource operation in flight, under {@code requestToken}. */
    SeedRequest seed(String requestToken) {
        return SeedRequest.of("DELETE", "AWS::S3::Bucket", "example-bucket-" + cliName).withLifecycle(lifecycle())
                .withRequestToken(requestToken);
    }

    public static Scenario named(String name) {
        return Arrays.stream(values()).filter(s -> s.cliName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No scenario '" + name + "'; known: "
                        + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", "))));
    }

    /** Waits (on the emulator's clock: moved if it is a manual one, else really) until the request shows status. */
    private static void awaitStatus(CloudControlEmulator cloudControl, String requestToken, String status) {
        for (int i = 0; i < 600 && !cloudControl.operationStatus(requestToken).equals(status); i++) {
            if (cloudControl.clock() instanceof io.cccancel.emulator.ManualClock) {
                cloudControl.advanceClock(Duration.ofMillis(100));
            } else {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
