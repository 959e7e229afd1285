package io.cccancel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cccancel.Priming;
import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.SeedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Priming as the snapshot would run it, and as an on-demand init runs it: what reaches Cloud Control, and what
 * reaches the logs.
 */
class PrimingTest {

    @Test
    void primingOnlyReadsFromCloudControlAndLeavesRequestsAndLogsAlone() {
        assertPrimingOnlyReads(live -> Priming.prime(live, 20));
    }

    @Test
    void primingAtInitOnlyReadsFromCloudControlAndLeavesRequestsAndLogsAlone() {
        assertPrimingOnlyReads(live -> Priming.primeAtInit(live, 20));
    }

    /** @param prime primes over the live adapter with 20 rounds, returning how many the loopback answered */
    private static void assertPrimingOnlyReads(ToIntFunction<CloudControl> prime) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (CloudControlEmulator emulator = CloudControlEmulator.start();
             CloudControlClient client = emulator.newClientWithoutRetries()) {
            String inFlight = emulator.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "keep-me"));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            PrintStream duringTest = System.out;

            int answered = prime.applyAsInt(new SdkCloudControl(client));

            assertEquals(20, answered, "every priming round's cancel was answered by the loopback endpoint");
            assertNull(System.getProperty("com.amazonaws.xray.traceHeader"), "priming's trace header is taken back");

            assertSame(duringTest, System.out, "priming puts System.out back");
            List<CallRecord> calls = emulator.calls();
            assertEquals(1, calls.size(), calls.toString());
            assertEquals("GetResourceRequestStatus", calls.get(0).operation());
            assertEquals(0, emulator.totalAcceptedCancels());
            assertEquals("PENDING", emulator.operationStatus(inFlight));
            assertEquals("", captured.toString(StandardCharsets.UTF_8), "priming's logs and metrics go nowhere");
        } finally {
            System.setOut(stdout);
        }
    }
}
