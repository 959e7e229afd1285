package io.cccancel.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.errors.InvalidSweepFilterException;
import io.cccancel.testing.RecordingCloudControl;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TallyOutcomes action: each nested execution's ending mapped to a sweep outcome, counts carried across pages. */
class SweepOutcomesTest {

    final RecordingCloudControl cloudControl = new RecordingCloudControl();
    final SweepHandler handler = new SweepHandler(cloudControl, Clock.systemUTC());

    String tally(String countsAndResults) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(("{\"Action\":\"TallyOutcomes\"," + countsAndResults + "}")
                .getBytes(StandardCharsets.UTF_8)), out, new TestContext());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** What Step Functions puts in the Cause when a startExecution.sync:2 child fails: its DescribeExecution. */
    static String childFailure(String token, String error) {
        String describe = "{\\\"ExecutionArn\\\":\\\"arn:aws:states:us-east-1:123456789012:execution:Cancel:x\\\","
                + "\\\"Status\\\":\\\"FAILED\\\",\\\"Error\\\":\\\"" + error + "\\\",\\\"Cause\\\":\\\"...\\\"}";
        return "{\"RequestToken\":\"" + token + "\",\"Error\":\"States.TaskFailed\",\"Cause\":\"" + describe + "\"}";
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "CancelResourceRequest.AlreadyCompleted, AlreadyFinished",
            "CancelResourceRequest.OperationFailed, AlreadyFinished",
            "CancelResourceRequest.RequestTokenNotFound, NotFound",
            "CancelResourceRequest.TimedOut, TimedOut",
            "CancelResourceRequest.Error, Failed",
            "CancelResourceRequest.InvalidRequestToken, Failed",
            "States.Timeout, Failed"})
    void childErrorsMapToOutcomes(String childError, String outcome) throws Exception {
        String output = tally("\"Results\":[" + childFailure("t1", childError) + "]");

        assertTrue(output.contains("{\"RequestToken\":\"t1\",\"Outcome\":\"" + outcome + "\",\"Detail\":\"" + childError + "\"}"),
                output);
        assertTrue(output.contains("\"" + outcome + "\":1"), output);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "CancelResourceRequest.TimedOut, TimedOut",
            "CancelResourceRequest.AlreadyCompleted, AlreadyFinished",
            "CancelResourceRequest.RequestTokenNotFound, NotFound",
            "States.TaskFailed, Failed",
            "StepFunctions.ExecutionLimitExceeded, Failed"})
    void anErrorTheWorkflowAlreadyReadFromTheChildNeedsNoCause(String error, String outcome) throws Exception {
        String output = tally("\"Results\":[{\"RequestToken\":\"t1\",\"Error\":\"" + error + "\"}]");

        assertTrue(output.contains("{\"RequestToken\":\"t1\",\"Outcome\":\"" + outcome + "\",\"Detail\":\"" + error + "\"}"),
                output);
    }

    @Test
    void countsAccumulateAcrossPages() throws Exception {
        String output = tally("\"Counts\":{\"Cancelled\":5,\"AlreadyFinished\":0,\"NotFound\":1,\"TimedOut\":0,"
                + "\"Failed\":0,\"WouldCancel\":0},\"Results\":["
                + "{\"RequestToken\":\"a\",\"Execution\":{\"Status\":\"SUCCEEDED\"}},"
                + "{\"RequestToken\":\"b\",\"Execution\":{\"Status\":\"SUCCEEDED\"}},"
                + childFailure("c", "CancelResourceRequest.AlreadyCompleted") + ","
                + "{\"RequestToken\":\"d\",\"Error\":\"States.Timeout\",\"Cause\":\"child timed out\"}]");

        assertTrue(output.startsWith("{\"Counts\":{\"Cancelled\":7,\"AlreadyFinished\":1,\"NotFound\":1,\"TimedOut\":0,"
                + "\"Failed\":1,\"WouldCancel\":0}"), output);
        assertTrue(output.contains("{\"RequestToken\":\"a\",\"Outcome\":\"Cancelled\"}"), output);
        assertTrue(output.contains("{\"RequestToken\":\"d\",\"Outcome\":\"Failed\",\"Detail\":\"States.Timeout\"}"), output);
    }

    @Test
    void dryRunResultsAreCountedAsWouldCancel() throws Exception {
        String output = tally("\"DryRun\":true,\"Results\":[{\"RequestToken\":\"a\",\"TypeName\":\"AWS::S3::Bucket\"}]");

        assertTrue(output.contains("\"WouldCancel\":1") && output.contains("\"Cancelled\":0"), output);
    }

    @Test
    void anEmptyPageKeepsTheCounts() throws Exception {
        assertEquals("{\"Counts\":{\"Cancelled\":0,\"AlreadyFinished\":0,\"NotFound\":0,\"TimedOut\":0,\"Failed\":0,"
                + "\"WouldCancel\":0},\"Outcomes\":[]}", tally("\"Results\":[]"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"Results\": {}                         | Results must be an array of the page's results, got an object",
            "\"Counts\": []                          | Counts must be an object of outcome counts, got an array",
            "\"Counts\": {\"Cancelled\": 1.0}, \"Results\": [] | Counts.Cancelled must be a whole number from 0, got 1.0",
            "\"Counts\": {\"Failed\": 1e2}, \"Results\": []    | Counts.Failed must be a whole number from 0, got 1e2",
            "\"Counts\": {\"NotFound\": -5}, \"Results\": []   | Counts.NotFound must be a whole number from 0, got -5",
            "\"Counts\": {\"TimedOut\": \"7\"}, \"Results\": [] | Counts.TimedOut must be a whole number from 0, got a string",
            "\"Results\": [\"t1\"]                   | Results must be an array of objects, found a string",
            "\"DryRun\": \"yes\", \"Results\": []      | DryRun must be true or false, got a string",
            "\"Results\": [{\"Execution\": {\"Status\": \"SUCCEEDED\"}}] | Results[].RequestToken is required"})
    void badTallyInputNamesTheField(String input, String expected) {
        InvalidSweepFilterException e = assertThrows(InvalidSweepFilterException.class, () -> tally(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(List.of(), cloudControl.calls);
    }
}
