package io.cccancel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cccancel.CancelResourceRequestHandler;
import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.ManualClock;
import io.cccancel.testing.CommandLine;
import java.io.FileOutputStream;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * {@code ./dev run}: the whole job on this machine. Starts the Cloud Control emulator, starts a resource operation
 * in it, and runs the real workflow with the real function until the request is CANCEL_COMPLETE, printing each state
 * as it is entered and the final ProgressEvent. Exit 0 on CANCEL_COMPLETE, 1 with the outcome's name otherwise,
 * 2 on bad usage.
 */
public final class RunLocal {

    private static final String USAGE = """
            Usage: ./dev run [options]

            Runs the cancel-and-confirm workflow on this machine, no AWS account needed: starts the Cloud Control
            emulator, starts a resource operation in it, then runs statemachine/cancel-resource-request.asl.json
            (aws-local-stepfunctions) with the real function until the request is CANCEL_COMPLETE.

              --scenario NAME      how the emulator plays the request (default: happy), one of:
            %s
              --event FILE         the execution input (default: events/cancel-request.json); an EventBridge event
                                   is passed on as its detail, as the template's rule does (InputPath $.detail)
              --token TOKEN        the RequestToken to cancel (default: the event's)
              --poll-interval S    the PollIntervalSeconds template parameter, 1..600 (default: 2 here, 10 in the
                                   template)
              --max-polls N        the MaxPolls template parameter, 1..1000 (default: 360, as in the template)
              --fast               skip the waits: Wait states and retry intervals take no time, and the
                                   emulator's clock moves by what each Wait meant to wait
              --verbose            show the function's JSON logs and metrics (default: target/run-local/function.log)
              --help               this text

            Exit status: 0 when the request ends CANCEL_COMPLETE, 1 otherwise (the outcome is printed), 2 on bad usage.
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FUNCTION_LOG = Path.of("target", "run-local", "function.log");

    private Scenario scenario = Scenario.HAPPY;
    private Path event = Path.of("events", "cancel-request.json");
    /** The event file's content as the workflow receives it (an EventBridge event's detail), read once. */
    private JsonNode eventInput;
    private String token;
    private int pollIntervalSeconds = 2;
    private int maxPolls = LocalStack.Parameters.TEMPLATE_DEFAULTS.maxPolls();
    private boolean fast;
    private boolean verbose;
    private final PrintStream out = System.out;

    public static void main(String[] args) {
        RunLocal run = CommandLine.parseOrExit("./dev run", " (--help for usage)", () -> parseOptions(args));
        int status;
        try {
            status = run.run();
        } catch (IOException | RuntimeException e) {
            System.err.println("./dev run: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    /** The options, each checked before anything starts: the template's bounds for the two workflow settings. */
    public static RunLocal parseOptions(String[] args) {
        RunLocal run = new RunLocal();
        CommandLine line = new CommandLine(args);
        boolean maxPollsGiven = false;
        while (line.hasNext()) {
            String option = line.option();
            switch (option) {
                case "--scenario" -> run.scenario = Scenario.named(line.value(option));
                case "--event" -> run.event = Path.of(line.value(option));
                case "--token" -> run.token = line.value(option);
                case "--poll-interval" -> run.pollIntervalSeconds = line.wholeNumber(option, 1, 600);
                case "--max-polls" -> {
                    run.maxPolls = line.wholeNumber(option, 1, 1000);
                    maxPollsGiven = true;
                }
                case "--fast" -> run.fast = true;
                case "--verbose" -> run.verbose = true;
                case "--help", "-h" -> {
                    System.out.print(run.usage());
                    System.exit(0);
                }
                default -> throw CommandLine.unknown(option);
            }
        }
        if (!Files.isRegularFile(run.event)) {
            throw new IllegalArgumentException("--event: no file " + run.event);
        }
        try {
            JsonNode file = JSON.readTree(run.event.toFile());
            run.eventInput = file.has("detail") && file.has("detail-type") ? file.get("detail") : file;
        } catch (IOException e) {
            throw new IllegalArgumentException("--event: " + run.event + " is not JSON: " + e.getMessage());
        }
        // MaxPolls in the input, from the event or the scenario, wins over the parameter: say so, not ignore it.
        if (maxPollsGiven && run.eventInput.has("MaxPolls")) {
            throw new IllegalArgumentException("--max-polls: " + run.event + " sets MaxPolls itself ("
                    + run.eventInput.get("MaxPolls") + ")");
        }
        if (maxPollsGiven && run.scenario.maxPolls() != null) {
            throw new IllegalArgumentException("--max-polls: scenario " + run.scenario.cliName()
                    + " sets MaxPolls itself (" + run.scenario.maxPolls() + ")");
        }
        return run;
    }

    private int run() throws IOException {
        JsonNode input = workflowInput();
        String requestToken = input.path("RequestToken").asText(null);
        PrintStream functionOutput = redirectFunctionOutput();

        CloudControlEmulator cloudControl = CloudControlEmulator.start(fast ? ManualClock.startingNow() : Clock.systemUTC());
        configureFunctionEnvironment(cloudControl);
        try (LocalStack stack = LocalStack.start(cloudControl, new LocalStack.Parameters(pollIntervalSeconds, maxPolls),
                new CancelResourceRequestHandler())) {
            out.printf("Cloud Control emulator  %s (%s clock)%n", cloudControl.endpoint(),
                    fast ? "simulated" : "wall");
            out.printf("Scenario                %s: %s%n", scenario.cliName(), scenario.description());
            startRequest(stack, requestToken);
            out.printf("Cancel function         %s (in-process, %s)%n", stack.lambda().endpoint(),
                    CancelResourceRequestHandler.class.getName());
            out.printf("Workflow                %s, PollIntervalSeconds=%d, MaxPolls=%d, %s%n",
                    LocalStack.CANCEL_WORKFLOW, pollIntervalSeconds, maxPolls,
                    fast ? "waits skipped (--fast)" : "real waits");
            out.printf("Input                   %s (%s)%n%n", input, event);

            ExecutionRequest request = ExecutionRequest.of(input.toString()).skipWaits(fast)
                    .listener(fast ? printer().andThen(VirtualTime.of(cloudControl)) : printer())
                    .clock(fast ? cloudControl::now : null);
            ExecutionResult result = stack.workflow().run(request);
            return report(result, stack, requestToken);
        } finally {
            functionOutput.flush();
        }
    }

    /** The event file, as the workflow receives it: an EventBridge event's detail, with --token and MaxPolls. */
    private JsonNode workflowInput() {
        if (!(eventInput instanceof ObjectNode object)) {
            return eventInput;
        }
        ObjectNode copy = object.deepCopy();
        if (token != null) {
            copy.put("RequestToken", token);
        }
        if (scenario.maxPolls() != null && !copy.has("MaxPolls")) {
            copy.put("MaxPolls", scenario.maxPolls());
        }
        return copy;
    }

    private void startRequest(LocalStack stack, String requestToken) {
        if (scenario.lifecycle() == null) {
            out.printf("Request                 none started: %s is unknown to Cloud Control%n", requestToken);
            return;
        }
        try {
            stack.cloudControl().startRequest(scenario.seed(requestToken));
        } catch (RuntimeException e) {
            out.printf("Request                 none started (%s): the function decides what that means%n",
                    e.getMessage());
            return;
        }
        scenario.prepare(stack, requestToken);
        stack.cloudControl().clearCalls(); // count only the run's calls
        var started = stack.cloudControl().progressEvent(requestToken);
        out.printf("Request                 %s %s %s, RequestToken %s: %s%n", started.Operation(), started.TypeName(),
                started.Identifier(), requestToken, started.OperationStatus());
    }

    /** Prints each state as it is entered, what each Task returned, and each retry and catch. */
    private Consumer<ExecutionEvent> printer() {
        Deque<Instant> start = new ArrayDeque<>();
        return e -> {
            if (e.is("ExecutionStarted")) {
                start.push(e.timestamp());
            }
            String at = start.isEmpty() ? "" : String.format("%8s", String.format("+%.2fs",
                    (e.timestamp().toEpochMilli() - start.peek().toEpochMilli()) / 1000.0));
            switch (e.type()) {
                case "StateEntered" -> out.printf("  %s  %s%s%n", at, e.state(), waitDescription(e));
                case "StateExited" -> {
                    JsonNode progress = e.data().at("/Status/ProgressEvent");
                    if (e.raw().path("stateType").asText().equals("Task") && progress.isObject()) {
                        out.printf("  %s    -> %s%s%n", at, progress.path("OperationStatus").asText(),
                                progress.has("RetryAfter") ? ", RetryAfter " + progress.get("RetryAfter").asText()
                                        : ", no RetryAfter");
                    }
                }
                case "StateFailed" -> out.printf("  %s    failed: %s%n", at, e.error());
                case "StateRetried" -> out.printf("  %s    retried%n", at);
                case "StateCaught" -> out.printf("  %s    caught -> %s%n", at, e.raw().path("Next").asText());
                default -> {
                }
            }
        };
    }

    private static String waitDescription(ExecutionEvent e) {
        if (e.raw().has("waitUntil")) {
            return "  (until " + e.raw().get("waitUntil").asText() + ")";
        }
        if (e.raw().has("waitSeconds")) {
            return "  (" + e.raw().get("waitSeconds").asText() + " s)";
        }
        return "";
    }

    private int report(ExecutionResult result, LocalStack stack, String requestToken) throws IOException {
        out.println();
        JsonNode progressEvent = result.succeeded() ? result.output().path("ProgressEvent") : null;
        if (progressEvent != null) {
            out.println("Final ProgressEvent:");
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(progressEvent));
        } else {
            out.println("Execution failed: " + result.error());
            out.println("Cause: " + result.cause());
        }
        CloudControlEmulator cloudControl = stack.cloudControl();
        out.printf("%nCloud Control calls: %d CancelResourceRequest, %d GetResourceRequestStatus. Function invokes: %d."
                        + " State transitions: %d, in %.1f s.%n",
                cloudControl.callCount(ApiOperation.CancelResourceRequest),
                cloudControl.callCount(ApiOperation.GetResourceRequestStatus), stack.lambda().invocations().size(),
                result.stateTransitions(), result.duration().toMillis() / 1000.0);
        if (requestToken != null && cloudControl.requestTokens().contains(requestToken)) {
            out.printf("The emulator's ground truth: %s is %s.%n", requestToken,
                    cloudControl.operationStatus(requestToken));
        }
        if (!verbose) {
            out.printf("Function logs: %s%n", FUNCTION_LOG);
        }
        String outcome = progressEvent != null ? progressEvent.path("OperationStatus").asText() : result.error();
        boolean cancelled = "CANCEL_COMPLETE".equals(outcome);
        out.printf("%nOutcome: %s%s%n", outcome, outcome.equals(scenario.expectedOutcome())
                ? " (as scenario " + scenario.cliName() + " expects)"
                : " (scenario " + scenario.cliName() + " expects " + scenario.expectedOutcome() + ")");
        return cancelled ? 0 : 1;
    }

    /** The function writes JSON logs and EMF metrics to stdout, as in Lambda: keep them apart unless --verbose. */
    private PrintStream redirectFunctionOutput() throws IOException {
        if (verbose) {
            return out;
        }
        Files.createDirectories(FUNCTION_LOG.getParent());
        PrintStream log = new PrintStream(new FileOutputStream(FUNCTION_LOG.toFile()), true, StandardCharsets.UTF_8);
        System.setOut(log);
        return log;
    }

    /**
     * What Lambda gives the function, as the SDK reads it: region, endpoint override and (dummy) credentials, as
     * system properties so they win over anything in the environment: nothing here may reach a real AWS account.
     */
    private static void configureFunctionEnvironment(CloudControlEmulator cloudControl) {
        System.setProperty("aws.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        System.setProperty("aws.endpointUrlCloudControl", cloudControl.endpoint().toString());
        System.setProperty("aws.accessKeyId", "AKIDLOCALRUN");
        System.setProperty("aws.secretAccessKey", "local-run-secret");
        if (System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            // Outside Lambda, EMF would probe for EC2/ECS and an agent: print the metrics instead (AWS_EMF_ENVIRONMENT=Local).
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
    }

    private static String usage() {
        StringBuilder scenarios = new StringBuilder();
        for (Scenario s : Scenario.values()) {
            scenarios.append(String.format("                       %-24s %s%n", s.cliName(), s.description()));
        }
        return USAGE.formatted(scenarios.toString().stripTrailing());
    }

}
