package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.errors.RequestTokenNotFoundException;
import io.cccancel.testing.OnDemandContainer;
import io.cccancel.testing.RecordingCloudControl;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Priming at init, in a fresh JVM started as Lambda starts an on-demand container: the constructor Lambda calls
 * primes before the first invoke. It reads from Cloud Control once, cancels nothing, prints nothing, and leaves the
 * cold start (the ColdStart metric, cold_start in the logs) to the first real invoke.
 */
class PrimingAtInitTest {

    private static final String INIT_DONE = "--- init done";
    private static final String END_OF_INVOKE = "--- end of invoke";

    /** The container: Lambda's constructor, then one invoke per token given. */
    public static void main(String[] tokens) throws Exception {
        CancelResourceRequestHandler handler = new CancelResourceRequestHandler();
        System.out.println(INIT_DONE);
        for (String token : tokens) {
            handler.handleRequest(new ByteArrayInputStream(
                            ("{\"RequestToken\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), new TestContext());
            System.out.println(END_OF_INVOKE);
        }
    }

    @Test
    void anOnDemandInitPrimesAndLeavesTheColdStartToTheFirstInvoke() throws Exception {
        try (CloudControlEmulator emulator = CloudControlEmulator.start()) {
            List<String> tokens = emulator.seedRequests(2, SeedRequest.of("DELETE", "AWS::S3::Bucket", "cold"));
            String output = OnDemandContainer.run(PrimingAtInitTest.class,
                    Map.of("AWS_ENDPOINT_URL_CLOUDCONTROL", emulator.endpoint().toString()), tokens);

            String init = output.substring(0, output.indexOf(INIT_DONE));
            List<String> invokes = List.of(output.substring(output.indexOf(INIT_DONE)).split(END_OF_INVOKE));
            assertFalse(init.lines().anyMatch(line -> line.startsWith("{")), "priming logs nothing: " + init);
            assertTrue(invokes.get(0).contains("\"Name\":\"ColdStart\"")
                    && invokes.get(0).contains("\"cold_start\":true"), invokes.get(0));
            assertTrue(!invokes.get(1).contains("\"ColdStart\"") && invokes.get(1).contains("\"cold_start\":false"),
                    invokes.get(1));

            List<CallRecord> calls = emulator.calls();
            assertEquals(List.of("GetResourceRequestStatus", "CancelResourceRequest", "CancelResourceRequest"),
                    calls.stream().map(CallRecord::operation).toList(), calls.toString());
            assertEquals(Priming.PRIMING_TOKEN, calls.get(0).requestToken());
            assertEquals(List.of(tokens.get(0), tokens.get(1)),
                    calls.subList(1, 3).stream().map(CallRecord::requestToken).toList());
        }
    }

    @Test
    void aCloudControlThatDoesNotAnswerHoldsInitUpForTheBudgetAtMost() throws Exception {
        CountDownLatch networkBack = new CountDownLatch(1);
        RecordingCloudControl silent = new RecordingCloudControl();
        silent.onGetStatus = token -> {
            try {
                networkBack.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new RequestTokenNotFoundException(token, null);
        };
        try {
            long start = System.nanoTime();
            int answered = Priming.primeAtInit(silent, 1);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals(1, answered, "the offline round ran all the same");
            // The read waits 60 s; init may wait the 2 s budget and the round, not the read.
            assertTrue(took.compareTo(Priming.INIT_LIVE_READ_BUDGET.plusSeconds(20)) < 0, took.toString());
            assertEquals(List.of("GetResourceRequestStatus " + Priming.PRIMING_TOKEN), silent.calls);
        } finally {
            networkBack.countDown();
        }
    }

    @Test
    void nothingPrimingMeetsFailsTheInit() {
        RecordingCloudControl broken = new RecordingCloudControl();
        broken.onGetStatus = token -> {
            throw new IllegalStateException("not a Cloud Control error: a bug");
        };

        assertEquals(1, Priming.primeAtInit(broken, 1), "the offline round ran all the same");
    }

    @Test
    void onlyOnDemandAndProvisionedContainersPrimeAtInit() {
        assertTrue(Priming.atInit("on-demand"));
        assertTrue(Priming.atInit("provisioned-concurrency"));
        assertFalse(Priming.atInit("snap-start"), "SnapStart primes before its snapshot instead");
        assertFalse(Priming.atInit(null), "outside Lambda (tests, the local stack's own runs)");
    }
}
