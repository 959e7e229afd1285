package io.cccancel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Fault;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.RetryAfterPolicy;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.local.ExecutionRequest;
import io.cccancel.local.ExecutionResult;
import io.cccancel.local.ExecutionResult.ChildExecution;
import io.cccancel.local.LocalStack;
import io.cccancel.sweep.StaleRequestLister;
import io.cccancel.testing.CommandLine;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;

/**
 * {@code ./dev bench sweep [options]}: the real sweep workflow, its nested cancel-and-confirm executions and both
 * functions against an emulator holding thousands of in-flight requests and enforcing a request-rate limit (a token
 * bucket on real time; beyond it every call is answered ThrottlingException). Nothing is skipped or scaled: every
 * Wait waits until its RetryAfter, every retry waits its definition's interval with its jitter. Prints the time
 * taken against the floor the rate limit sets, the throttles absorbed and the API calls per request, and checks the
 * emulator's ground truth: every request cancelled exactly once and CANCEL_COMPLETE. A command, not a test: it
 * exits 1 when the ground truth is not met.
 */
public final class SweepScaleRun {

    private static final String USAGE = """
            Usage: ./dev bench sweep [options]
              --requests N             in-flight requests in the emulator (default 2000)
              --rate R                 the emulator's request-rate limit, calls per second (default 50)
              --burst B                calls the rate limit lets through at once (default 50: one second's worth)
              --cancel-seconds T       a cancel's duration until CANCEL_COMPLETE (default 1)
              --retry-after-seconds H  the RetryAfter hint on every in-flight event (default 1)
              --max-concurrency M      the sweep's MaxConcurrency (default: the template's)
            """;
    private static final Path FUNCTION_LOG = Path.of("target", "bench", "sweep-functions.log");

    public record Options(int requests, double rate, int burst, int cancelSeconds, int retryAfterSeconds,
                          int maxConcurrency) {
        public static Options parse(String[] args) {
            int requests = 2000;
            double rate = 50;
            int burst = 50;
            int cancelSeconds = 1;
            int retryAfterSeconds = 1;
            int maxConcurrency = LocalStack.SweepParameters.TEMPLATE_DEFAULTS.maxConcurrency();
            CommandLine line = new CommandLine(args);
            while (line.hasNext()) {
                String option = line.option();
                switch (option) {
                    case "--requests" -> requests = line.wholeNumber(option, 1, 100_000);
                    case "--rate" -> rate = line.numberAbove(option, 0, 10_000);
                    case "--burst" -> burst = line.wholeNumber(option, 1, 10_000);
                    case "--cancel-seconds" -> cancelSeconds = line.wholeNumber(option, 0, 3_600);
                    case "--retry-after-seconds" -> retryAfterSeconds = line.wholeNumber(option, 1, 600);
                    // The sweep's own bounds: outside them it would only fail its input check after the seeding.
                    case "--max-concurrency" -> maxConcurrency = line.wholeNumber(option, 1, 40);
                    default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
                }
            }
            return new Options(requests, rate, burst, cancelSeconds, retryAfterSeconds, maxConcurrency);
        }

        /** Status reads a request needs: one per RetryAfter hint until the cancel is complete, at least one. */
        int readsPerRequest() {
            return Math.max(1, (cancelSeconds + retryAfterSeconds - 1) / retryAfterSeconds);
        }

        int pages() {
            return Math.max(1, (requests + StaleRequestLister.MAX_PAGE_SIZE - 1) / StaleRequestLister.MAX_PAGE_SIZE);
        }

        /** The calls no sweep can avoid: one list call per page, one cancel per request, its status reads. */
        long floorCalls() {
            return pages() + (long) requests * (1 + readsPerRequest());
        }
    }

    public static void main(String[] args) throws IOException {
        Options options = CommandLine.parseOrExit("./dev bench sweep", "", () -> Options.parse(args));
        PrintStream out = System.out;
        int exitCode;
        try {
            exitCode = run(options, out);
        } catch (RuntimeException e) {
            e.printStackTrace();
            exitCode = 2;
        }
        System.exit(exitCode); // the emulator's and the local endpoint's server threads would keep the JVM up
    }

    static int run(Options options, PrintStream out) throws IOException {
        configureFunctionEnvironment();
        Lifecycle stuck = Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofDays(1))
                .withCancelTaking(Duration.ofSeconds(options.cancelSeconds()))
                .withRetryAfter(RetryAfterPolicy.always(Duration.ofSeconds(options.retryAfterSeconds())));
        CloudControlEmulator cloudControl = CloudControlEmulator.start(Clock.tickMillis(ZoneOffset.UTC)); // the API's precision
        List<String> tokens = cloudControl.seedRequests(options.requests(),
                SeedRequest.of("DELETE", "AWS::S3::Bucket", "stale-bucket").withLifecycle(stuck)
                        .startedAt(cloudControl.now().minus(Duration.ofHours(2))));
        cloudControl.rateLimit(options.rate(), options.burst());
        LocalStack.SweepParameters sweepParameters = LocalStack.SweepParameters.TEMPLATE_DEFAULTS
                .withMaxConcurrency(options.maxConcurrency())
                .withMaxPagesPerSweep(Math.max(options.pages(), LocalStack.SweepParameters.TEMPLATE_DEFAULTS.maxPagesPerSweep()));

        out.printf(Locale.ROOT, "Sweep scale run: %d in-flight requests; the emulator allows %.0f calls/s (burst %d) and "
                        + "answers ThrottlingException beyond.%n", options.requests(), options.rate(), options.burst());
        out.printf(Locale.ROOT, "A cancel takes %d s to CANCEL_COMPLETE; every in-flight event says RetryAfter = now + %d s."
                + "%n", options.cancelSeconds(), options.retryAfterSeconds());
        out.printf(Locale.ROOT, "Sweep: MaxConcurrency %d, MaxPagesPerSweep %d; cancel workflow: the template's defaults. "
                        + "Waits: none overridden or scaled (real RetryAfter waits, real retry intervals with jitter).%n",
                sweepParameters.maxConcurrency(), sweepParameters.maxPagesPerSweep());
        out.printf("Function logs: %s. Running on %d cores, load average %s...%n", FUNCTION_LOG,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        PrintStream functionLog = redirectFunctionOutput();
        LocalStack started;
        try {
            started = LocalStack.startSweep(cloudControl, LocalStack.Parameters.TEMPLATE_DEFAULTS, sweepParameters);
        } catch (RuntimeException e) {
            cloudControl.close();
            System.setOut(out);
            throw e;
        }
        try (LocalStack stack = started) {
            ExecutionResult sweep = stack.workflow().run(ExecutionRequest.of("{}"));
            System.setOut(out);
            functionLog.close();
            return report(options, out, cloudControl, stack, sweep, tokens);
        } finally {
            System.setOut(out);
        }
    }

    private static int report(Options options, PrintStream out, CloudControlEmulator cloudControl, LocalStack stack,
                              ExecutionResult sweep, List<String> tokens) {
        out.printf("Load average at the end: %s (other processes on this machine slow the run down)%n", loadAverage());
        out.println();
        out.printf("Sweep: %s%s%n", sweep.status(), sweep.error() == null ? "" : " " + sweep.error() + ": " + sweep.cause());
        if (sweep.succeeded()) {
            out.printf("  output %s%n", sweep.output());
        }

        int exactlyOnce = 0;
        int missed = 0;
        int twice = 0;
        int complete = 0;
        for (String token : tokens) {
            int accepted = cloudControl.acceptedCancels(token);
            exactlyOnce += accepted == 1 ? 1 : 0;
            missed += accepted == 0 ? 1 : 0;
            twice += accepted > 1 ? 1 : 0;
            complete += "CANCEL_COMPLETE".equals(cloudControl.operationStatus(token)) ? 1 : 0;
        }
        List<ChildExecution> children = sweep.childExecutions();
        long confirmed = children.stream().filter(c -> c.status().equals("SUCCEEDED")).count();
        out.println();
        out.println("Ground truth (the emulator):");
        out.printf("  cancelled exactly once   %d / %d%n", exactlyOnce, tokens.size());
        out.printf("  CANCEL_COMPLETE          %d / %d (confirmed by their cancel workflow: %d)%n", complete,
                tokens.size(), confirmed);
        out.printf("  missed                   %d%n", missed);
        out.printf("  cancelled twice or more  %d%n", twice);

        List<CallRecord> calls = cloudControl.calls();
        Map<String, long[]> byOperation = new TreeMap<>();
        long throttled = 0;
        for (CallRecord call : calls) {
            boolean isThrottle = call.fault() instanceof Fault.Error error && error.type().equals("ThrottlingException");
            throttled += isThrottle ? 1 : 0;
            long[] counts = byOperation.computeIfAbsent(call.operation(), k -> new long[2]);
            counts[isThrottle ? 1 : 0]++;
        }
        long answered = calls.size() - throttled;
        double seconds = sweep.duration().toMillis() / 1000.0;
        double floor = options.floorCalls() / options.rate();
        out.println();
        out.println("Time:");
        out.printf(Locale.ROOT, "  sweep execution          %.1f s%n", seconds);
        out.printf(Locale.ROOT, "  floor                    %.1f s = %d unavoidable calls (%d list + %d cancel + %d status) "
                        + "/ %.0f calls/s%n", floor, options.floorCalls(), options.pages(), options.requests(),
                (long) options.requests() * options.readsPerRequest(), options.rate());
        out.printf(Locale.ROOT, "  time / floor             %.2fx (goal: within 1.25x)%n", seconds / floor);
        out.println();
        out.println("API calls (answered + throttled):");
        byOperation.forEach((operation, counts) -> out.printf(Locale.ROOT, "  %-26s %6d + %d%n", operation,
                counts[0], counts[1]));
        out.printf(Locale.ROOT, "  throttles absorbed       %d (%.1f%% of %d calls)%n", throttled,
                100.0 * throttled / Math.max(1, calls.size()), calls.size());
        out.printf(Locale.ROOT, "  calls per request        %.2f answered (floor %.2f), %.2f with throttled ones%n",
                answered / (double) tokens.size(), options.floorCalls() / (double) tokens.size(),
                calls.size() / (double) tokens.size());
        out.printf(Locale.ROOT, "  achieved rate            %.1f answered calls/s over the sweep%n", answered / seconds);

        printPages(out, sweep, options);

        out.println();
        out.println("Step Functions:");
        out.printf(Locale.ROOT, "  sweep state transitions  %d (%d pages)%n", sweep.stateTransitions(),
                sweep.output() == null ? 0 : sweep.output().path("Pages").asInt());
        out.printf(Locale.ROOT, "  nested executions        %d; state transitions per execution %.1f; retries taken %d%n",
                children.size(), children.stream().mapToInt(c -> c.states().size()).average().orElse(0),
                children.stream().mapToInt(ChildExecution::retries).sum());
        out.printf(Locale.ROOT, "  function invocations     %d cancel, %d sweep%n",
                stack.lambda().invocations(LocalStack.CANCEL_FUNCTION).size(),
                stack.lambda().invocations(LocalStack.SWEEP_FUNCTION).size());

        JsonNode counts = sweep.output() == null ? null : sweep.output().get("Counts");
        boolean groundTruth = exactlyOnce == tokens.size() && complete == tokens.size() && confirmed == tokens.size()
                && counts != null && counts.path("Cancelled").asInt() == tokens.size();
        out.println();
        out.println(groundTruth ? "Every request cancelled exactly once and confirmed CANCEL_COMPLETE."
                : "GROUND TRUTH NOT MET: see the figures above.");
        return groundTruth ? 0 : 1;
    }

    /**
     * Where the time went, page by page: how long each page's Map of nested executions ran (its floor: the page's
     * calls at the rate limit) and what the rest of the page took (list, tally, publish and the states between).
     */
    private static void printPages(PrintStream out, ExecutionResult sweep, Options options) {
        List<Double> maps = new java.util.ArrayList<>();
        List<Double> between = new java.util.ArrayList<>();
        java.time.Instant mapEntered = null;
        java.time.Instant previousMapExited = sweep.events().getFirst().timestamp();
        for (var event : sweep.events()) {
            if (!"CancelEachRequest".equals(event.state()) || event.raw().has("index")) {
                continue;
            }
            if (event.is("StateEntered")) {
                mapEntered = event.timestamp();
                between.add(Duration.between(previousMapExited, mapEntered).toMillis() / 1000.0);
            } else if (event.is("StateExited") && mapEntered != null) {
                maps.add(Duration.between(mapEntered, event.timestamp()).toMillis() / 1000.0);
                previousMapExited = event.timestamp();
            }
        }
        if (maps.isEmpty()) {
            return;
        }
        Map<String, java.time.Instant> started = new java.util.HashMap<>();
        List<Double> children = new java.util.ArrayList<>();
        for (var event : sweep.events()) {
            String arn = event.raw().path("executionArn").asText();
            if (event.is("ChildExecutionStarted")) {
                started.put(arn, event.timestamp());
            } else if (event.is("ChildExecutionEnded") && started.containsKey(arn)) {
                children.add(Duration.between(started.get(arn), event.timestamp()).toMillis() / 1000.0);
            }
        }
        double pageFloor = StaleRequestLister.MAX_PAGE_SIZE * (1 + options.readsPerRequest()) / options.rate();
        out.println();
        out.println("Pages (seconds):");
        out.printf(Locale.ROOT, "  Map of 100 executions    median %.2f, min %.2f, max %.2f, total %.1f (floor %.2f a page)%n",
                median(maps), maps.stream().mapToDouble(d -> d).min().orElse(0),
                maps.stream().mapToDouble(d -> d).max().orElse(0), maps.stream().mapToDouble(d -> d).sum(), pageFloor);
        out.printf(Locale.ROOT, "  between Maps             median %.2f, total %.1f (list, tally, publish)%n",
                median(between), between.stream().mapToDouble(d -> d).sum());
        List<Double> sorted = children.stream().sorted().toList();
        out.printf(Locale.ROOT, "  one nested execution     median %.2f, p90 %.2f, max %.2f (RetryAfter: %d)%n",
                median(sorted), sorted.get((int) (sorted.size() * 0.9)), sorted.getLast(), options.retryAfterSeconds());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The 1, 5 and 15-minute load averages, where the OS reports them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /**
     * What Lambda gives the functions, as the SDK reads it: dummy credentials as system properties, so nothing here
     * can reach a real AWS account (the stack points each function at the emulator); EMF metrics printed, not sent.
     */
    private static void configureFunctionEnvironment() {
        System.setProperty("aws.accessKeyId", "AKIDLOCALBENCH");
        System.setProperty("aws.secretAccessKey", "local-bench-secret");
        if (System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
    }

    /** The functions write JSON logs and EMF metrics to stdout, as in Lambda: thousands of lines, kept in a file. */
    private static PrintStream redirectFunctionOutput() throws IOException {
        Files.createDirectories(FUNCTION_LOG.getParent());
        PrintStream log = new PrintStream(new FileOutputStream(FUNCTION_LOG.toFile()), true, StandardCharsets.UTF_8);
        System.setOut(log);
        return log;
    }
}
