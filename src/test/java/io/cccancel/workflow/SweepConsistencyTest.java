package io.cccancel.workflow;

import static io.cccancel.workflow.SweepChecks.SWEEP_FUNCTION;
import static io.cccancel.workflow.SweepChecks.SWEEP_STATE_MACHINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * template.yaml and the sweep's definition agree on least privilege, nested executions, settings and triggers,
 * and each check fails on a copy of the real file broken the way a careless edit would break it. (Substitutions,
 * error names and the function's retries are checked for every definition by {@link WorkflowConsistencyTest}.)
 */
class SweepConsistencyTest {

    private static final Path SAMPLE_EVENT = Path.of("events", "sweep-stale-resource-requests.json");

    private final String templateText = Mutation.read(SamTemplate.PATH);
    private final SamTemplate template = SamTemplate.parse(templateText);
    private final String sweepText = Mutation.read(template.definitionFile(SWEEP_STATE_MACHINE));
    private final AslDefinition sweep = AslDefinition.parse(sweepText);
    private final JsonNode sampleEvent = Mutation.json(SAMPLE_EVENT);

    // --- the real files ---------------------------------------------------------------------------------------

    @Test
    void theSweepEndsOnlyInItsDocumentedOutcomes() {
        assertEquals(List.of(), WorkflowChecks.outcomeProblems(sweep, SweepChecks.SWEEP_OUTCOMES));
    }

    @Test
    void theSweepFunctionOnlyListsAndTheSweepOnlyStartsTheCancelWorkflowAndPublishes() {
        assertEquals(List.of(), SweepChecks.iamProblems(template));
    }

    @Test
    void theSweepInvokesItsFunctionsAliasAndStartsTheCancelWorkflow() {
        assertEquals(List.of(), WorkflowChecks.aliasInvokeProblems(template, SWEEP_STATE_MACHINE, SWEEP_FUNCTION, sweep));
        assertEquals(List.of(), WorkflowChecks.functionProblems(template, SWEEP_FUNCTION));
        assertEquals(List.of(), SweepChecks.nestedExecutionProblems(template, sweep));
    }

    @Test
    void maxConcurrencyBoundsAgreeBetweenTemplateAndDefinition() {
        assertEquals(List.of(), SweepChecks.settingProblems(template, sweep));
    }

    @Test
    void bothTriggersRetryKeepWhatTheyCannotDeliverAndTheScheduleIsOffUnlessSet() {
        assertEquals(List.of(), SweepChecks.triggerProblems(template, sampleEvent));
    }

    @Test
    void theScheduledInputIsAJsonObjectOfSweepFields() throws IOException {
        String input = (String) SamTemplate.map(template.parameters().get("SweepScheduleInput")).get("Default");
        JsonNode parsed = new ObjectMapper().readTree(input);

        assertTrue(parsed.isObject(), input);
        parsed.fieldNames().forEachRemaining(field -> assertTrue(SweepChecks.SWEEP_INPUT_FIELDS.contains(field), field));
    }

    /** A schedule EventBridge would refuse is refused at the parameter, by name, before anything is deployed. */
    @ParameterizedTest(name = "SweepSchedule ''{0}'' allowed: {1}")
    @CsvSource(delimiter = '|', value = {
            "                  | true",
            "rate(1 hour)      | true",
            "rate(1 minute)    | true",
            "rate(15 minutes)  | true",
            "rate(2 days)      | true",
            "cron(0 3 * * ? *) | true",
            "cron(0/15 8-17 ? * MON-FRI *) | true",
            "rate(1 hours)     | false",
            "rate(5 minute)    | false",
            "rate(0 minutes)   | false",
            "rate(1)           | false",
            "cron(0 3 * * ?)   | false",
            "every hour        | false",
            "rate(1 hour       | false"})
    void theScheduleParameterTakesOnlyExpressionsEventBridgeTakes(String schedule, boolean allowed) {
        String pattern = (String) SamTemplate.map(template.parameters().get("SweepSchedule")).get("AllowedPattern");

        assertEquals(allowed, java.util.regex.Pattern.matches(pattern, schedule == null ? "" : schedule));
    }

    @Test
    void theScheduledInputMustBeAJsonObjectAtDeploy() {
        String pattern = (String) SamTemplate.map(template.parameters().get("SweepScheduleInput")).get("AllowedPattern");
        String defaultInput = (String) SamTemplate.map(template.parameters().get("SweepScheduleInput")).get("Default");

        assertTrue(java.util.regex.Pattern.matches(pattern, defaultInput));
        assertTrue(java.util.regex.Pattern.matches(pattern, "{\"DryRun\": true,\n \"Operations\": [\"CREATE\"]}"));
        for (String notAnObject : List.of("", "MinAgeMinutes=60", "[{\"MinAgeMinutes\": 60}]", "\"{}\"", "60")) {
            assertTrue(!java.util.regex.Pattern.matches(pattern, notAnObject), notAnObject);
        }
    }

    @Test
    void sampleSubstitutionsNameTheCancelWorkflowAndTheSweepFunctionsAlias() {
        assertEquals("arn:aws:states:us-east-1:123456789012:stateMachine:CancelResourceRequestStateMachine",
                template.sampleSubstitutions(SWEEP_STATE_MACHINE).get("CancelStateMachineArn"));
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:cloudcontrol-cancel-SweepFunction:live",
                template.sampleSubstitutions(SWEEP_STATE_MACHINE).get("SweepFunctionAliasArn"));
    }

    // --- broken copies: each check can fail -------------------------------------------------------------------

    @Test
    void aSweepFunctionThatCouldCancelIsReported() {
        SamTemplate broken = Mutation.template(templateText, "                Action: cloudformation:ListResourceRequests\n",
                "                Action: [cloudformation:ListResourceRequests, cloudformation:CancelResourceRequest]\n");

        assertEquals(List.of("SweepFunctionRole grants [cloudformation:CancelResourceRequest, "
                + "cloudformation:ListResourceRequests, logs:CreateLogStream, logs:PutLogEvents], not exactly "
                + "[cloudformation:ListResourceRequests, logs:CreateLogStream, logs:PutLogEvents]"),
                SweepChecks.iamProblems(broken));
    }

    @Test
    void aBusParameterThatTakesAnArnIsReported() {
        SamTemplate broken = Mutation.template(templateText, "AllowedPattern: \"^[/.\\\\-_A-Za-z0-9]{1,256}$\"",
                "AllowedPattern: \"^[/.:\\\\-_A-Za-z0-9]{1,256}$\"");

        assertEquals(List.of("EventBusName's AllowedPattern takes an ARN (arn:aws:events:us-east-1:123456789012:"
                + "event-bus/my-bus), which would make every publish denied"), SweepChecks.iamProblems(broken));
    }

    @Test
    void aSweepWorkflowThatCouldCancelByItselfIsReported() {
        SamTemplate broken = Mutation.template(templateText, "                Action: states:StartExecution\n",
                "                Action: [states:StartExecution, cloudformation:CancelResourceRequest]\n");

        assertEquals(List.of("SweepStateMachineRole grants cloudformation:CancelResourceRequest, which the sweep does "
                + "not need (it cancels only through the cancel workflow)"), SweepChecks.iamProblems(broken));
    }

    @Test
    void aSweepWorkflowThatMayStartAnyStateMachineIsReported() {
        SamTemplate broken = Mutation.template(templateText, "                Resource: !Ref CancelResourceRequestStateMachine\n",
                "                Resource: \"*\"\n");

        assertEquals(List.of("SweepStateMachineRole may start [*]: only the cancel-and-confirm workflow"),
                SweepChecks.iamProblems(broken));
    }

    @Test
    void aSweepWorkflowThatMayPublishToAnyBusIsReported() {
        SamTemplate broken = Mutation.template(templateText, "event-bus/${EventBusName}", "event-bus/*");

        List<String> problems = SweepChecks.iamProblems(broken);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("SweepStateMachineRole may publish to"), problems.toString());
    }

    @Test
    void aSweepThatInvokesTheCancelFunctionIsReported() {
        SamTemplate broken = Mutation.template(templateText, "SweepFunctionAliasArn: !Ref SweepFunction.Alias",
                "SweepFunctionAliasArn: !Ref CancelResourceRequestFunction.Alias");

        assertEquals(List.of("ListStaleResourceRequests invokes {Ref=CancelResourceRequestFunction.Alias}, not the "
                        + "function's published alias", "TallyOutcomes invokes {Ref=CancelResourceRequestFunction.Alias}, "
                        + "not the function's published alias"),
                WorkflowChecks.aliasInvokeProblems(broken, SWEEP_STATE_MACHINE, SWEEP_FUNCTION, sweep));
    }

    @Test
    void aNestedExecutionOfAnotherStateMachineIsReported() {
        SamTemplate broken = Mutation.template(templateText, "CancelStateMachineArn: !Ref CancelResourceRequestStateMachine",
                "CancelStateMachineArn: !Ref SweepStateMachine");

        assertEquals(List.of("CancelAndConfirm starts {Ref=SweepStateMachine}, not the cancel-and-confirm workflow"),
                SweepChecks.nestedExecutionProblems(broken, sweep));
    }

    @Test
    void aNestedExecutionThatIsNotWaitedForIsReported() {
        AslDefinition broken = Mutation.definition(sweepText, "arn:aws:states:::states:startExecution.sync:2",
                "arn:aws:states:::states:startExecution");

        assertEquals(List.of("CancelAndConfirm uses arn:aws:states:::states:startExecution: only .sync:2 waits for the "
                + "cancel and gives its Output as JSON"), SweepChecks.nestedExecutionProblems(template, broken));
    }

    @Test
    void anUndocumentedSweepOutcomeIsReported() {
        AslDefinition broken = Mutation.definition(sweepText, "\"Error\": \"SweepStaleResourceRequests.Error\"",
                "\"Error\": \"SweepStaleResourceRequests.Failed\"");

        assertEquals(List.of("Fail state Error ends with SweepStaleResourceRequests.Failed, which is not a documented "
                        + "outcome", "No Fail state ends with the documented outcome SweepStaleResourceRequests.Error"),
                WorkflowChecks.outcomeProblems(broken, SweepChecks.SWEEP_OUTCOMES));
    }

    @Test
    void aMisspelledStepFunctionsErrorIsReported() {
        // The SDK's class name for the error, not the API's error code, which is what Step Functions reports.
        AslDefinition broken = Mutation.definition(sweepText, "\"StepFunctions.ExecutionLimitExceeded\"",
                "\"StepFunctions.ExecutionLimitExceededException\"");

        assertEquals(List.of("StepFunctions.ExecutionLimitExceededException is not an error of a startExecution call"),
                WorkflowChecks.errorNameProblems(broken));
    }

    @Test
    void templateBoundsThatDriftFromTheDefinitionAreReported() {
        SamTemplate broken = Mutation.template(templateText, "AllowedPattern: \"^([1-9]|[1-3][0-9]|40)$\"",
                "AllowedPattern: \"^([1-9]|[1-2][0-9]|30)$\"");

        assertEquals(List.of("SweepMaxConcurrency: the template allows [1.0]..[30.0] but the definition rejects "
                + "values below [1.0] and above [40.0]"), SweepChecks.settingProblems(broken, sweep));
    }

    @Test
    void aConcurrencyAboveWhatAnInlineMapRunsIsReported() {
        SamTemplate template = Mutation.template(templateText, "AllowedPattern: \"^([1-9]|[1-3][0-9]|40)$\"",
                "AllowedPattern: \"^([1-9]|[1-9][0-9]|100)$\"");
        AslDefinition definition = Mutation.definition(sweepText, "\"NumericGreaterThan\": 40 }", "\"NumericGreaterThan\": 100 }");

        assertEquals(List.of("SweepMaxConcurrency: the template allows up to 100.0, but an inline Map runs at most "
                + "40.0 iterations at once"), SweepChecks.settingProblems(template, definition));
    }

    @Test
    void aScheduleThatRunsWithoutTheParameterIsReported() {
        SamTemplate broken = Mutation.template(templateText, "State: !If [HasSweepSchedule, ENABLED, DISABLED]", "State: ENABLED");

        assertEquals(List.of("The schedule is not ENABLED exactly when HasSweepSchedule: ENABLED"),
                SweepChecks.triggerProblems(broken, sampleEvent));
    }

    @Test
    void aTriggerWithoutADeadLetterQueueIsReported() {
        SamTemplate broken = Mutation.template(templateText, "            InputPath: $.detail\n            RetryPolicy:\n"
                + "              MaximumEventAgeInSeconds: 86400\n              MaximumRetryAttempts: 185\n"
                + "            DeadLetterConfig:\n              Arn: !GetAtt SweepDeadLetterQueue.Arn\n",
                "            InputPath: $.detail\n            RetryPolicy:\n"
                + "              MaximumEventAgeInSeconds: 86400\n              MaximumRetryAttempts: 185\n");

        assertEquals(List.of("SweepOnDemand has no dead-letter queue of this template: undeliverable triggers would be lost"),
                SweepChecks.triggerProblems(broken, sampleEvent));
    }

    @Test
    void aDeadLetterQueueTheScheduleMayNotWriteToIsReported() {
        SamTemplate broken = Mutation.template(templateText, "                  - !GetAtt SweepStateMachineSweepOnSchedule.Arn\n", "");

        assertEquals(List.of("No queue policy lets SweepOnSchedule write to its dead-letter queue"),
                SweepChecks.triggerProblems(broken, sampleEvent));
    }
}
