package io.cccancel.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.errors.InvalidSweepFilterException;
import io.cccancel.testing.RecordingCloudControl;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sweep's listing action through its real handler: filters, page bounds, continuation, bad input. */
class SweepHandlerListTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    final RecordingCloudControl cloudControl = new RecordingCloudControl();
    final SweepHandler handler =
            new SweepHandler(cloudControl, Clock.fixed(NOW, ZoneOffset.UTC));

    static ProgressEvent request(String token, String type, String operation, String status, int ageMinutes) {
        return new ProgressEvent(type, "id-" + token, token, null, operation, status,
                NOW.minus(Duration.ofMinutes(ageMinutes)), "{\"secret\":\"x\"}", null, null, null);
    }

    /** Invokes the listing action: the test inputs below are the sweep's own fields. */
    String invoke(String input) throws Exception {
        String trimmed = input.strip();
        if (trimmed.startsWith("{")) {
            String rest = trimmed.substring(1).strip();
            input = "{\"Action\":\"ListStaleResourceRequests\"" + (rest.equals("}") ? "}" : "," + rest);
        }
        return invokeRaw(input);
    }

    String invokeRaw(String input) throws Exception {
        return invokeRaw(input, new TestContext());
    }

    String invokeRaw(String input, TestContext context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, context);
        return out.toString(StandardCharsets.UTF_8);
    }

    static List<String> tokens(String output) {
        List<String> tokens = new ArrayList<>();
        Matcher m = Pattern.compile("\"RequestToken\":\"([^\"]+)\"").matcher(output);
        while (m.find()) {
            tokens.add(m.group(1));
        }
        return tokens;
    }

    @Test
    void keepsOnlyInFlightRequestsMatchingEveryFilter() throws Exception {
        cloudControl.listed = List.of(
                request("old-log-create", "AWS::Logs::LogGroup", "CREATE", "IN_PROGRESS", 120),
                request("young-log-create", "AWS::Logs::LogGroup", "CREATE", "PENDING", 5),
                request("old-log-delete", "AWS::Logs::LogGroup", "DELETE", "IN_PROGRESS", 120),
                request("old-rds-create", "AWS::RDS::DBInstance", "CREATE", "PENDING", 600),
                request("old-s3-create", "AWS::S3::Bucket", "CREATE", "IN_PROGRESS", 600),
                request("old-log-done", "AWS::Logs::LogGroup", "CREATE", "SUCCESS", 600));

        String output = invoke("{\"MinAgeMinutes\": 60, \"Operations\": [\"CREATE\"],"
                + " \"TypeNames\": [\"AWS::Logs::LogGroup\"], \"TypeNamePrefixes\": [\"AWS::RDS::\"], \"DryRun\": true}");

        assertEquals(List.of("old-log-create", "old-rds-create"), tokens(output));
        assertTrue(!output.contains("NextToken"), "single page: no NextToken");
        assertTrue(!output.contains("secret"), "ResourceModel is never returned");
        assertTrue(output.contains("\"EventTime\":\"2026-11-24T10:00:00.000Z\""), output);
    }

    @Test
    void aRequestWithoutATokenIsNeverListed() throws Exception {
        cloudControl.listed = List.of(request(null, "AWS::S3::Bucket", "DELETE", "IN_PROGRESS", 90),
                request("b", "AWS::S3::Bucket", "DELETE", "IN_PROGRESS", 90));

        String output = invoke("{}");

        assertEquals(List.of("b"), tokens(output));
        assertTrue(!output.contains("id-null"), output);
    }

    @Test
    void noFiltersMatchesEveryInFlightRequest() throws Exception {
        cloudControl.listed = List.of(request("a", "AWS::S3::Bucket", "UPDATE", "PENDING", 0),
                request("b", "AWS::SQS::Queue", "DELETE", "IN_PROGRESS", 1));

        assertEquals(List.of("a", "b"), tokens(invoke("{}")));
    }

    @Test
    void aParentWorkflowsExecutionIdIsTakenSoASweepMayBeNested() throws Exception {
        cloudControl.listed = List.of(request("a", "AWS::S3::Bucket", "UPDATE", "PENDING", 0));

        assertEquals(List.of("a"), tokens(invoke("{\"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID\": "
                + "\"arn:aws:states:us-east-1:123456789012:execution:Parent:run-1\", \"DryRun\": true, \"MaxConcurrency\": 5}")));
    }

    @Test
    void aRequestListedTwiceInOnePageIsKeptOnce() throws Exception {
        // As if the list had shifted while it was read and handed one request back twice.
        cloudControl.listed = List.of(request("a", "AWS::S3::Bucket", "UPDATE", "PENDING", 0),
                request("b", "AWS::SQS::Queue", "DELETE", "IN_PROGRESS", 1),
                request("b", "AWS::SQS::Queue", "DELETE", "IN_PROGRESS", 1));

        assertEquals(List.of("a", "b"), tokens(invoke("{}")));
    }

    @Test
    void emptyAccountIsOneCallAndAnEmptyPage() throws Exception {
        assertEquals("{\"Requests\":[]}", invoke("{}"));
        assertEquals(1, cloudControl.calls.size());
    }

    @Test
    void aPageHoldsAtMostOneHundredAndContinuesWhereItStopped() throws Exception {
        List<ProgressEvent> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(request("t" + i, "AWS::Logs::LogGroup", "CREATE", "IN_PROGRESS", 90));
        }
        cloudControl.listed = many;

        List<String> seen = new ArrayList<>();
        String output = invoke("{}");
        seen.addAll(tokens(output));
        assertEquals(100, tokens(output).size());
        while (output.contains("\"NextToken\"")) {
            String next = output.replaceAll(".*\"NextToken\":\"([^\"]+)\".*", "$1");
            output = invoke("{\"NextToken\": \"" + next + "\"}");
            seen.addAll(tokens(output));
        }
        assertEquals(250, seen.size());
        assertEquals(250, seen.stream().distinct().count(), "no request listed twice");
    }

    /** Sparse matches for a TypeNamePrefixes of AWS::RDS::: t0, t50, t100... among S3 buckets. */
    static List<ProgressEvent> oneRdsRequestInFifty(int count) {
        List<ProgressEvent> listed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            listed.add(request("t" + i, i % 50 == 0 ? "AWS::RDS::DBInstance" : "AWS::S3::Bucket", "CREATE", "PENDING", 90));
        }
        return listed;
    }

    @Test
    void sparseMatchesReadSeveralApiPagesAskingOnlyForTheRoomLeft() throws Exception {
        cloudControl.listed = oneRdsRequestInFifty(150);

        String output = invoke("{\"TypeNamePrefixes\": [\"AWS::RDS::\"]}");

        assertEquals(List.of("t0", "t50", "t100"), tokens(output));
        assertEquals(List.of("ListResourceRequests null 100", "ListResourceRequests 100 98"), cloudControl.calls);
    }

    @Test
    void withoutTimeForAnotherCallThePageEndsEarlyAndTheNextGoesOnFromItsToken() throws Exception {
        cloudControl.listed = oneRdsRequestInFifty(150);
        // One call's budget (the default 12 s) and the margin (2 s) no longer fit in what is left of the invoke.
        TestContext nearlyOutOfTime = new TestContext("r-1", "SweepFunction", 13_999);

        String first = invokeRaw("{\"Action\":\"ListStaleResourceRequests\",\"TypeNamePrefixes\":[\"AWS::RDS::\"]}",
                nearlyOutOfTime);

        assertEquals(List.of("t0", "t50"), tokens(first));
        assertEquals(List.of("ListResourceRequests null 100"), cloudControl.calls, "one call, then no time for another");
        assertTrue(first.contains("\"NextToken\":\"100\""), first);

        String rest = invokeRaw("{\"Action\":\"ListStaleResourceRequests\",\"TypeNamePrefixes\":[\"AWS::RDS::\"],"
                + "\"NextToken\":\"100\"}", new TestContext("r-2", "SweepFunction", 14_000));

        assertEquals(List.of("t100"), tokens(rest), "nothing skipped: the page goes on where the last one stopped");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"MinAgeMinutes\": -1}                      | MinAgeMinutes must be a whole number from 0 to 10080",
            "{\"MinAgeMinutes\": 20000}                   | MinAgeMinutes must be a whole number from 0 to 10080",
            "{\"MinAgeMinutes\": \"60\"}                  | MinAgeMinutes must be a whole number of minutes, got a string",
            "{\"MinAgeMinutes\": 1.5}                     | MinAgeMinutes must be a whole number from 0 to 10080",
            "{\"Operations\": \"CREATE\"}                 | Operations must be an array of strings, got a string",
            "{\"Operations\": [\"CANCEL\"]}               | Operations may only contain CREATE, UPDATE or DELETE",
            "{\"TypeNames\": [\"Logs\"]}                  | TypeNames must be resource type names like AWS::Logs::LogGroup",
            "{\"TypeNames\": [3]}                         | TypeNames must be an array of strings, found a number",
            "{\"TypeNames\": []}                          | TypeNames must hold 1 to 50 entries, got 0: leave the field out",
            "{\"Operations\": []}                         | Operations must hold 1 to 50 entries, got 0",
            "{\"TypeNames\": null}                        | TypeNames must be an array of strings, got null",
            "{\"MinAgeMinutes\": null}                    | MinAgeMinutes must be a whole number of minutes, got null",
            "{\"TypeNamePrefixes\": [\"\"]}               | TypeNamePrefixes must be 1 to 196 characters long",
            "{\"NextToken\": 5}                           | NextToken must be the string a previous page returned",
            "[1,2]                                        | must be a JSON object, got an array",
            "nope                                         | not valid JSON",
            "{\"MinAgeMinutes\": 5} {}                  | has more after its JSON object",
            "{\"DryRun\": false, \"DryRun\": true}    | names the key DryRun twice in one object",
            "{\"Operation\": [\"DELETE\"]}            | 'Operation' is not a field of the sweep's input",
            "{\"TypeName\": [\"AWS::RDS::DBInstance\"]} | 'TypeName' is not a field of the sweep's input"})
    void badInputNamesTheFieldAndListsNothing(String input, String expected) {
        InvalidSweepFilterException e = assertThrows(InvalidSweepFilterException.class, () -> invoke(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(List.of(), cloudControl.calls);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{}                                   | Action must be \"ListStaleResourceRequests\" or \"TallyOutcomes\", got nothing",
            "{\"Action\": \"Cancel\"}            | got 'Cancel'",
            "{\"Action\": 1}                      | got a number"})
    void unknownActionIsRejected(String input, String expected) {
        InvalidSweepFilterException e = assertThrows(InvalidSweepFilterException.class, () -> invokeRaw(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(List.of(), cloudControl.calls);
    }
}
