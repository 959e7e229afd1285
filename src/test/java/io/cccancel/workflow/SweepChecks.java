package io.cccancel.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.cccancel.sweep.SweepHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The sweep's consistency checks, beside {@link WorkflowChecks} (which already covers every definition's
 * substitutions, error names and function retries): least privilege for the sweep's function and workflow, the
 * nested executions it starts, its settings' bounds, and its two triggers. Each returns readable problems, none
 * when all is well.
 */
final class SweepChecks {

    static final String SWEEP_FUNCTION = "SweepFunction";
    static final String SWEEP_STATE_MACHINE = "SweepStateMachine";

    /** The sweep's outcomes, besides SweepComplete: what a caller matches on. */
    static final Set<String> SWEEP_OUTCOMES = Set.of("SweepStaleResourceRequests.InvalidInput",
            "SweepStaleResourceRequests.Error");

    static final Set<String> SWEEP_FUNCTION_ROLE_ACTIONS = Set.of("cloudformation:ListResourceRequests",
            "logs:CreateLogStream", "logs:PutLogEvents");

    /** The input fields a sweep reads, as the listing step names them; anything else in an event's detail is refused. */
    static final Set<String> SWEEP_INPUT_FIELDS = Set.copyOf(SweepHandler.INPUT_FIELDS);

    private static final Map<String, Object> CANCEL_STATE_MACHINE = Map.of("Ref", WorkflowChecks.CANCEL_STATE_MACHINE);

    private SweepChecks() {
    }

    /**
     * The sweep's function only lists; the sweep's workflow invokes only that function's alias, starts only the
     * cancel workflow (plus what .sync needs: its executions, the managed rule) and publishes only to the bus. It
     * never cancels by itself.
     */
    static List<String> iamProblems(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        String functionRole = template.roleOf(SWEEP_FUNCTION);
        Set<String> functionActions = WorkflowChecks.actions(template.allowStatements(functionRole));
        if (!functionActions.equals(SWEEP_FUNCTION_ROLE_ACTIONS)) {
            problems.add(functionRole + " grants " + functionActions + ", not exactly "
                    + new TreeSet<>(SWEEP_FUNCTION_ROLE_ACTIONS));
        }

        String workflowRole = template.roleOf(SWEEP_STATE_MACHINE);
        Set<String> granted = new TreeSet<>();
        for (Map<String, Object> statement : template.allowStatements(workflowRole)) {
            List<Object> resources = SamTemplate.oneOrMany(statement.get("Resource"));
            for (Object action : SamTemplate.oneOrMany(statement.get("Action"))) {
                granted.add((String) action);
                String problem = workflowGrantProblem((String) action, resources);
                if (problem != null) {
                    problems.add(workflowRole + " " + problem);
                }
            }
        }
        for (String needed : List.of("lambda:InvokeFunction", "states:StartExecution", "states:DescribeExecution",
                "states:StopExecution", "events:PutTargets", "events:PutRule", "events:DescribeRule", "events:PutEvents")) {
            if (!granted.contains(needed)) {
                problems.add(workflowRole + " does not grant " + needed + ", which the sweep needs");
            }
        }
        problems.addAll(busNameProblems(template));
        return problems;
    }

    /**
     * The permission to publish is built from EventBusName (event-bus/${EventBusName}), so the parameter must take
     * a bus's name only. EventBridge takes an ARN there too: given one, the rules would work and every publish would
     * be denied, after the page's requests were cancelled.
     */
    private static List<String> busNameProblems(SamTemplate template) {
        Map<String, Object> parameter = SamTemplate.map(template.parameters().get("EventBusName"));
        if (!(parameter.get("AllowedPattern") instanceof String regex)) {
            return List.of("EventBusName has no AllowedPattern: an ARN given there would make every publish denied");
        }
        Pattern pattern = Pattern.compile(regex);
        List<String> problems = new ArrayList<>();
        for (String name : List.of("default", "my-bus", "aws.partner/example.com/123/bus")) {
            if (!pattern.matcher(name).matches()) {
                problems.add("EventBusName's AllowedPattern refuses the bus name " + name);
            }
        }
        String arn = "arn:aws:events:us-east-1:123456789012:event-bus/my-bus";
        if (pattern.matcher(arn).matches()) {
            problems.add("EventBusName's AllowedPattern takes an ARN (" + arn + "), which would make every publish denied");
        }
        return problems;
    }

    private static String workflowGrantProblem(String action, List<Object> resources) {
        return switch (action) {
            case "lambda:InvokeFunction" -> resources.equals(List.of(Map.of("Ref", SWEEP_FUNCTION + ".Alias"))) ? null
                    : "may invoke " + resources + ": only the sweep function's alias";
            case "states:StartExecution" -> resources.equals(List.of(CANCEL_STATE_MACHINE)) ? null
                    : "may start " + resources + ": only the cancel-and-confirm workflow";
            case "states:DescribeExecution", "states:StopExecution" ->
                    onlySub(resources, ":execution:${" + WorkflowChecks.CANCEL_STATE_MACHINE + ".Name}:*") ? null
                            : "may " + action + " on " + resources + ": only the cancel workflow's executions";
            case "events:PutTargets", "events:PutRule", "events:DescribeRule" ->
                    onlySub(resources, ":rule/StepFunctionsGetEventsForStepFunctionsExecutionRule") ? null
                            : "may " + action + " on " + resources + ": only Step Functions' managed rule for .sync";
            case "events:PutEvents" -> onlySub(resources, ":event-bus/${EventBusName}") ? null
                    : "may publish to " + resources + ": only the EventBusName bus";
            default -> WorkflowChecks.LOG_DELIVERY_AND_TRACING_ACTIONS.contains(action) ? null
                    : "grants " + action + ", which the sweep does not need (it cancels only through the cancel workflow)";
        };
    }

    /** One {@code !Sub} ARN ending with {@code suffix}. */
    private static boolean onlySub(List<Object> resources, String suffix) {
        return resources.size() == 1 && resources.get(0) instanceof Map<?, ?> sub
                && sub.get("Fn::Sub") instanceof String arn && arn.startsWith("arn:${AWS::Partition}:")
                && arn.endsWith(suffix);
    }

    /** Every nested execution the sweep starts is the cancel workflow of this template, waited for (.sync:2). */
    static List<String> nestedExecutionProblems(SamTemplate template, AslDefinition sweep) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> substitutions = template.definitionSubstitutions(SWEEP_STATE_MACHINE);
        int starts = 0;
        for (String state : sweep.statesOfType("Task")) {
            JsonNode task = sweep.states().get(state);
            String resource = task.path("Resource").asText();
            if (!resource.startsWith("arn:aws:states:::states:startExecution")) {
                continue;
            }
            starts++;
            if (!resource.equals("arn:aws:states:::states:startExecution.sync:2")) {
                problems.add(state + " uses " + resource + ": only .sync:2 waits for the cancel and gives its Output as JSON");
            }
            var placeholder = AslDefinition.PLACEHOLDER.matcher(task.path("Parameters").path("StateMachineArn").asText());
            Object target = placeholder.matches() ? substitutions.get(placeholder.group(1)) : null;
            if (!CANCEL_STATE_MACHINE.equals(target)) {
                problems.add(state + " starts " + target + ", not the cancel-and-confirm workflow");
            }
            if (!task.path("Parameters").path("Input").has("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$")) {
                problems.add(state + " does not pass AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: the console could "
                        + "not link a cancel to its sweep");
            }
        }
        if (starts == 0) {
            problems.add("The sweep starts no cancel-and-confirm execution");
        }
        return problems;
    }

    /** The most iterations an inline Map runs at once (Step Functions, "Using Map state in Inline mode"). */
    static final double INLINE_MAP_MAX_CONCURRENCY = 40;

    /**
     * The template's bounds for SweepMaxConcurrency are the ones the definition validates a run's MaxConcurrency
     * against, no higher than an inline Map can run, and both settings reach the definition through
     * DefinitionSubstitutions.
     */
    static List<String> settingProblems(SamTemplate template, AslDefinition sweep) {
        List<String> problems = new ArrayList<>();
        WorkflowChecks.WholeNumbers range = WorkflowChecks.rangeAgreeing("SweepMaxConcurrency",
                SamTemplate.map(template.parameters().get("SweepMaxConcurrency")), sweep, "$.Sweep.MaxConcurrency",
                problems);
        WorkflowChecks.WholeNumbers.of("SweepMaxPages", SamTemplate.map(template.parameters().get("SweepMaxPages")),
                problems);
        if (range != null && range.max() > INLINE_MAP_MAX_CONCURRENCY) {
            problems.add("SweepMaxConcurrency: the template allows up to " + (double) range.max()
                    + ", but an inline Map runs at most " + INLINE_MAP_MAX_CONCURRENCY + " iterations at once");
        }
        Map<String, Object> substitutions = template.definitionSubstitutions(SWEEP_STATE_MACHINE);
        if (!Map.of("Ref", "SweepMaxConcurrency").equals(substitutions.get("DefaultMaxConcurrency"))) {
            problems.add("DefinitionSubstitutions DefaultMaxConcurrency is not !Ref SweepMaxConcurrency");
        }
        if (!Map.of("Ref", "SweepMaxPages").equals(substitutions.get("MaxPagesPerSweep"))) {
            problems.add("DefinitionSubstitutions MaxPagesPerSweep is not !Ref SweepMaxPages");
        }
        return problems;
    }

    /**
     * Two triggers, each retrying and keeping what it cannot deliver in an encrypted dead-letter queue whose policy
     * lets its rule write: an on-demand rule on "Sweep Stale Resource Requests" that hands the sweep the event's
     * detail (the sample event in events/ matches it), and a schedule that is enabled only when SweepSchedule is set.
     */
    static List<String> triggerProblems(SamTemplate template, JsonNode sampleEvent) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> events = SamTemplate.map(template.properties(SWEEP_STATE_MACHINE).getOrDefault("Events", Map.of()));
        Map<String, Map<String, Object>> onDemand = eventsOfType(events, "EventBridgeRule");
        Map<String, Map<String, Object>> scheduled = eventsOfType(events, "Schedule");
        if (onDemand.size() != 1 || scheduled.size() != 1) {
            return List.of(SWEEP_STATE_MACHINE + " needs one EventBridgeRule and one Schedule event, has " + events.keySet());
        }
        String onDemandId = onDemand.keySet().iterator().next();
        Map<String, Object> rule = onDemand.get(onDemandId);
        if (!Map.of("detail-type", List.of("Sweep Stale Resource Requests")).equals(rule.get("Pattern"))) {
            problems.add("The on-demand rule's pattern is not detail-type \"Sweep Stale Resource Requests\": " + rule.get("Pattern"));
        }
        if (!"$.detail".equals(rule.get("InputPath"))) {
            problems.add("The on-demand rule does not start the sweep with the event's detail (InputPath $.detail)");
        }
        String scheduleId = scheduled.keySet().iterator().next();
        Map<String, Object> schedule = scheduled.get(scheduleId);
        if (!Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "SweepSchedule"), ""))))
                .equals(template.conditions().get("HasSweepSchedule"))) {
            problems.add("Condition HasSweepSchedule is not \"SweepSchedule is not empty\"");
        }
        if (!(schedule.get("State") instanceof Map<?, ?> state
                && List.of("HasSweepSchedule", "ENABLED", "DISABLED").equals(state.get("Fn::If")))) {
            problems.add("The schedule is not ENABLED exactly when HasSweepSchedule: " + schedule.get("State"));
        }
        if (!(schedule.get("Schedule") instanceof Map<?, ?> expression && expression.get("Fn::If") instanceof List<?> choice
                && choice.get(0).equals("HasSweepSchedule") && Map.of("Ref", "SweepSchedule").equals(choice.get(1)))) {
            problems.add("The schedule does not run on the SweepSchedule parameter: " + schedule.get("Schedule"));
        }
        if (!Map.of("Ref", "SweepScheduleInput").equals(schedule.get("Input"))) {
            problems.add("The schedule does not start the sweep with SweepScheduleInput");
        }
        for (var trigger : Map.of(onDemandId, rule, scheduleId, schedule).entrySet()) {
            if (!(trigger.getValue().get("RetryPolicy") instanceof Map<?, ?>)) {
                problems.add(trigger.getKey() + " has no RetryPolicy");
            }
            List<String> deadLetter = WorkflowChecks.deadLetterProblems(template, trigger.getKey(), trigger.getValue());
            problems.addAll(deadLetter);
            if (deadLetter.isEmpty() && !queuePolicyAllows(template, trigger.getValue(), SWEEP_STATE_MACHINE + trigger.getKey())) {
                problems.add("No queue policy lets " + trigger.getKey() + " write to its dead-letter queue");
            }
        }
        boolean sampleMatches = sampleEvent.path("detail-type").asText().equals("Sweep Stale Resource Requests")
                && sampleEvent.path("detail").isObject();
        sampleEvent.path("detail").fieldNames().forEachRemaining(field -> {
            if (!SWEEP_INPUT_FIELDS.contains(field)) {
                problems.add("The sample event's detail has " + field + ", which the sweep does not read");
            }
        });
        if (!sampleMatches) {
            problems.add("The sample event in events/ does not match the on-demand rule's pattern");
        }
        return problems;
    }

    private static Map<String, Map<String, Object>> eventsOfType(Map<String, Object> events, String type) {
        Map<String, Map<String, Object>> matching = new java.util.LinkedHashMap<>();
        events.forEach((id, event) -> {
            if (type.equals(SamTemplate.map(event).get("Type"))) {
                matching.put(id, SamTemplate.map(SamTemplate.map(event).get("Properties")));
            }
        });
        return matching;
    }

    /** Some queue policy on the trigger's dead-letter queue allows SendMessage from the rule SAM generates. */
    private static boolean queuePolicyAllows(SamTemplate template, Map<String, Object> trigger, String ruleId) {
        Object queue = ((List<?>) SamTemplate.map(SamTemplate.map(trigger.get("DeadLetterConfig")).get("Arn"))
                .get("Fn::GetAtt")).get(0);
        Map<String, Object> ruleArn = Map.of("Fn::GetAtt", List.of(ruleId, "Arn"));
        for (String policy : template.resourcesOfType("AWS::SQS::QueuePolicy")) {
            Map<String, Object> properties = template.properties(policy);
            if (!SamTemplate.oneOrMany(properties.get("Queues")).contains(Map.of("Ref", queue))) {
                continue;
            }
            for (Object statement : SamTemplate.list(SamTemplate.map(properties.get("PolicyDocument")).get("Statement"))) {
                Object condition = SamTemplate.map(statement).get("Condition");
                Object arnEquals = condition instanceof Map<?, ?> c ? c.get("ArnEquals") : null;
                Object sources = arnEquals instanceof Map<?, ?> a ? a.get("aws:SourceArn") : null;
                if (sources != null && SamTemplate.oneOrMany(sources).contains(ruleArn)) {
                    return true;
                }
            }
        }
        return false;
    }
}
