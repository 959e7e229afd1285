package io.cccancel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.cccancel.Priming;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.SeedRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/** SnapStart priming as the snapshot would run it: what reaches Cloud Control, and what reaches the logs. */
class PrimingTest {

    @Test
    void primingOnlyReadsFromCloudControlAndLeavesRequestsAndLogsAlone() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (CloudControlEmulator emulator = CloudControlEmulator.start();
             CloudControlClient client = emulator.newClientWithoutRetries()) {
            String inFlight = emulator.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "keep-me"));
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            PrintStream duringTest = System.out;

            int answered = Priming.prime(new SdkCloudControl(client), 20);

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
