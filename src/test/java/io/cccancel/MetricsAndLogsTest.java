package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.errors.ThrottlingException;
import io.cccancel.testing.RecordingCloudControl;
import io.cccancel.testing.StdoutCapture;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees: the EMF metrics and JSON log lines one invocation prints (Lambda ships stdout to
 * CloudWatch, which turns EMF documents into metrics). ResourceModel must appear in neither.
 */
class MetricsAndLogsTest {

    static final String SECRET = "hunter2-master-password";

    static ProgressEvent event(String status) {
        return new ProgressEvent("AWS::RDS::DBInstance", "db-1", "4fc21ab3-ad4b-4d3b-b3b4-0f0b1e0d8f5a", null,
                "CREATE", status, Instant.parse("2026-11-24T08:30:00Z"),
                "{\"MasterUserPassword\":\"" + SECRET + "\"}", null, null, null);
    }

    static List<String> invokeCapturingStdout(RecordingCloudControl cloudControl, String eventFile,
                                              boolean includeResourceModel, ByteArrayOutputStream response)
            throws Exception {
        CancelResourceRequestHandler handler = new CancelResourceRequestHandler(cloudControl, includeResourceModel);
        byte[] event = Files.readAllBytes(Path.of(eventFile));
        return StdoutCapture.during(
                () -> handler.handleRequest(new ByteArrayInputStream(event), response, new TestContext())).lines().toList();
    }

    @Test
    void acceptedCancelCountsRequestedAndAcceptedAndLogsTheKeys() throws Exception {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        cloudControl.onCancel = token -> event("CANCEL_IN_PROGRESS");
        ByteArrayOutputStream response = new ByteArrayOutputStream();

        List<String> lines = invokeCapturingStdout(cloudControl, "events/cancel-request.json", false, response);

        String emf = lines.stream().filter(l -> l.contains("\"_aws\"")).reduce("", String::concat);
        assertTrue(emf.contains("\"CancelRequested\":1.0") && emf.contains("\"CancelAccepted\":1.0"), emf);
        assertTrue(emf.contains("\"Namespace\":\"CloudControlCancel\""), emf);
        String log = lines.stream().filter(l -> l.contains("Cancel accepted")).findFirst().orElseThrow();
        for (String key : List.of("\"RequestToken\":\"4fc21ab3-ad4b-4d3b-b3b4-0f0b1e0d8f5a\"",
                "\"TypeName\":\"AWS::RDS::DBInstance\"", "\"Identifier\":\"db-1\"",
                "\"OperationStatus\":\"CANCEL_IN_PROGRESS\"", "\"level\":\"INFO\"")) {
            assertTrue(log.contains(key), () -> key + " missing from " + log);
        }
        assertFalse(String.join("\n", lines).contains(SECRET), "ResourceModel must never be logged");
        assertFalse(response.toString(StandardCharsets.UTF_8).contains(SECRET), "ResourceModel is out by default");
    }

    @Test
    void resourceModelComesBackOnlyWhenAskedFor() throws Exception {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        cloudControl.onCancel = token -> event("CANCEL_IN_PROGRESS");
        ByteArrayOutputStream response = new ByteArrayOutputStream();

        List<String> lines = invokeCapturingStdout(cloudControl, "events/cancel-request.json", true, response);

        assertTrue(response.toString(StandardCharsets.UTF_8)
                .contains("\"ResourceModel\":\"{\\\"MasterUserPassword\\\":\\\"" + SECRET + "\\\"}\""));
        assertFalse(String.join("\n", lines).contains(SECRET), "even then, never in a log line");
    }

    @Test
    void finishedRequestIsCountedNotCancellable() throws Exception {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        cloudControl.onCancel = token -> event("SUCCESS");

        List<String> lines = invokeCapturingStdout(cloudControl, "events/cancel-request.json", false,
                new ByteArrayOutputStream());

        assertTrue(lines.stream().anyMatch(l -> l.contains("\"Name\":\"NotCancellable")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"level\":\"WARN\"") && l.contains("not cancellable")));
    }

    @Test
    void failureIsCountedByErrorTypeInItsOwnDocument() throws Exception {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        cloudControl.onCancel = token -> {
            throw new ThrottlingException("CancelResourceRequest", null);
        };
        String captured = StdoutCapture.during(() -> assertThrows(ThrottlingException.class,
                () -> new CancelResourceRequestHandler(cloudControl, false)
                        .handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of("events/cancel-request.json"))),
                                new ByteArrayOutputStream(), new TestContext())));
        String failed = captured.lines().filter(l -> l.contains("\"CancelFailed\"")).findFirst().orElseThrow();
        assertTrue(failed.contains("\"ErrorType\":\"ThrottlingException\""), failed);
        assertEquals(1, captured.lines().filter(l -> l.contains("\"CancelRequested\":1.0")).count());
    }
}
