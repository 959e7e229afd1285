package io.cccancel.workflow;

import static io.cccancel.workflow.WorkflowChecks.CANCEL_STATE_MACHINE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * template.yaml, the definitions and the function's error contract agree, and each check fails on a copy of the
 * real file broken the way a careless edit would break it.
 */
class WorkflowConsistencyTest {

    private static final Path SAMPLE_EVENT = Path.of("events", "eventbridge-cancel-resource-request.json");

    private final String templateText = Mutation.read(SamTemplate.PATH);
    private final SamTemplate template = SamTemplate.parse(templateText);
    private final String cancelText = Mutation.read(template.definitionFile(CANCEL_STATE_MACHINE));
    private final AslDefinition cancel = AslDefinition.parse(cancelText);

    // --- the real files ---------------------------------------------------------------------------------------

    @Test
    void everyPlaceholderHasASubstitutionAndEverySubstitutionIsUsed() {
        assertTrue(template.stateMachines().contains(CANCEL_STATE_MACHINE), template.stateMachines().toString());
        for (String stateMachine : template.stateMachines()) {
            AslDefinition definition = AslDefinition.load(template.definitionFile(stateMachine));
            assertEquals(List.of(), WorkflowChecks.substitutionProblems(template, stateMachine, definition));
        }
    }

    @Test
    void everyRetriedOrCaughtErrorIsOneThatCanOccur() {
        for (String stateMachine : template.stateMachines()) {
            AslDefinition definition = AslDefinition.load(template.definitionFile(stateMachine));
            assertEquals(List.of(), WorkflowChecks.errorNameProblems(definition), stateMachine);
        }
    }

    @Test
    void theFunctionsRetryableErrorsAndOnlyThoseAreRetried() {
        for (String stateMachine : template.stateMachines()) {
            AslDefinition definition = AslDefinition.load(template.definitionFile(stateMachine));
            assertEquals(List.of(), WorkflowChecks.functionRetryProblems(definition), stateMachine);
        }
    }

    @Test
    void retriersAndCatchersHoldOnlyTheirDocumentedFields() {
        for (String stateMachine : template.stateMachines()) {
            AslDefinition definition = AslDefinition.load(template.definitionFile(stateMachine));
            assertEquals(List.of(), WorkflowChecks.handlerFieldProblems(definition), stateMachine);
        }
    }

    @Test
    void theCancelWorkflowEndsOnlyInItsDocumentedOutcomes() {
        assertEquals(List.of(), WorkflowChecks.outcomeProblems(cancel));
    }

    @Test
    void rolesGrantOnlyWhatTheFunctionAndTheWorkflowCall() {
        assertEquals(List.of(), WorkflowChecks.iamProblems(template));
    }

    @Test
    void theWorkflowInvokesTheFunctionsAliasSoSnapStartApplies() {
        assertEquals(List.of(), WorkflowChecks.aliasInvokeProblems(template, cancel));
        assertEquals(List.of(), WorkflowChecks.functionProblems(template));
    }

    @Test
    void pollSettingBoundsAgreeBetweenTemplateAndDefinition() {
        assertEquals(List.of(), WorkflowChecks.pollSettingProblems(template, cancel));
    }

    @Test
    void theEventBridgeTriggerMatchesTheSampleEventAndLosesNothing() throws IOException {
        assertEquals(List.of(), WorkflowChecks.triggerProblems(template, sampleEvent()));
    }

    @Test
    void sampleSubstitutionsResolveEveryEntryToARealisticValue() {
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:cloudcontrol-cancel-CancelResourceRequestFunction:live",
                template.sampleSubstitutions(CANCEL_STATE_MACHINE).get("CancelFunctionAliasArn"));
        assertEquals("10", template.sampleSubstitutions(CANCEL_STATE_MACHINE).get("DefaultPollIntervalSeconds"));
    }

    // --- broken copies: each check can fail -------------------------------------------------------------------

    @Test
    void aPlaceholderWithoutASubstitutionIsReported() {
        SamTemplate broken = brokenTemplate("        DefaultMaxPolls: !Ref MaxPolls\n", "");

        assertEquals(List.of("${DefaultMaxPolls} in the definition of CancelResourceRequestStateMachine has no "
                        + "DefinitionSubstitutions entry: it would reach AWS as literal text"),
                WorkflowChecks.substitutionProblems(broken, CANCEL_STATE_MACHINE, cancel));
    }

    @Test
    void aSubstitutionNothingUsesIsReported() {
        AslDefinition broken = brokenCancel("States.StringToJson('${DefaultMaxPolls}')", "States.StringToJson('360')");

        assertEquals(List.of("DefinitionSubstitutions entry DefaultMaxPolls of CancelResourceRequestStateMachine is "
                        + "used nowhere in its definition"),
                WorkflowChecks.substitutionProblems(template, CANCEL_STATE_MACHINE, broken));
    }

    @Test
    void catchingAMisspelledErrorClassIsReported() {
        assertEquals(List.of("io.cccancel.errors.InvalidRequestTokenExeption is not a class of the function: "
                + "Lambda reports the thrown class's full name"), reportedOnCancel(WorkflowChecks::errorNameProblems,
                "[\"io.cccancel.errors.InvalidRequestTokenException\"]",
                "[\"io.cccancel.errors.InvalidRequestTokenExeption\"]"));
    }

    @Test
    void catchingAClassThatIsNotAnErrorOfTheFunctionIsReported() {
        assertEquals(List.of("io.cccancel.CancelService is not a CancelResourceRequestException: the function never "
                + "ends with it"), reportedOnCancel(WorkflowChecks::errorNameProblems,
                "[\"io.cccancel.errors.RequestTokenNotFoundException\"]", "[\"io.cccancel.CancelService\"]"));
    }

    @Test
    void aCloudControlErrorTheApiDoesNotHaveIsReported() {
        assertEquals(List.of("CloudControl.ThrottledException is not an exception of the Cloud Control API model"),
                reportedOnCancel(WorkflowChecks::errorNameProblems, "\"CloudControl.ThrottlingException\"",
                        "\"CloudControl.ThrottledException\""));
    }

    @Test
    void aRetryableFunctionErrorLeftOutOfTheRetryIsReported() {
        assertEquals(List.of("CancelResourceRequest does not retry io.cccancel.errors.ThrottlingException, which the "
                + "function marks retryable"), reportedOnCancel(WorkflowChecks::functionRetryProblems,
                "\"Lambda.TooManyRequestsException\",\n            \"io.cccancel.errors.ThrottlingException\"",
                "\"Lambda.TooManyRequestsException\""));
    }

    @Test
    void aFunctionTimeoutLeftOutOfTheRetryIsReported() {
        assertEquals(List.of("CancelResourceRequest does not retry Sandbox.Timedout: an invoke that ran out of time "
                + "may have acted, and its answer is lost"), reportedOnCancel(WorkflowChecks::functionRetryProblems,
                "\"Sandbox.Timedout\",\n            \"Lambda.Unknown\"", "\"Lambda.Unknown\""));
    }

    @Test
    void aFieldARetrierDoesNotHaveIsReported() {
        assertEquals(List.of("CancelResourceRequest has a Retry entry with the field MaxDelay, which is not one of "
                + new java.util.TreeSet<>(WorkflowChecks.RETRIER_FIELDS)), reportedOnCancel(
                WorkflowChecks::handlerFieldProblems, "\"Lambda.Unknown\"\n          ],",
                "\"Lambda.Unknown\"\n          ],\n          \"MaxDelay\": 30,"));
    }

    @Test
    void retryingANonRetryableFunctionErrorIsReported() {
        assertEquals(List.of("CancelResourceRequest retries io.cccancel.errors.RequestRejectedException, which the "
                + "function marks not retryable"), reportedOnCancel(WorkflowChecks::functionRetryProblems,
                "\"io.cccancel.errors.ServiceUnavailableException\"",
                "\"io.cccancel.errors.ServiceUnavailableException\", \"io.cccancel.errors.RequestRejectedException\""));
    }

    @Test
    void anUndocumentedOutcomeNameIsReported() {
        AslDefinition broken = brokenCancel("\"Error\": \"CancelResourceRequest.TimedOut\"",
                "\"Error\": \"CancelResourceRequest.Timeout\"");

        assertEquals(List.of(
                "Fail state TimedOut ends with CancelResourceRequest.Timeout, which is not a documented outcome",
                "No Fail state ends with the documented outcome CancelResourceRequest.TimedOut"),
                WorkflowChecks.outcomeProblems(broken));
    }

    @Test
    void aCloudControlActionUnderTheWrongPrefixIsReported() {
        SamTemplate broken = brokenTemplate("                  - cloudformation:CancelResourceRequest\n",
                "                  - cloudcontrol:CancelResourceRequest\n");

        List<String> problems = WorkflowChecks.iamProblems(broken);

        assertTrue(problems.contains("CancelResourceRequestFunctionRole grants cloudcontrol:CancelResourceRequest: "
                + "Cloud Control's IAM prefix is cloudformation:"), problems.toString());
    }

    @Test
    void aFunctionRoleGrantingMoreThanTheCancelIsReported() {
        SamTemplate broken = brokenTemplate("                  - cloudformation:GetResourceRequestStatus\n"
                        + "                Resource: \"*\"\n              - Effect: Allow\n                Action:\n"
                        + "                  - logs:CreateLogStream",
                "                  - cloudformation:GetResourceRequestStatus\n"
                        + "                  - cloudformation:ListResourceRequests\n"
                        + "                Resource: \"*\"\n              - Effect: Allow\n                Action:\n"
                        + "                  - logs:CreateLogStream");

        assertEquals(List.of("CancelResourceRequestFunctionRole grants [cloudformation:CancelResourceRequest, "
                        + "cloudformation:GetResourceRequestStatus, cloudformation:ListResourceRequests, "
                        + "logs:CreateLogStream, logs:PutLogEvents], not exactly [cloudformation:CancelResourceRequest, "
                        + "cloudformation:GetResourceRequestStatus, logs:CreateLogStream, logs:PutLogEvents]"),
                WorkflowChecks.iamProblems(broken));
    }

    @Test
    void aWorkflowRoleThatMayInvokeTheUnpublishedFunctionIsReported() {
        SamTemplate broken = brokenTemplate("                Resource: !Ref CancelResourceRequestFunction.Alias\n",
                "                Resource: !GetAtt CancelResourceRequestFunction.Arn\n");

        List<String> problems = WorkflowChecks.iamProblems(broken);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("CancelResourceRequestStateMachineRole may invoke"), problems.toString());
    }

    @Test
    void aWorkflowThatInvokesTheFunctionWithoutItsAliasIsReported() {
        SamTemplate broken = brokenTemplate("CancelFunctionAliasArn: !Ref CancelResourceRequestFunction.Alias",
                "CancelFunctionAliasArn: !GetAtt CancelResourceRequestFunction.Arn");

        assertEquals(List.of("CancelResourceRequest invokes {Fn::GetAtt=[CancelResourceRequestFunction, Arn]}, not the "
                + "function's published alias"), WorkflowChecks.aliasInvokeProblems(broken, cancel));
    }

    @Test
    void aHandlerNamedWithItsMethodIsReported() {
        SamTemplate broken = brokenTemplate("Handler: io.cccancel.CancelResourceRequestHandler\n",
                "Handler: io.cccancel.CancelResourceRequestHandler::handleRequest\n");

        assertEquals(List.of("Handler io.cccancel.CancelResourceRequestHandler::handleRequest names a method: name the "
                        + "class alone, so that the runtime calls it through RequestStreamHandler, not by reflection "
                        + "(which spins method handles in the first invoke of every new execution environment)"),
                WorkflowChecks.functionProblems(broken));
    }

    /** Each way a stream handler can be loadable and still not be made by the runtime. */
    @ParameterizedTest
    @ValueSource(classes = {NoPublicConstructorHandler.class, PackagePrivateHandler.class, AbstractHandler.class,
            InnerHandler.class})
    void aHandlerTheRuntimeCannotConstructIsReported(Class<?> handlerClass) {
        String handler = handlerClass.getName();
        SamTemplate broken = brokenTemplate("Handler: io.cccancel.CancelResourceRequestHandler\n",
                "Handler: " + handler + "\n");

        assertEquals(List.of("Handler " + handler + ": the runtime constructs the class through its public "
                        + "no-argument constructor (Class.getConstructor()), so it must be a public, concrete, "
                        + "top-level or static class that has one"),
                WorkflowChecks.functionProblems(broken));
    }

    /** Its only constructor takes an argument. */
    public static final class NoPublicConstructorHandler implements RequestStreamHandler {
        public NoPublicConstructorHandler(String unused) {
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) {
        }
    }

    /** Not public: the runtime, in another package, may not call its constructor. */
    static final class PackagePrivateHandler implements RequestStreamHandler {
        public PackagePrivateHandler() {
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) {
        }
    }

    /** Abstract: there is nothing to make. */
    public abstract static class AbstractHandler implements RequestStreamHandler {
        public AbstractHandler() {
        }
    }

    /** Not static: its constructor needs an instance of the class around it. */
    public final class InnerHandler implements RequestStreamHandler {
        public InnerHandler() {
        }

        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) {
        }
    }

    @Test
    void aParameterOfTheEnvironmentThatPublishesNoNewVersionIsReported() {
        SamTemplate broken = brokenTemplate(
                "VersionDescription: !Sub \"LogLevel ${LogLevel}, IncludeResourceModel ${IncludeResourceModel}\"",
                "VersionDescription: !Sub \"LogLevel ${LogLevel}\"");

        assertEquals(List.of("CancelResourceRequestFunction reads parameter IncludeResourceModel in Environment but its "
                        + "VersionDescription does not name it: changing it alone would leave the alias on the old version"),
                WorkflowChecks.functionProblems(broken));
    }

    @Test
    void templateBoundsThatDriftFromTheDefinitionAreReported() {
        SamTemplate broken = brokenTemplate("AllowedPattern: \"^([1-9][0-9]{0,2}|1000)$\"",
                "AllowedPattern: \"^([1-9][0-9]{0,3}|10000)$\"");

        assertEquals(List.of("MaxPolls: the template allows [1.0]..[10000.0] but the definition rejects values below "
                + "[1.0] and above [1000.0]"), WorkflowChecks.pollSettingProblems(broken, cancel));
    }

    @Test
    void aPollSettingThatTakesFractionsIsReported() {
        SamTemplate number = brokenTemplate("    Type: String\n    Default: \"10\"\n"
                        + "    AllowedPattern: \"^([1-9][0-9]?|[1-5][0-9]{2}|600)$\"\n",
                "    Type: Number\n    Default: 10\n    MinValue: 1\n    MaxValue: 600\n");
        SamTemplate loose = brokenTemplate("AllowedPattern: \"^([1-9][0-9]?|[1-5][0-9]{2}|600)$\"",
                "AllowedPattern: \"^[0-9.]+$\"");

        assertEquals(List.of("PollIntervalSeconds must be a String with an AllowedPattern of whole numbers: a Number "
                + "parameter also takes fractions such as 10.5"), WorkflowChecks.pollSettingProblems(number, cancel));
        assertEquals(List.of("PollIntervalSeconds: AllowedPattern ^[0-9.]+$ must accept one run of whole numbers and "
                + "nothing else; it accepts 100001 numbers from 0 to 100000 and [1.5, 10.0, 01]"),
                WorkflowChecks.pollSettingProblems(loose, cancel));
    }

    @Test
    void aDeadLetterQueueWithoutAnAlarmIsReported() throws IOException {
        SamTemplate broken = brokenTemplate("Value: !GetAtt CancelResourceRequestDeadLetterQueue.QueueName",
                "Value: !GetAtt SweepDeadLetterQueue.QueueName");

        assertEquals(List.of("No alarm goes off when a message waits in the dead-letter queue "
                + "CancelResourceRequestDeadLetterQueue"), WorkflowChecks.triggerProblems(broken, sampleEvent()));
    }

    @Test
    void aDeadLetterAlarmThatNotifiesNoOneIsReported() throws IOException {
        SamTemplate broken = brokenTemplate(
                "      AlarmActions: !If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]\n"
                        + "\n  CancelResourceRequestDeadLetterQueuePolicy:",
                "\n  CancelResourceRequestDeadLetterQueuePolicy:");

        assertEquals(List.of("The alarm on the dead-letter queue CancelResourceRequestDeadLetterQueue does not notify "
                + "AlarmTopicArn"), WorkflowChecks.triggerProblems(broken, sampleEvent()));
    }

    @Test
    void aTriggerWithoutADeadLetterQueueIsReported() throws IOException {
        SamTemplate broken = brokenTemplate("            DeadLetterConfig:\n"
                + "              Arn: !GetAtt CancelResourceRequestDeadLetterQueue.Arn\n", "");

        assertEquals(List.of("The rule has no dead-letter queue of this template: undeliverable triggers would be lost"),
                WorkflowChecks.triggerProblems(broken, sampleEvent()));
    }

    private SamTemplate brokenTemplate(String from, String to) {
        return Mutation.template(templateText, from, to);
    }

    /** What {@code check} reports on a copy of the cancel workflow with {@code from} replaced by {@code to}. */
    private List<String> reportedOnCancel(Function<AslDefinition, List<String>> check, String from, String to) {
        return check.apply(brokenCancel(from, to));
    }

    private AslDefinition brokenCancel(String from, String to) {
        return Mutation.definition(cancelText, from, to);
    }

    private static JsonNode sampleEvent() throws IOException {
        return Mutation.json(SAMPLE_EVENT);
    }
}
