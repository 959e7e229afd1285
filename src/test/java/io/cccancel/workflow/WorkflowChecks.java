package io.cccancel.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.errors.CancelResourceRequestException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.cloudcontrol.model.CloudControlException;

/**
 * The consistency checks between template.yaml, the state machine definitions and the function's error contract.
 * Each returns its problems as readable sentences, none when all is well, so a test can show that a broken input
 * is caught as plainly as it shows that the real one passes.
 */
final class WorkflowChecks {

    static final String CANCEL_FUNCTION = "CancelResourceRequestFunction";
    static final String CANCEL_STATE_MACHINE = "CancelResourceRequestStateMachine";

    /** The cancel-and-confirm workflow's outcomes: a public contract that parent workflows match on. */
    static final Set<String> CANCEL_OUTCOMES = Set.of(
            "CancelResourceRequest.InvalidRequestToken",
            "CancelResourceRequest.RequestTokenNotFound",
            "CancelResourceRequest.AlreadyCompleted",
            "CancelResourceRequest.OperationFailed",
            "CancelResourceRequest.TimedOut",
            "CancelResourceRequest.Error");

    /**
     * The Lambda errors Step Functions reports for an invoke (AWS's Lambda service-exception guidance), and the two a
     * SnapStart version adds (Lambda's "Troubleshooting SnapStart errors": a version not invoked for 14 days is
     * Inactive, and its next invoke gets SnapStartNotReadyException; a slow restore, SnapStartTimeoutException).
     */
    static final Set<String> LAMBDA_ERRORS = Set.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.ClientExecutionTimeoutException", "Lambda.TooManyRequestsException",
            "Lambda.SnapStartNotReadyException", "Lambda.SnapStartTimeoutException", "Lambda.Unknown");

    /**
     * An invoke that ran out of time: Step Functions names it after the error document's errorType, Sandbox.Timedout,
     * and AWS's guide ("Handle Lambda service exceptions") as Lambda.Unknown. The function may have acted before the
     * time ran out, and its answer is lost: every task that invokes it retries both (a retried invoke is harmless).
     */
    static final Set<String> FUNCTION_TIMEOUT_ERRORS = Set.of("Sandbox.Timedout", "Lambda.Unknown");

    /**
     * The fields a retrier and a catcher may have: the States language, Step Functions' Retry and Catch pages, and
     * Workflow Studio's optional Comment on both.
     */
    static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
            "MaxDelaySeconds", "JitterStrategy", "Comment");
    static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "ResultPath", "Assign", "Output",
            "Comment");

    /**
     * The errors a {@code states:startExecution} task reports for its own call (not the child's): the StartExecution
     * API's error codes, which have no Exception suffix (AWS's nested-workflow example retries
     * {@code StepFunctions.ExecutionLimitExceeded}); and the integration's own client failures, named as Lambda's are.
     */
    static final Set<String> STEP_FUNCTIONS_ERRORS = Set.of("StepFunctions.ExecutionLimitExceeded",
            "StepFunctions.ExecutionAlreadyExists", "StepFunctions.InvalidArn", "StepFunctions.InvalidExecutionInput",
            "StepFunctions.InvalidName", "StepFunctions.StateMachineDeleting", "StepFunctions.StateMachineDoesNotExist",
            "StepFunctions.AWSStepFunctionsException", "StepFunctions.SdkClientException");

    /** The predefined error names of the States language. */
    static final Set<String> STATES_ERRORS = Set.of("States.ALL", "States.HeartbeatTimeout", "States.Timeout",
            "States.TaskFailed", "States.Permissions", "States.ResultPathMatchFailure", "States.ParameterPathFailure",
            "States.BranchFailed", "States.NoChoiceMatched", "States.IntrinsicFailure",
            "States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed", "States.ResultWriterFailed",
            "States.QueryEvaluationError");

    /** Cloud Control's IAM actions (service prefix cloudformation:, there is no cloudcontrol: action). */
    static final Set<String> CLOUD_CONTROL_ACTIONS = Set.of("cloudformation:CancelResourceRequest",
            "cloudformation:GetResourceRequestStatus", "cloudformation:ListResourceRequests");

    static final Set<String> FUNCTION_ROLE_ACTIONS = Set.of("cloudformation:CancelResourceRequest",
            "cloudformation:GetResourceRequestStatus", "logs:CreateLogStream", "logs:PutLogEvents");

    /** What Step Functions needs for log delivery and X-Ray: none of these supports resource-level permissions. */
    static final Set<String> LOG_DELIVERY_AND_TRACING_ACTIONS = Set.of("logs:CreateLogDelivery",
            "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
            "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets");

    private WorkflowChecks() {
    }

    /** Every {@code ${Name}} has a DefinitionSubstitutions entry, and every entry is used. */
    static List<String> substitutionProblems(SamTemplate template, String stateMachine, AslDefinition definition) {
        List<String> problems = new ArrayList<>();
        Set<String> entries = template.definitionSubstitutions(stateMachine).keySet();
        for (String placeholder : definition.placeholders()) {
            if (!entries.contains(placeholder)) {
                problems.add("${" + placeholder + "} in the definition of " + stateMachine
                        + " has no DefinitionSubstitutions entry: it would reach AWS as literal text");
            }
        }
        for (String entry : entries) {
            if (!definition.placeholders().contains(entry)) {
                problems.add("DefinitionSubstitutions entry " + entry + " of " + stateMachine
                        + " is used nowhere in its definition");
            }
        }
        return problems;
    }

    /** Every error name retried or caught is one that can really occur, spelled as Step Functions spells it. */
    static List<String> errorNameProblems(AslDefinition definition) {
        List<String> problems = new ArrayList<>();
        for (String error : definition.handledErrors()) {
            String problem = errorNameProblem(error);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private static String errorNameProblem(String error) {
        if (error.startsWith("io.cccancel.")) {
            Class<?> type = loadClass(error);
            if (type == null) {
                return error + " is not a class of the function: Lambda reports the thrown class's full name";
            }
            return CancelResourceRequestException.class.isAssignableFrom(type) ? null
                    : error + " is not a CancelResourceRequestException: the function never ends with it";
        }
        if (error.startsWith("CloudControl.")) {
            String name = error.substring("CloudControl.".length());
            if (name.equals("SdkClientException")) {
                return null; // the SDK integration's own client-side failure (a network error, a timeout)
            }
            Class<?> type = loadClass(CloudControlException.class.getPackageName() + "." + name);
            return type != null && CloudControlException.class.isAssignableFrom(type) ? null
                    : error + " is not an exception of the Cloud Control API model";
        }
        if (error.startsWith("Lambda.")) {
            return LAMBDA_ERRORS.contains(error) ? null : error + " is not an error of a Lambda invoke";
        }
        if (error.startsWith("StepFunctions.")) {
            return STEP_FUNCTIONS_ERRORS.contains(error) ? null : error + " is not an error of a startExecution call";
        }
        if (error.startsWith("States.")) {
            return STATES_ERRORS.contains(error) ? null : error + " is not a predefined States error";
        }
        if (FUNCTION_TIMEOUT_ERRORS.contains(error)) {
            return null;
        }
        return error + " is not an error name any part of this workflow reports";
    }

    /**
     * A Task that invokes the function retries exactly the function's retryable errors: a non-retryable one (a bad
     * token, AccessDenied) retried would only delay the same failure. It also retries a timed-out invoke.
     */
    static List<String> functionRetryProblems(AslDefinition definition) {
        List<String> problems = new ArrayList<>();
        for (String state : definition.statesOfType("Task")) {
            if (!definition.states().get(state).path("Resource").asText().startsWith("arn:aws:states:::lambda:invoke")) {
                continue;
            }
            Set<String> retried = flatten(definition.retriedErrors(state));
            for (String timeout : new TreeSet<>(FUNCTION_TIMEOUT_ERRORS)) {
                if (!retried.contains(timeout)) {
                    problems.add(state + " does not retry " + timeout + ": an invoke that ran out of time may have "
                            + "acted, and its answer is lost");
                }
            }
            for (Class<?> error : CancelResourceRequestException.class.getPermittedSubclasses()) {
                boolean retryable = retryable(error);
                if (retryable && !retried.contains(error.getName())) {
                    problems.add(state + " does not retry " + error.getName() + ", which the function marks retryable");
                }
                if (!retryable && retried.contains(error.getName())) {
                    problems.add(state + " retries " + error.getName() + ", which the function marks not retryable");
                }
            }
        }
        return problems;
    }

    /**
     * Retriers and catchers hold only the fields Step Functions documents for them. The validators let any other
     * field through, so a misspelled one (MaxDelay for MaxDelaySeconds) would silently change nothing, or be refused
     * at deploy.
     */
    static List<String> handlerFieldProblems(AslDefinition definition) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> state : definition.states().entrySet()) {
            for (String kind : List.of("Retry", "Catch")) {
                Set<String> allowed = kind.equals("Retry") ? RETRIER_FIELDS : CATCHER_FIELDS;
                for (JsonNode handler : state.getValue().path(kind)) {
                    handler.fieldNames().forEachRemaining(field -> {
                        if (!allowed.contains(field)) {
                            problems.add(state.getKey() + " has a " + kind + " entry with the field " + field
                                    + ", which is not one of " + new TreeSet<>(allowed));
                        }
                    });
                }
            }
        }
        return problems;
    }

    /** The Fail states' error names are exactly the documented outcomes, each of them reachable by name. */
    static List<String> outcomeProblems(AslDefinition definition) {
        return outcomeProblems(definition, CANCEL_OUTCOMES);
    }

    static List<String> outcomeProblems(AslDefinition definition, Set<String> outcomes) {
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (String state : definition.statesOfType("Fail")) {
            JsonNode fail = definition.states().get(state);
            if (!fail.has("Error")) {
                problems.add("Fail state " + state + " has no fixed Error: parent workflows cannot match on it");
                continue;
            }
            String error = fail.get("Error").asText();
            used.add(error);
            if (!outcomes.contains(error)) {
                problems.add("Fail state " + state + " ends with " + error + ", which is not a documented outcome");
            }
        }
        for (String outcome : new TreeSet<>(outcomes)) {
            if (!used.contains(outcome)) {
                problems.add("No Fail state ends with the documented outcome " + outcome);
            }
        }
        return problems;
    }

    /**
     * Every IAM action is a real service action (Cloud Control's prefix is cloudformation:), the function's role
     * grants only the cancel and status calls and its own log writes, and the workflow's role invokes only the
     * function's alias and reads request status.
     */
    static List<String> iamProblems(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (String role : template.resourcesOfType("AWS::IAM::Role")) {
            for (String action : actions(template.allowStatements(role))) {
                if (action.startsWith("cloudcontrol:") || action.startsWith("cloudcontrolapi:")) {
                    problems.add(role + " grants " + action + ": Cloud Control's IAM prefix is cloudformation:");
                } else if (action.startsWith("cloudformation:") && !CLOUD_CONTROL_ACTIONS.contains(action)) {
                    problems.add(role + " grants " + action + ", which is not a Cloud Control action");
                } else if (action.contains("*")) {
                    problems.add(role + " grants the wildcard action " + action);
                }
            }
        }

        String functionRole = template.roleOf(CANCEL_FUNCTION);
        Set<String> functionActions = actions(template.allowStatements(functionRole));
        if (!functionActions.equals(FUNCTION_ROLE_ACTIONS)) {
            problems.add(functionRole + " grants " + functionActions + ", not exactly " + new TreeSet<>(FUNCTION_ROLE_ACTIONS));
        }
        if (template.properties(functionRole).containsKey("ManagedPolicyArns")) {
            problems.add(functionRole + " attaches managed policies: their grants are not reviewed here");
        }
        for (Map<String, Object> statement : template.allowStatements(functionRole)) {
            boolean logs = SamTemplate.oneOrMany(statement.get("Action")).stream().anyMatch(a -> a.toString().startsWith("logs:"));
            if (logs && SamTemplate.oneOrMany(statement.get("Resource")).contains("*")) {
                problems.add(functionRole + " may write to every log group: only its own is needed");
            }
        }

        String workflowRole = template.roleOf(CANCEL_STATE_MACHINE);
        Map<String, Object> alias = Map.of("Ref", CANCEL_FUNCTION + ".Alias");
        for (Map<String, Object> statement : template.allowStatements(workflowRole)) {
            for (Object action : SamTemplate.oneOrMany(statement.get("Action"))) {
                boolean cloudControlRead = action.equals("cloudformation:GetResourceRequestStatus");
                boolean invoke = action.equals("lambda:InvokeFunction");
                if (invoke && !SamTemplate.oneOrMany(statement.get("Resource")).equals(List.of(alias))) {
                    problems.add(workflowRole + " may invoke " + statement.get("Resource")
                            + ": only the function's alias (SnapStart) may be invoked");
                }
                if (!cloudControlRead && !invoke && !LOG_DELIVERY_AND_TRACING_ACTIONS.contains(action)) {
                    problems.add(workflowRole + " grants " + action + ", which the workflow does not need");
                }
            }
        }
        if (!actions(template.allowStatements(workflowRole)).contains("cloudformation:GetResourceRequestStatus")) {
            problems.add(workflowRole + " does not grant cloudformation:GetResourceRequestStatus: the poll would fail");
        }
        return problems;
    }

    /** The workflow invokes the function through the published alias, so SnapStart applies. */
    static List<String> aliasInvokeProblems(SamTemplate template, AslDefinition definition) {
        return aliasInvokeProblems(template, CANCEL_STATE_MACHINE, CANCEL_FUNCTION, definition);
    }

    static List<String> aliasInvokeProblems(SamTemplate template, String stateMachine, String function,
                                            AslDefinition definition) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> substitutions = template.definitionSubstitutions(stateMachine);
        for (String state : definition.statesOfType("Task")) {
            JsonNode task = definition.states().get(state);
            if (!task.path("Resource").asText().startsWith("arn:aws:states:::lambda:invoke")) {
                continue;
            }
            String functionName = task.path("Parameters").path("FunctionName").asText();
            var placeholder = AslDefinition.PLACEHOLDER.matcher(functionName);
            Object value = placeholder.matches() ? substitutions.get(placeholder.group(1)) : functionName;
            if (!Map.of("Ref", function + ".Alias").equals(value)) {
                problems.add(state + " invokes " + value + ", not the function's published alias");
            }
        }
        return problems;
    }

    /**
     * The function the template deploys is the handler class in src/main, named alone, on java21, with SnapStart
     * on the published versions behind an alias.
     */
    static List<String> functionProblems(SamTemplate template) {
        return functionProblems(template, CANCEL_FUNCTION);
    }

    static List<String> functionProblems(SamTemplate template, String functionId) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> function = template.properties(functionId);
        String handler = String.valueOf(function.get("Handler"));
        Class<?> handlerClass = loadClass(SamTemplate.handlerClass(handler));
        if (handlerClass == null || !RequestStreamHandler.class.isAssignableFrom(handlerClass)) {
            problems.add("Handler " + handler + " is not a RequestStreamHandler in src/main/java");
        }
        if (handlerClass != null && !constructibleByTheRuntime(handlerClass)) {
            problems.add("Handler " + handler + ": the runtime constructs the class through its public no-argument "
                    + "constructor (Class.getConstructor()), so it must be a public, concrete, top-level or static "
                    + "class that has one");
        }
        if (handler.contains("::")) {
            problems.add("Handler " + handler + " names a method: name the class alone, so that the runtime calls it "
                    + "through RequestStreamHandler, not by reflection (which spins method handles in the first invoke "
                    + "of every new execution environment)");
        }
        if (!"java21".equals(function.get("Runtime"))) {
            problems.add("Runtime is " + function.get("Runtime") + ": the function is compiled for java21");
        }
        if (!Map.of("ApplyOn", "PublishedVersions").equals(function.get("SnapStart"))
                || !(function.get("AutoPublishAlias") instanceof String alias && !alias.isBlank())) {
            problems.add(functionId + " needs SnapStart on PublishedVersions and an AutoPublishAlias");
        }
        problems.addAll(versionDescriptionProblems(template, functionId));
        return problems;
    }

    /**
     * SAM names a function's version from its Environment with the parameters unresolved, so a deploy that changes
     * only a parameter publishes no new version and the alias keeps the old settings. Each parameter Environment
     * uses must be in VersionDescription: a version's Description can only be replaced, which publishes a new one.
     */
    static List<String> versionDescriptionProblems(SamTemplate template, String functionId) {
        Set<String> used = new TreeSet<>();
        collectParameterRefs(template.properties(functionId).get("Environment"), template.parameters().keySet(), used);
        Object description = template.properties(functionId).get("VersionDescription");
        String named = description instanceof Map<?, ?> sub && sub.get("Fn::Sub") instanceof String s ? s : "";
        List<String> problems = new ArrayList<>();
        for (String parameter : used) {
            if (!named.contains("${" + parameter + "}")) {
                problems.add(functionId + " reads parameter " + parameter + " in Environment but its VersionDescription "
                        + "does not name it: changing it alone would leave the alias on the old version");
            }
        }
        return problems;
    }

    private static void collectParameterRefs(Object value, Set<String> parameters, Set<String> into) {
        if (value instanceof Map<?, ?> map) {
            if (map.get("Ref") instanceof String ref && parameters.contains(ref)) {
                into.add(ref);
            }
            if (map.get("Fn::Sub") instanceof String sub) {
                parameters.stream().filter(p -> sub.contains("${" + p + "}")).forEach(into::add);
            }
            map.values().forEach(v -> collectParameterRefs(v, parameters, into));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectParameterRefs(v, parameters, into));
        }
    }

    /**
     * The template's bounds for each poll setting are the bounds the definition validates, and each default
     * reaches the definition through DefinitionSubstitutions.
     */
    static List<String> pollSettingProblems(SamTemplate template, AslDefinition definition) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> substitutions = template.definitionSubstitutions(CANCEL_STATE_MACHINE);
        for (String setting : List.of("PollIntervalSeconds", "MaxPolls")) {
            rangeAgreeing(setting, SamTemplate.map(template.parameters().get(setting)), definition, "$." + setting,
                    problems);
            if (!Map.of("Ref", setting).equals(substitutions.get("Default" + setting))) {
                problems.add("DefinitionSubstitutions Default" + setting + " is not !Ref " + setting);
            }
        }
        return problems;
    }

    /**
     * The whole-number parameter {@code setting} accepts exactly what the definition's Choice rules on
     * {@code variable} accept (their NumericLessThan and NumericGreaterThan bounds). Returns its range, or null when
     * it is not a whole-number parameter (reported as such).
     */
    static WholeNumbers rangeAgreeing(String setting, Map<String, Object> parameter, AslDefinition definition,
                                      String variable, List<String> problems) {
        WholeNumbers range = WholeNumbers.of(setting, parameter, problems);
        if (range == null) {
            return null;
        }
        List<JsonNode> rules = new ArrayList<>();
        definition.states().values().forEach(state -> state.path("Choices").forEach(rule -> collectRules(rule, rules)));
        Set<Double> lowerBounds = new TreeSet<>();
        Set<Double> upperBounds = new TreeSet<>();
        for (JsonNode rule : rules) {
            if (rule.path("Variable").asText().equals(variable)) {
                if (rule.has("NumericLessThan")) {
                    lowerBounds.add(rule.get("NumericLessThan").asDouble());
                }
                if (rule.has("NumericGreaterThan")) {
                    upperBounds.add(rule.get("NumericGreaterThan").asDouble());
                }
            }
        }
        Set<Double> templateLower = Set.of((double) range.min());
        Set<Double> templateUpper = Set.of((double) range.max());
        if (!lowerBounds.equals(templateLower) || !upperBounds.equals(templateUpper)) {
            problems.add(setting + ": the template allows " + templateLower + ".." + templateUpper
                    + " but the definition rejects values below " + lowerBounds + " and above " + upperBounds);
        }
        return range;
    }

    /**
     * The whole numbers a template parameter accepts. It must be a String whose AllowedPattern accepts exactly one
     * run of whole numbers and nothing else: a Number parameter also takes 10.5, which every execution would then
     * reject. CloudFormation matches AllowedPattern against the whole value.
     */
    record WholeNumbers(long min, long max) {
        private static final List<String> NOT_WHOLE = List.of("", "1.5", "10.0", "1e2", "+1", "-1", " 1", "01", "0x1");

        static WholeNumbers of(String name, Map<String, Object> parameter, List<String> problems) {
            if (!"String".equals(parameter.get("Type")) || !(parameter.get("AllowedPattern") instanceof String regex)) {
                problems.add(name + " must be a String with an AllowedPattern of whole numbers: a Number parameter "
                        + "also takes fractions such as 10.5");
                return null;
            }
            java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(regex);
            List<Long> accepted = new ArrayList<>();
            for (long n = 0; n <= 100_000; n++) {
                if (pattern.matcher(Long.toString(n)).matches()) {
                    accepted.add(n);
                }
            }
            List<String> notWhole = NOT_WHOLE.stream().filter(v -> pattern.matcher(v).matches()).toList();
            if (accepted.isEmpty() || accepted.getLast() - accepted.getFirst() + 1 != accepted.size()
                    || !notWhole.isEmpty()) {
                problems.add(name + ": AllowedPattern " + regex + " must accept one run of whole numbers and nothing "
                        + "else; it accepts " + (accepted.isEmpty() ? "no number" : accepted.size() + " numbers from "
                        + accepted.getFirst() + " to " + accepted.getLast()) + (notWhole.isEmpty() ? "" : " and " + notWhole));
                return null;
            }
            if (!pattern.matcher(String.valueOf(parameter.get("Default"))).matches()) {
                problems.add(name + ": the Default " + parameter.get("Default") + " does not match its own AllowedPattern");
            }
            return new WholeNumbers(accepted.getFirst(), accepted.getLast());
        }
    }

    static void collectRules(JsonNode rule, List<JsonNode> into) {
        into.add(rule);
        rule.path("And").forEach(r -> collectRules(r, into));
        rule.path("Or").forEach(r -> collectRules(r, into));
        if (rule.has("Not")) {
            collectRules(rule.get("Not"), into);
        }
    }

    /**
     * The EventBridge trigger matches the documented event, hands the workflow its detail, retries, and keeps what
     * it cannot deliver in an encrypted dead-letter queue; the sample event in events/ matches it.
     */
    static List<String> triggerProblems(SamTemplate template, JsonNode sampleEvent) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> events = SamTemplate.map(template.properties(CANCEL_STATE_MACHINE).getOrDefault("Events", Map.of()));
        List<Map<String, Object>> rules = events.values().stream().map(SamTemplate::map)
                .filter(e -> "EventBridgeRule".equals(e.get("Type")))
                .map(e -> SamTemplate.map(e.get("Properties"))).toList();
        if (rules.size() != 1) {
            return List.of(CANCEL_STATE_MACHINE + " has " + rules.size() + " EventBridgeRule events, not one");
        }
        Map<String, Object> rule = rules.get(0);
        Map<String, Object> pattern = SamTemplate.map(rule.get("Pattern"));
        if (!List.of("Cancel Resource Request").equals(pattern.get("detail-type"))
                || !Map.of("RequestToken", List.of(Map.of("exists", true))).equals(pattern.get("detail"))) {
            problems.add("The rule's pattern is not detail-type \"Cancel Resource Request\" with detail.RequestToken: " + pattern);
        }
        if (!"$.detail".equals(rule.get("InputPath"))) {
            problems.add("The rule does not start the workflow with the event's detail (InputPath $.detail)");
        }
        if (!(rule.get("RetryPolicy") instanceof Map<?, ?>)) {
            problems.add("The rule has no RetryPolicy");
        }
        problems.addAll(deadLetterProblems(template, "The rule", rule));
        boolean sampleMatches = sampleEvent.path("detail-type").asText().equals("Cancel Resource Request")
                && sampleEvent.path("detail").has("RequestToken");
        if (!sampleMatches) {
            problems.add("The sample event in events/ does not match the rule's pattern");
        }
        return problems;
    }

    /**
     * A trigger's DeadLetterConfig names an encrypted queue of this template, and an alarm goes off as soon as a
     * message waits there: a dead letter nobody is told about is a trigger lost all the same.
     */
    static List<String> deadLetterProblems(SamTemplate template, String trigger, Map<String, Object> properties) {
        Object deadLetterArn = properties.get("DeadLetterConfig") instanceof Map<?, ?> dlq ? dlq.get("Arn") : null;
        if (!(deadLetterArn instanceof Map<?, ?> getAtt && getAtt.get("Fn::GetAtt") instanceof List<?> target)) {
            return List.of(trigger + " has no dead-letter queue of this template: undeliverable triggers would be lost");
        }
        String queueId = (String) target.get(0);
        Map<String, Object> queue = template.properties(queueId);
        if (!Boolean.TRUE.equals(queue.get("SqsManagedSseEnabled")) && !queue.containsKey("KmsMasterKeyId")) {
            return List.of("The dead-letter queue " + queueId + " is not encrypted");
        }
        List<Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm").stream()
                .map(template::properties).filter(alarm -> watchesQueue(alarm, queueId)).toList();
        if (alarms.isEmpty()) {
            return List.of("No alarm goes off when a message waits in the dead-letter queue " + queueId);
        }
        if (!alarms.stream().allMatch(WorkflowChecks::notifiesAlarmTopic)) {
            return List.of("The alarm on the dead-letter queue " + queueId + " does not notify AlarmTopicArn");
        }
        return List.of();
    }

    /** Above 0 messages visible in the queue, from the first one: the alarm a dead-letter queue needs. */
    private static boolean watchesQueue(Map<String, Object> alarm, String queueId) {
        return "AWS/SQS".equals(alarm.get("Namespace"))
                && "ApproximateNumberOfMessagesVisible".equals(alarm.get("MetricName"))
                && "GreaterThanThreshold".equals(alarm.get("ComparisonOperator"))
                && alarm.get("Threshold") instanceof Number threshold && threshold.doubleValue() == 0
                && SamTemplate.oneOrMany(alarm.getOrDefault("Dimensions", List.of())).stream()
                        .anyMatch(d -> d instanceof Map<?, ?> dimension && "QueueName".equals(dimension.get("Name"))
                                && dimension.get("Value") instanceof Map<?, ?> value
                                && List.of(queueId, "QueueName").equals(value.get("Fn::GetAtt")));
    }

    /** {@code !If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]}: the topic, when one is set. */
    private static boolean notifiesAlarmTopic(Map<String, Object> alarm) {
        return alarm.get("AlarmActions") instanceof Map<?, ?> actions
                && actions.get("Fn::If") instanceof List<?> branches
                && branches.size() == 3 && "HasAlarmTopic".equals(branches.get(0))
                && List.of(Map.of("Ref", "AlarmTopicArn")).equals(branches.get(1));
    }

    static Set<String> actions(List<Map<String, Object>> statements) {
        Set<String> actions = new TreeSet<>();
        statements.forEach(s -> SamTemplate.oneOrMany(s.get("Action")).forEach(a -> actions.add((String) a)));
        return actions;
    }

    private static Set<String> flatten(Collection<List<String>> lists) {
        Set<String> all = new LinkedHashSet<>();
        lists.forEach(all::addAll);
        return all;
    }

    /**
     * What the runtime interface client needs to make the handler: it calls {@code getConstructor()} and
     * {@code newInstance()} with no access override, so a missing public constructor or a class it cannot reach fails
     * every init of the function, after the deploy has succeeded. (An inner class that is not static has no
     * constructor without arguments: its constructors take the instance around it.)
     */
    private static boolean constructibleByTheRuntime(Class<?> handlerClass) {
        int modifiers = handlerClass.getModifiers();
        if (!Modifier.isPublic(modifiers) || Modifier.isAbstract(modifiers)) {
            return false;
        }
        try {
            handlerClass.getConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static Class<?> loadClass(String name) {
        try {
            return Class.forName(name, false, WorkflowChecks.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /** Asks an instance: retryable() is the function's own answer, and the classes take only simple arguments. */
    static boolean retryable(Class<?> error) {
        try {
            Constructor<?> constructor = error.getConstructors()[0];
            Object[] arguments = new Object[constructor.getParameterCount()];
            Class<?>[] types = constructor.getParameterTypes();
            for (int i = 0; i < arguments.length; i++) {
                arguments[i] = types[i] == String.class ? "GetResourceRequestStatus" : null;
            }
            return ((CancelResourceRequestException) constructor.newInstance(arguments)).retryable();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot instantiate " + error.getName() + " to ask retryable()", e);
        }
    }
}
