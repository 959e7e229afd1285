package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.testing.OnDemandContainer;
import io.cccancel.testing.RecordingCloudControl;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cold start is once per container, so it is checked in a fresh JVM, as Lambda starts one: the first invoke of an
 * on-demand container emits the ColdStart metric and logs cold_start true; the second does neither.
 */
class ColdStartMetricTest {

    /** The container: two invokes of the real handler. */
    public static void main(String[] args) throws Exception {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        cloudControl.onCancel = token -> new ProgressEvent("AWS::S3::Bucket", "b", token, null, "DELETE",
                "CANCEL_IN_PROGRESS", Instant.now(), null, null, null, null);
        CancelResourceRequestHandler handler = new CancelResourceRequestHandler(cloudControl, false);
        for (int i = 0; i < 2; i++) {
            handler.handleRequest(new ByteArrayInputStream("{\"RequestToken\":\"abc\"}".getBytes(StandardCharsets.UTF_8)),
                    new ByteArrayOutputStream(), new TestContext());
            System.out.println("--- end of invoke " + (i + 1));
        }
    }

    @Test
    void onlyTheFirstInvokeOfAnOnDemandContainerIsACheckedColdStart() throws Exception {
        String output = OnDemandContainer.run(ColdStartMetricTest.class, Map.of(), List.of());

        List<String> invokes = List.of(output.split("--- end of invoke \\d"));
        assertTrue(invokes.get(0).contains("\"Name\":\"ColdStart\"") && invokes.get(0).contains("\"cold_start\":true"),
                invokes.get(0));
        assertTrue(!invokes.get(1).contains("\"ColdStart\"") && invokes.get(1).contains("\"cold_start\":false"),
                invokes.get(1));
    }
}
