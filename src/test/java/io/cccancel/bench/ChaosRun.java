package io.cccancel.bench;

import io.cccancel.bench.ChaosOracle.Truth;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.local.ExecutionRequest;
import io.cccancel.local.ExecutionResult;
import io.cccancel.local.LocalStack;
import io.cccancel.testing.CommandLine;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * {@code ./dev bench chaos}: hundreds of executions of the real workflow and function on the emulator, each with
 * its own seeded fault plan, each checked against the outcome the emulator's ground truth calls for; then the
 * polling cost of known cancels ({@link PollingCost}). Exit 1 on any mismatch, 2 on bad usage.
 */
public final class ChaosRun {

    private static final String USAGE = """
            Usage: ./dev bench chaos [options]

            Runs hundreds of executions of statemachine/cancel-resource-request.asl.json with the real function on
            the Cloud Control emulator, each with a seeded random plan (the request's lifecycle, throttling bursts,
            5xx, dropped connections, lost answers, Lambda throttling, lost races, slow cancels, failed operations,
            finished and unknown requests), and checks each outcome against the emulator's ground truth.
            Then measures the polling cost of cancels that take a known time.

              --executions N     executions in the chaos run (default 300)
              --seed S           the seed every plan is drawn from (default 1)
              --concurrency C    executions running at once (default 32)
              --list             print every execution's plan, expected and reported outcome
              --definition FILE  the cancel workflow to run (default statemachine/cancel-resource-request.asl.json),
                                 e.g. an earlier version, to compare
              --polling-cost     only the polling-cost measurement
              --no-polling-cost  only the chaos run
              --help             this text

            Exit status: 0 when every execution ended as the ground truth calls for, 1 on any mismatch, 2 on bad usage.
            """;

    /** Retry intervals of both Task states in the chaos run: the counts are the definition's, the waits are not. */
    static final long RETRY_INTERVAL_MS = 20;
    /** The executions' PollIntervalSeconds input (the template's default is 10 s). */
    static final int POLL_INTERVAL_SECONDS = 1;
    private static final Path FUNCTION_LOG = Path.of("target", "bench-chaos", "function.log");

    int executions = 300;
    long seed = 1;
    int concurrency = 32;
    boolean list;
    Path definition = LocalStack.CANCEL_WORKFLOW;
    boolean chaos = true;
    boolean pollingCost = true;

    /**
     * One execution as it ended, with the ground truth of its token.
     *
     * @param result  null when the execution could not run ({@code failure} says why)
     * @param atEnd   the token's ground truth when its executions had ended
     * @param settled the token's ground truth once every request of the run had settled
     */
    record Ended(ChaosPlan plan, ExecutionResult result, Throwable failure, Truth atEnd, Truth settled) {
        Ended settled(Truth truth) {
            return new Ended(plan, result, failure, atEnd, truth);
        }
    }

    public static void main(String[] args) {
        ChaosRun run = CommandLine.parseOrExit("./dev bench chaos", " (--help for usage)", () -> parseOptions(args));
        int status;
        try {
            status = run.run();
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    private int run() throws IOException {
        PrintStream out = System.out;
        redirectFunctionOutput();
        boolean clean = true;
        LocalStack.Parameters deployed = LocalStack.Parameters.TEMPLATE_DEFAULTS;
        try (ChaosStack stack = new ChaosStack(definition, deployed.pollIntervalSeconds(), deployed.maxPolls())) {
            if (chaos) {
                long started = System.nanoTime();
                ChaosBudgets budgets = ChaosBudgets.of(definition);
                List<ChaosPlan> plans = new ChaosPlanner(seed, budgets).plans(executions);
                List<Ended> ended = runAll(stack, plans);
                ChaosReport report = new ChaosReport(this, stack, ended, (System.nanoTime() - started) / 1e9);
                report.print(out);
                clean = report.mismatches().isEmpty();
            }
            if (pollingCost) {
                new PollingCost(stack).run().print(out);
            }
        }
        out.printf("%nFunction logs and metrics: %s%n", FUNCTION_LOG);
        return clean ? 0 : 1;
    }

    /** Runs every plan, at most {@code concurrency} executions at once; returns them in plan order. */
    private List<Ended> runAll(ChaosStack stack, List<ChaosPlan> plans) {
        Semaphore running = new Semaphore(concurrency);
        List<CompletableFuture<List<Ended>>> all = new ArrayList<>();
        try (CloudControlClient direct = stack.cloudControl.newClientWithoutRetries()) {
            for (ChaosPlan plan : plans) {
                int permits = Math.min(concurrency, plan.chaosCase().executions());
                running.acquireUninterruptibly(permits);
                prepare(stack, direct, plan);
                List<CompletableFuture<ExecutionResult>> runs = new ArrayList<>();
                for (int i = 0; i < plan.chaosCase().executions(); i++) {
                    runs.add(stack.workflow.start(request(plan)));
                }
                all.add(CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
                        .handle((done, failure) -> {
                            running.release(permits);
                            Truth truth = truth(stack, plan);
                            return runs.stream().map(r -> r.isCompletedExceptionally()
                                    ? new Ended(plan, null, r.exceptionNow(), truth, null)
                                    : new Ended(plan, r.resultNow(), null, truth, null)).toList();
                        }));
            }
            List<Ended> ended = all.stream().flatMap(f -> f.join().stream()).toList();
            sleep(plans.stream().map(ChaosRun::settlesWithin).max(Duration::compareTo).orElse(Duration.ZERO));
            return ended.stream().map(e -> e.settled(truth(stack, e.plan()))).toList();
        }
    }

    /**
     * How long after its execution ended a request may still change: a cancel accepted just before completes
     * that much later; a run-out race ends by its outcome. Requests stuck for good never change.
     */
    private static Duration settlesWithin(ChaosPlan plan) {
        Lifecycle lifecycle = plan.lifecycle();
        if (lifecycle == null) {
            return Duration.ZERO;
        }
        Duration outcome = lifecycle.pending().plus(lifecycle.inProgress());
        Duration cancel = lifecycle.cancelDuration() == null || lifecycle.cancelLosesRace() ? Duration.ZERO
                : lifecycle.cancelDuration();
        return outcome.compareTo(ChaosCase.HOUR) >= 0 ? cancel : outcome.compareTo(cancel) > 0 ? outcome : cancel;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request as the plan has it, in the emulator, before its execution starts. */
    private static void prepare(ChaosStack stack, CloudControlClient direct, ChaosPlan plan) {
        if (plan.lifecycle() != null) {
            stack.cloudControl.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "chaos-bucket-" + plan.number())
                    .withLifecycle(plan.lifecycle()).withRequestToken(plan.requestToken()));
        }
        if (plan.chaosCase() == ChaosCase.ALREADY_CANCELLED) {
            direct.cancelResourceRequest(r -> r.requestToken(plan.requestToken()));
        }
        stack.scripts.add(plan);
    }

    private static ExecutionRequest request(ChaosPlan plan) {
        String input = "{\"RequestToken\": \"" + plan.requestToken() + "\", \"PollIntervalSeconds\": "
                + POLL_INTERVAL_SECONDS + (plan.maxPolls() == null ? "" : ", \"MaxPolls\": " + plan.maxPolls()) + "}";
        return ExecutionRequest.of(input)
                .retryInterval("CancelResourceRequest", RETRY_INTERVAL_MS)
                .retryInterval("GetResourceRequestStatus", RETRY_INTERVAL_MS);
    }

    private static Truth truth(ChaosStack stack, ChaosPlan plan) {
        if (plan.lifecycle() == null) {
            return new Truth(false, null, 0);
        }
        return new Truth(true, stack.cloudControl.operationStatus(plan.requestToken()),
                stack.cloudControl.acceptedCancels(plan.requestToken()));
    }

    /** The function prints JSON logs and EMF metrics, as in Lambda: they go to a file, the figures to the screen. */
    private static void redirectFunctionOutput() throws IOException {
        Files.createDirectories(FUNCTION_LOG.getParent());
        System.setOut(new PrintStream(new FileOutputStream(FUNCTION_LOG.toFile()), true, StandardCharsets.UTF_8));
    }

    /** The options, each checked before anything starts. */
    public static ChaosRun parseOptions(String[] args) {
        ChaosRun run = new ChaosRun();
        run.parse(args);
        return run;
    }

    private void parse(String[] args) {
        CommandLine line = new CommandLine(args);
        while (line.hasNext()) {
            String arg = line.option();
            switch (arg) {
                case "--executions" -> executions = line.wholeNumber(arg, 1, 100_000);
                case "--seed" -> seed = line.wholeLong(arg, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--concurrency" -> concurrency = line.wholeNumber(arg, 1, 1_000);
                case "--list" -> list = true;
                case "--definition" -> definition = Path.of(line.value(arg));
                case "--polling-cost" -> chaos = false;
                case "--no-polling-cost" -> pollingCost = false;
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw CommandLine.unknown(arg);
            }
        }
        if (!Files.isRegularFile(definition)) {
            throw new IllegalArgumentException("no definition file " + definition);
        }
        if (!chaos && !pollingCost) {
            throw new IllegalArgumentException("--polling-cost and --no-polling-cost leave nothing to run");
        }
    }
}
