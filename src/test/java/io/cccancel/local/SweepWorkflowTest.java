package io.cccancel.local;

import static io.cccancel.emulator.ApiOperation.CancelResourceRequest;
import static io.cccancel.emulator.ApiOperation.ListResourceRequests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Fault;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.local.ExecutionResult.ChildExecution;
import io.cccancel.local.ExecutionResult.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real sweep workflow (statemachine/sweep-stale-resource-requests.asl.json) through the local stack: its function
 * listing and tallying, the real cancel-and-confirm workflow as its nested executions with the real cancel function,
 * all against the Cloud Control emulator. Waits and retry intervals are skipped and the emulator's clock stands
 * still, so each request's lifecycle decides its outcome: a cancel that takes no time completes at the first poll.
 * Every test asserts the emulator's ground truth (which requests had a cancel accepted, and how many), the sweep's
 * output and the events it published.
 */
class SweepWorkflowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** In flight for a day (the clock stands still: for ever), and a cancel completes at once. */
    private static final Lifecycle STUCK = Lifecycle.DEFAULT.withInProgress(Duration.ofDays(1))
            .withCancelTaking(Duration.ZERO);
    /** The cancel workflow's MaxPolls in these tests: a hanging cancel times out after 3 polls. */
    private static final LocalStack.Parameters CANCEL = new LocalStack.Parameters(10, 3);

    private LocalStack stack;
    private CloudControlEmulator cloudControl;

    private void startStack(LocalStack.SweepParameters sweep) {
        cloudControl = CloudControlEmulator.start(); // a ManualClock: time stands still
        stack = LocalStack.startSweep(cloudControl, CANCEL, sweep);
    }

    private void startStack() {
        startStack(LocalStack.SweepParameters.TEMPLATE_DEFAULTS);
    }

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------------------------------ filters

    @Test
    void minAgeKeepsYoungRequestsOutOfTheSweep() {
        startStack();
        List<String> old = seed(3, "DELETE", "AWS::S3::Bucket", Duration.ofHours(2));
        List<String> young = seed(2, "DELETE", "AWS::S3::Bucket", Duration.ofMinutes(10));

        ExecutionResult sweep = sweep("{\"MinAgeMinutes\": 60}");

        assertSucceeded(sweep);
        assertCancelledOnce(old);
        assertUntouched(young);
        assertEquals(counts(3, 0, 0, 0, 0, 0), sweep.output().get("Counts"));
    }

    @Test
    void typeNamesMatchExactlyAndPrefixesByTheirStart() {
        startStack();
        List<String> logGroups = seed(2, "CREATE", "AWS::Logs::LogGroup", Duration.ofHours(1));
        List<String> rds = seed(2, "CREATE", "AWS::RDS::DBInstance", Duration.ofHours(1));
        List<String> logStreams = seed(1, "CREATE", "AWS::Logs::LogStream", Duration.ofHours(1));
        List<String> buckets = seed(2, "CREATE", "AWS::S3::Bucket", Duration.ofHours(1));

        ExecutionResult sweep = sweep("{\"TypeNames\": [\"AWS::Logs::LogGroup\"], \"TypeNamePrefixes\": [\"AWS::RDS::\"]}");

        assertSucceeded(sweep);
        assertCancelledOnce(logGroups);
        assertCancelledOnce(rds);
        assertUntouched(logStreams);
        assertUntouched(buckets);
    }

    @Test
    void operationsKeepOnlyTheNamedOperations() {
        startStack();
        List<String> creates = seed(2, "CREATE", "AWS::SQS::Queue", Duration.ofHours(1));
        List<String> updates = seed(2, "UPDATE", "AWS::SQS::Queue", Duration.ofHours(1));
        List<String> deletes = seed(2, "DELETE", "AWS::SQS::Queue", Duration.ofHours(1));

        ExecutionResult sweep = sweep("{\"Operations\": [\"CREATE\", \"DELETE\"]}");

        assertSucceeded(sweep);
        assertCancelledOnce(creates);
        assertCancelledOnce(deletes);
        assertUntouched(updates);
    }

    // ------------------------------------------------------------------------------------------ pages

    @Test
    void pagesAreSweptInTurnUntilTheLastAndEachIsPublished() {
        startStack();
        List<String> tokens = seed(250, "DELETE", "AWS::S3::Bucket", Duration.ofHours(1));

        ExecutionResult sweep = sweep("{}");

        assertSucceeded(sweep);
        assertCancelledOnce(tokens);
        assertEquals(3, cloudControl.callCount(ListResourceRequests), "one list call per page");
        assertEquals(250, cloudControl.callCount(CancelResourceRequest), "one cancel per request");
        assertEquals(3, sweep.output().get("Pages").asInt());
        assertEquals(false, sweep.output().get("MoreToSweep").asBoolean());

        List<JsonNode> pages = details(sweep);
        assertEquals(List.of(1, 2, 3), pages.stream().map(p -> p.get("Page").asInt()).toList());
        assertEquals(List.of(false, false, true), pages.stream().map(p -> p.get("LastPage").asBoolean()).toList());
        assertEquals(List.of(100, 100, 50), pages.stream().map(p -> p.get("Outcomes").size()).toList());
        assertEquals(List.of(100, 200, 250), pages.stream().map(p -> p.get("Counts").get("Cancelled").asInt()).toList(),
                "each page carries the running counts");
        List<String> published = new ArrayList<>();
        pages.forEach(p -> p.get("Outcomes").forEach(o -> published.add(o.get("RequestToken").asText())));
        assertEquals(tokens, published, "every token published once, in listing order");
    }

    @Test
    void eachPublishedEventNamesTheSweepAndHoldsOnlyWhatItSays() {
        startStack();
        List<String> tokens = seed(2, "UPDATE", "AWS::Lambda::Function", Duration.ofHours(1));

        ExecutionResult sweep = sweep("{}");

        assertSucceeded(sweep);
        JsonNode event = sweep.publishedEvents().getFirst();
        assertEquals("default", event.get("eventBusName").asText());
        assertEquals("cloudcontrol-cancel", event.get("source").asText());
        assertEquals("Resource Requests Swept", event.get("detailType").asText());
        String executionArn = "arn:aws:states:us-east-1:123456789012:execution:" + stack.workflow().stateMachineName()
                + ":" + sweep.executionId();
        assertEquals(List.of(executionArn, "arn:aws:states:us-east-1:123456789012:stateMachine:"
                + stack.workflow().stateMachineName()), texts(event.get("resources")));
        JsonNode detail = event.get("detail");
        assertEquals(List.of("SweepExecutionArn", "Page", "LastPage", "MoreToSweep", "DryRun", "Outcomes", "Counts"),
                fieldNames(detail));
        assertEquals(executionArn, detail.get("SweepExecutionArn").asText());
        assertEquals(List.of(Map.of("RequestToken", tokens.get(0), "Outcome", "Cancelled"),
                Map.of("RequestToken", tokens.get(1), "Outcome", "Cancelled")), outcomes(detail));
        assertEquals(counts(2, 0, 0, 0, 0, 0), detail.get("Counts"));
    }

    @Test
    void eachRequestIsCancelledByANestedCancelWorkflowStartedByTheSweep() {
        startStack();
        List<String> tokens = seed(3, "DELETE", "AWS::DynamoDB::Table", Duration.ofHours(1));

        ExecutionResult sweep = sweep("{}");

        assertSucceeded(sweep);
        String sweepArn = "arn:aws:states:us-east-1:123456789012:execution:" + stack.workflow().stateMachineName()
                + ":" + sweep.executionId();
        List<ChildExecution> children = sweep.childExecutions();
        assertEquals(tokens, children.stream().map(c -> c.input().get("RequestToken").asText()).sorted(
                java.util.Comparator.comparing(tokens::indexOf)).toList());
        for (ChildExecution child : children) {
            assertTrue(child.executionArn().startsWith(
                    "arn:aws:states:us-east-1:123456789012:execution:CancelResourceRequestStateMachine:"), child.executionArn());
            assertEquals(sweepArn, child.input().get("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID").asText());
            assertEquals("SUCCEEDED", child.status());
            assertEquals(List.of("CancelResourceRequest", "CheckOperationStatus", "WaitUntilRetryAfter",
                    "GetResourceRequestStatus", "CountPoll", "CheckOperationStatus", "CancelComplete"),
                    child.states().subList(child.states().indexOf("CancelResourceRequest"), child.states().size()));
        }
    }

    // ------------------------------------------------------------------------------------------ outcomes

    /** Both ways a failed child's Cause may spell its fields: the sweep reads the child's outcome from either. */
    @ParameterizedTest(name = "child Cause in camelCase: {0}")
    @ValueSource(booleans = {false, true})
    void everyOutcomeIsRecordedAndNoneFailsTheSweep(boolean childCauseInCamelCase) {
        startStack();
        // One at a time, so the scripted faults meet the first two cancels: the first two requests.
        String gone = seedOne(STUCK);
        String denied = seedOne(STUCK);
        String lostRace = seedOne(STUCK.withCancelLosingRace());
        String failedFirst = seedOne(STUCK.failingWith("NotStabilized", "Timed out waiting").withCancelLosingRace());
        String hanging = seedOne(STUCK.withCancelHangingForever());
        List<String> cancelled = seed(2, "DELETE", "AWS::S3::Bucket", Duration.ofHours(1));
        cloudControl.faultNext(CancelResourceRequest, Fault.requestTokenNotFound(), Fault.accessDenied());

        ExecutionRequest request = ExecutionRequest.fast("{\"MaxConcurrency\": 1}").clock(cloudControl::now);
        ExecutionResult sweep = stack.workflow()
                .run(childCauseInCamelCase ? request.withChildCauseInCamelCase() : request);

        assertSucceeded(sweep);
        assertEquals(counts(2, 2, 1, 1, 1, 0), sweep.output().get("Counts"));
        assertEquals(5, sweep.childExecutions().stream().filter(c -> !"SUCCEEDED".equals(c.status())).count(),
                "the children whose Cause the sweep read");
        Map<String, Map<String, String>> byToken = new HashMap<>();
        outcomes(details(sweep).getFirst()).forEach(o -> byToken.put(o.get("RequestToken"), o));
        assertEquals(Map.of("RequestToken", gone, "Outcome", "NotFound",
                "Detail", "CancelResourceRequest.RequestTokenNotFound"), byToken.get(gone));
        assertEquals(Map.of("RequestToken", denied, "Outcome", "Failed", "Detail", "CancelResourceRequest.Error"),
                byToken.get(denied));
        assertEquals(Map.of("RequestToken", lostRace, "Outcome", "AlreadyFinished",
                "Detail", "CancelResourceRequest.AlreadyCompleted"), byToken.get(lostRace));
        assertEquals(Map.of("RequestToken", failedFirst, "Outcome", "AlreadyFinished",
                "Detail", "CancelResourceRequest.OperationFailed"), byToken.get(failedFirst));
        assertEquals(Map.of("RequestToken", hanging, "Outcome", "TimedOut", "Detail", "CancelResourceRequest.TimedOut"),
                byToken.get(hanging));
        cancelled.forEach(token -> assertEquals(Map.of("RequestToken", token, "Outcome", "Cancelled"), byToken.get(token)));
        assertCancelledOnce(cancelled);
        assertEquals(0, cloudControl.acceptedCancels(gone));
        assertEquals(0, cloudControl.acceptedCancels(denied));
        assertEquals("SUCCESS", cloudControl.operationStatus(lostRace));
        assertEquals("FAILED", cloudControl.operationStatus(failedFirst));
        assertEquals("CANCEL_IN_PROGRESS", cloudControl.operationStatus(hanging));
    }

    @Test
    void whatAFailedChildCarriesNeverReachesTheSweepsState() {
        startStack();
        // Each timed-out child's last ProgressEvent holds a 20 KB ResourceModel; its Cause quotes the event without
        // the model, so the parent's Causes (which quote the child's again) stay small too.
        String model = "{\"Description\":\"" + "x".repeat(20_000) + "\"}";
        cloudControl.seedRequests(100, SeedRequest.of("UPDATE", "AWS::SSM::Parameter", "big").withResourceModel(model)
                .withLifecycle(STUCK.withCancelHangingForever()).startedAt(cloudControl.now().minus(Duration.ofHours(1))));

        ExecutionResult sweep = sweep("{}");

        assertSucceeded(sweep);
        assertEquals(counts(0, 0, 0, 100, 0, 0), sweep.output().get("Counts"));
        assertTrue(sweep.childExecutions().stream().allMatch(c -> c.cause().length() < 2_000
                        && c.cause().contains("\"ResourceModel\":null") && !c.cause().contains("xxxxxxxxxx")),
                "every child failed with a Cause under 2 KB, without the model");
        long largest = largestStateData(sweep);
        assertTrue(largest < 64 * 1024, "largest state input or output: " + largest + " bytes");
    }

    @Test
    void aDryRunCancelsNothingAndPublishesWhatItWouldCancel() {
        startStack();
        List<String> tokens = seed(120, "CREATE", "AWS::EC2::Instance", Duration.ofHours(3));

        ExecutionResult sweep = sweep("{\"DryRun\": true, \"MinAgeMinutes\": 60}");

        assertSucceeded(sweep);
        assertEquals(0, cloudControl.totalAcceptedCancels());
        assertEquals(0, cloudControl.callCount(CancelResourceRequest));
        assertEquals(List.of(), sweep.childExecutions());
        assertEquals(counts(0, 0, 0, 0, 0, 120), sweep.output().get("Counts"));
        assertEquals(true, sweep.output().get("DryRun").asBoolean());
        List<String> published = new ArrayList<>();
        details(sweep).forEach(detail -> {
            assertTrue(detail.get("DryRun").asBoolean());
            outcomes(detail).forEach(o -> {
                assertEquals("WouldCancel", o.get("Outcome"));
                published.add(o.get("RequestToken"));
            });
        });
        assertEquals(tokens, published);
        tokens.forEach(token -> assertEquals("IN_PROGRESS", cloudControl.operationStatus(token)));
    }

    /**
     * events/sweep-stale-resource-requests.json as its rule delivers it: the detail alone (InputPath $.detail,
     * checked by SweepConsistencyTest). Its filters are a dry run of old CREATEs and UPDATEs of RDS and EC2 types.
     */
    @Test
    void theSampleEventPreviewsWhatItsFiltersName() throws Exception {
        startStack();
        List<String> rdsCreates = seed(2, "CREATE", "AWS::RDS::DBInstance", Duration.ofHours(2));
        List<String> ec2Updates = seed(2, "UPDATE", "AWS::EC2::SecurityGroup", Duration.ofHours(2));
        List<String> rdsDeletes = seed(1, "DELETE", "AWS::RDS::DBInstance", Duration.ofHours(2));
        List<String> buckets = seed(1, "CREATE", "AWS::S3::Bucket", Duration.ofHours(2));
        List<String> young = seed(1, "CREATE", "AWS::RDS::DBInstance", Duration.ofMinutes(10));
        JsonNode sample = JSON.readTree(java.nio.file.Files.readString(
                java.nio.file.Path.of("events", "sweep-stale-resource-requests.json")));

        ExecutionResult sweep = sweep(sample.get("detail").toString());

        assertSucceeded(sweep);
        assertEquals(0, cloudControl.callCount(CancelResourceRequest), "the sample is a dry run");
        assertEquals(counts(0, 0, 0, 0, 0, 4), sweep.output().get("Counts"));
        List<String> published = new ArrayList<>();
        details(sweep).forEach(detail -> outcomes(detail).forEach(o -> published.add(o.get("RequestToken"))));
        List<String> expected = new ArrayList<>(rdsCreates);
        expected.addAll(ec2Updates);
        assertEquals(expected, published, "only old RDS and EC2 creates and updates, not the others: "
                + rdsDeletes + buckets + young);
    }

    /**
     * The largest page the API can return, every field at its longest: 128-character tokens, 196-character type
     * names, 1,024-character identifiers that take six bytes a character once escaped. A dry run holds its listing
     * twice, yet stays far from Step Functions' 256 KiB, because the listing carries no Identifier.
     */
    @Test
    void theLargestPossiblePageStaysFarFromTheStateLimitEvenInADryRun() {
        startStack();
        String typeName = "A".repeat(64) + "::" + "B".repeat(64) + "::" + "C".repeat(64);
        String identifier = "\u0001".repeat(1024);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tokens.add(cloudControl.startRequest(SeedRequest.of("UPDATE", typeName, identifier)
                    .withRequestToken(String.format("%03d", i) + "x".repeat(125)).withLifecycle(STUCK)
                    .startedAt(cloudControl.now().minus(Duration.ofHours(1)))));
        }

        ExecutionResult sweep = sweep("{\"DryRun\": true}");

        assertSucceeded(sweep);
        assertEquals(counts(0, 0, 0, 0, 0, 100), sweep.output().get("Counts"));
        long largest = largestStateData(sweep);
        assertTrue(largest < 128 * 1024, "largest state input or output: " + largest + " bytes");
    }

    @Test
    void anEmptyAccountIsOneListCallAndOneEmptyPage() {
        startStack();

        ExecutionResult sweep = sweep("{}");

        assertSucceeded(sweep);
        assertEquals(Map.of(ListResourceRequests.name(), 1L), cloudControl.callCounts());
        assertEquals(counts(0, 0, 0, 0, 0, 0), sweep.output().get("Counts"));
        assertEquals(1, sweep.output().get("Pages").asInt());
        JsonNode page = details(sweep).getFirst();
        assertEquals(1, sweep.publishedEvents().size());
        assertEquals(0, page.get("Outcomes").size());
        assertTrue(page.get("LastPage").asBoolean());
    }

    @Test
    void aSweepStopsAfterItsPageBudgetAndTheNextOneGoesOn() {
        startStack(LocalStack.SweepParameters.TEMPLATE_DEFAULTS.withMaxPagesPerSweep(2));
        List<String> tokens = seed(250, "DELETE", "AWS::S3::Bucket", Duration.ofHours(1));

        ExecutionResult first = sweep("{}");

        assertSucceeded(first);
        assertEquals(2, first.output().get("Pages").asInt());
        assertTrue(first.output().get("MoreToSweep").asBoolean());
        assertCancelledOnce(tokens.subList(0, 200));
        assertUntouched(tokens.subList(200, 250));
        JsonNode last = details(first).getLast();
        assertTrue(last.get("LastPage").asBoolean() && last.get("MoreToSweep").asBoolean(), last::toString);

        ExecutionResult second = sweep("{}");

        assertSucceeded(second);
        assertEquals(1, second.output().get("Pages").asInt());
        assertEquals(false, second.output().get("MoreToSweep").asBoolean());
        assertCancelledOnce(tokens);
    }

    /**
     * If Cloud Control's NextToken counts requests instead of marking a position (not documented), each page the
     * sweep cancels moves the next requests up past the token: a sweep skips them, and says nothing is left. The next
     * sweep (the schedule) lists from the start and finds them; none is ever cancelled twice.
     */
    @Test
    void withOffsetTokensWhatOneSweepSkipsTheNextFinds() {
        startStack();
        cloudControl.offsetNextTokens(true);
        List<String> tokens = seed(250, "DELETE", "AWS::S3::Bucket", Duration.ofHours(1));

        ExecutionResult first = sweep("{}");

        assertSucceeded(first);
        assertCancelledOnce(tokens.subList(0, 100));
        assertUntouched(tokens.subList(100, 200));
        assertCancelledOnce(tokens.subList(200, 250));
        assertEquals(false, first.output().get("MoreToSweep").asBoolean(), "the skipped requests are not seen");

        ExecutionResult second = sweep("{}");

        assertSucceeded(second);
        assertCancelledOnce(tokens);
        assertEquals(250, cloudControl.totalAcceptedCancels());
    }

    // ------------------------------------------------------------------------------------------ bad input

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"DryRun\": \"yes\"}              | DryRun must be true or false",
            "{\"MaxConcurrency\": 0}             | MaxConcurrency must be a whole number from 1 to 40",
            "{\"MaxConcurrency\": 41}            | MaxConcurrency must be a whole number from 1 to 40",
            "{\"MaxConcurrency\": 2.5}           | MaxConcurrency must be a whole number from 1 to 40",
            "{\"MaxConcurrency\": \"5\"}         | MaxConcurrency must be a whole number from 1 to 40",
            "{\"Operations\": [\"CANCEL\"]}      | Operations may only contain CREATE, UPDATE or DELETE",
            "{\"MinAgeMinutes\": -5}             | MinAgeMinutes must be a whole number from 0 to 10080",
            "{\"TypeName\": [\"AWS::S3::Bucket\"]} | 'TypeName' is not a field of the sweep's input",
            "{\"TypeNamePrefixes\": []}         | TypeNamePrefixes must hold 1 to 50 entries, got 0"})
    void badInputFailsTheSweepBeforeAnythingIsCalled(String input, String cause) {
        startStack();
        seed(2, "DELETE", "AWS::S3::Bucket", Duration.ofHours(1));

        ExecutionResult sweep = sweep(input);

        assertEquals(Status.FAILED, sweep.status(), sweep::describe);
        assertEquals("SweepStaleResourceRequests.InvalidInput", sweep.error());
        assertTrue(sweep.cause().contains(cause), sweep.cause());
        assertEquals(Map.of(), cloudControl.callCounts(), "no Cloud Control call at all");
        assertEquals(List.of(), sweep.publishedEvents());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ExecutionResult sweep(String input) {
        // Waits skipped; the emulator's ManualClock stands still, and so does the workflows' time ($$.State.EnteredTime).
        return stack.workflow().run(ExecutionRequest.fast(input).clock(cloudControl::now));
    }

    /** {@code count} requests started {@code age} ago, stuck in flight; their tokens in listing order. */
    private List<String> seed(int count, String operation, String typeName, Duration age) {
        return cloudControl.seedRequests(count, SeedRequest.of(operation, typeName, "resource")
                .withLifecycle(STUCK).startedAt(cloudControl.now().minus(age)));
    }

    private String seedOne(Lifecycle lifecycle) {
        return cloudControl.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "one").withLifecycle(lifecycle)
                .startedAt(cloudControl.now().minus(Duration.ofHours(1))));
    }

    /** The largest input or output any state of the sweep had (its own states and its Map's), in UTF-8 bytes. */
    private static long largestStateData(ExecutionResult sweep) {
        return sweep.events().stream().filter(e -> e.is("StateEntered") || e.is("StateExited"))
                .mapToLong(e -> e.data().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .max().orElse(0);
    }

    private void assertCancelledOnce(List<String> tokens) {
        for (String token : tokens) {
            assertEquals(1, cloudControl.acceptedCancels(token), token);
            assertEquals("CANCEL_COMPLETE", cloudControl.operationStatus(token), token);
        }
    }

    private void assertUntouched(List<String> tokens) {
        for (String token : tokens) {
            assertEquals(0, cloudControl.acceptedCancels(token), token);
            assertTrue(cloudControl.calls(CancelResourceRequest).stream().noneMatch(c -> token.equals(c.requestToken())),
                    token + " was never sent a cancel");
        }
    }

    private static void assertSucceeded(ExecutionResult sweep) {
        assertEquals(Status.SUCCEEDED, sweep.status(), sweep::describe);
    }

    private static JsonNode counts(int cancelled, int alreadyFinished, int notFound, int timedOut, int failed,
                                   int wouldCancel) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("Cancelled", cancelled);
        counts.put("AlreadyFinished", alreadyFinished);
        counts.put("NotFound", notFound);
        counts.put("TimedOut", timedOut);
        counts.put("Failed", failed);
        counts.put("WouldCancel", wouldCancel);
        return JSON.valueToTree(counts);
    }

    private static List<JsonNode> details(ExecutionResult sweep) {
        return sweep.publishedEvents().stream().map(e -> e.get("detail")).toList();
    }

    private static List<Map<String, String>> outcomes(JsonNode detail) {
        List<Map<String, String>> outcomes = new ArrayList<>();
        for (JsonNode outcome : detail.get("Outcomes")) {
            Map<String, String> fields = new TreeMap<>();
            outcome.properties().forEach(e -> fields.put(e.getKey(), e.getValue().asText()));
            outcomes.add(fields);
        }
        return outcomes;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
