package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.api.client.AWSLambda;
import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.testing.CommandLine;
import io.cccancel.workflow.SamTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Cold start and footprint of the cancel function, measured the way Lambda starts it: a fresh JVM per sample
 * running the real runtime interface client ({@code AWSLambda}) with Lambda's own JVM flags, the handler loaded by
 * the client's customer class loader from a task root laid out as {@code ./dev package} (what sam build runs) lays it
 * out (lib/ with the function's jar and its runtime jars),
 * a local Runtime API ({@link RuntimeApiServer}) handing it events, and the Cloud Control emulator answering its
 * calls. Yardsticks in the same run: (a) a no-op handler, (b) the function built the default way, (c) the bare SDK
 * call. Prints one table and the goal ratios. Not a test: {@code ./dev bench coldstart [options]}.
 *
 * <p>Options: {@code --samples N} (fresh JVMs per row, default 10), {@code --warm N} (warm invokes per JVM, default
 * 1000), {@code --memory MB} (the function's MemorySize, default 256: sets MaxHeapSize as Lambda does),
 * {@code --java-tool-options "..."} (the function's JAVA_TOOL_OPTIONS, default as in template.yaml),
 * {@code --runtime-flags "..."} (flags appended after Lambda's own, to try what JAVA_TOOL_OPTIONS cannot override),
 * {@code --rows a,function,b,function-lambda-cpu,b-lambda-cpu,a-snapstart,snapstart,a-restore,restore,c,c-snapstart,
 * c-jvm} (which rows to run; the diagnosis rows {@code c-offline} and {@code function-offline} run only when named),
 * {@code --env K=V} (an extra function environment variable, repeatable), {@code --cpu host|lambda} ({@code lambda}:
 * every row under Lambda's CPU, modelled, less the CRIU-restored rows and the two rows that model it on their own;
 * by default only those two rows are modelled).
 */
public final class ColdStartBenchmark {

    static final String FUNCTION_NAME = "cloudcontrol-cancel";
    static final String OFFLINE_ROW = "c-offline";
    static final String NO_SDK_ROW = "function-offline";
    /** The on-demand pair again, each JVM under Lambda's CPU, modelled ({@link LambdaCpu}); needs root. */
    static final String FUNCTION_LAMBDA_CPU_ROW = "function-lambda-cpu";
    static final String B_LAMBDA_CPU_ROW = "b-lambda-cpu";
    static final List<String> MODELLED_ROWS = List.of(FUNCTION_LAMBDA_CPU_ROW, B_LAMBDA_CPU_ROW);
    /** template.yaml, read once. */
    private static final class Template {
        static final String FUNCTION = "CancelResourceRequestFunction";
        static final SamTemplate TEMPLATE = SamTemplate.load();
    }

    /** What template.yaml sets for the function: read from it, so the benchmark runs what deploys. */
    static String templateJavaToolOptions() {
        return nonBlank(Template.TEMPLATE.environmentVariables(Template.FUNCTION).get("JAVA_TOOL_OPTIONS"),
                "JAVA_TOOL_OPTIONS");
    }

    /**
     * The function's Handler in template.yaml: the rows start what deploys. Whether it names a method decides how the
     * runtime client calls it (through RequestStreamHandler, or by reflection), so the benchmark's own handlers in
     * the rows around it are named the same way.
     */
    static String templateHandler() {
        return nonBlank(Template.TEMPLATE.properties(Template.FUNCTION).get("Handler"), "Handler");
    }

    private static String nonBlank(Object value, String name) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalStateException("template.yaml: CancelResourceRequestFunction sets no " + name);
        }
        return text;
    }

    /** Not mutating: the only operations priming may call. */
    static final Set<String> READ_ONLY = Set.of(ApiOperation.GetResourceRequestStatus.name(),
            ApiOperation.ListResourceRequests.name());

    private ColdStartBenchmark() {
    }

    /**
     * One row of the table: a function as Lambda would run it. {@code restored}: on the SnapStart path, the process
     * is checkpointed at the snapshot point and restored from that checkpoint (CRIU) before its first event.
     */
    record Row(String key, String label, Path taskRoot, String handler, boolean snapStart, boolean restored,
               int warmInvokes) {
        Row(String key, String label, Path taskRoot, String handler, boolean snapStart, int warmInvokes) {
            this(key, label, taskRoot, handler, snapStart, false, warmInvokes);
        }

        /**
         * A row of its own under Lambda's CPU, modelled, in a run whose other rows are not (under --cpu lambda every
         * row is, and such rows are left out: see {@link #runnable}).
         */
        boolean lambdaCpu() {
            return MODELLED_ROWS.contains(key);
        }

        /** The handler's class, whichever form the handler string takes ({@code Class} or {@code Class::method}). */
        String handlerClass() {
            return SamTemplate.handlerClass(handler);
        }

        /** Yardstick (b), under either CPU: the function built the default way, which sets no JVM options. */
        boolean defaultBuilt() {
            return handlerClass().equals(DefaultBuiltHandler.class.getName());
        }

        /** Rows (c): bare calls alternate with the function's handler in one JVM. */
        boolean paired() {
            return handlerClass().equals(PairedHandler.class.getName());
        }

        /** The diagnosis row: its handler invokes answer offline, with no Cloud Control call (see PairedHandler). */
        boolean offline() {
            return key.equals(OFFLINE_ROW);
        }
    }

    /** One fresh JVM's figures (milliseconds, KiB). */
    record Sample(double initMs, double firstMs, double warmP50Ms, double warmP99Ms, long peakRssKib, long classes,
                  long firstInvokeClasses, List<CallRecord> primingCalls, double pairedFunctionP50Ms,
                  double offlineRunP50Ms, double offlineLoopMs) {

        /** Init plus first invoke: what a caller waits for in a cold start, and what the cold-start goals compare. */
        double coldStartMs() {
            return initMs + firstMs;
        }
    }

    /** The rows a run has unless --rows says otherwise. */
    static final List<String> DEFAULT_ROWS = List.of("a", "function", "b", FUNCTION_LAMBDA_CPU_ROW, B_LAMBDA_CPU_ROW,
            "a-snapstart", "snapstart", "a-restore", "restore", "c", "c-snapstart", "c-jvm");
    /** Every row --rows may name: the default ones, then the diagnosis rows, which run only when named. */
    static final List<String> ROWS = Stream.concat(DEFAULT_ROWS.stream(), Stream.of(OFFLINE_ROW, NO_SDK_ROW)).toList();

    /** @param lambdaCpu run each function JVM under Lambda's CPU, modelled ({@link LambdaCpu}) */
    record Options(int samples, int warm, int memoryMb, String javaToolOptions, List<String> runtimeFlags,
                   List<String> rows, Map<String, String> functionEnv, boolean lambdaCpu) {
        static Options parse(String[] args) {
            int samples = 10;
            int warm = 1000;
            int memory = 256;
            String jto = templateJavaToolOptions();
            List<String> flags = List.of();
            List<String> rows = DEFAULT_ROWS;
            boolean rowsNamed = false;
            Map<String, String> functionEnv = new LinkedHashMap<>();
            boolean lambdaCpu = false;
            CommandLine line = new CommandLine(args, "--env");
            while (line.hasNext()) {
                String option = line.option();
                switch (option) {
                    case "--samples" -> samples = line.wholeNumber(option, 1, 1000);
                    case "--warm" -> warm = line.wholeNumber(option, 1, 100_000);
                    case "--memory" -> memory = line.wholeNumber(option, 128, 10_240); // Lambda's MemorySize range
                    case "--java-tool-options" -> jto = line.anyValue(option);
                    case "--runtime-flags" -> {
                        String value = line.anyValue(option);
                        flags = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                    }
                    case "--rows" -> {
                        rows = List.of(line.value(option).split(","));
                        rowsNamed = true;
                    }
                    case "--env" -> {
                        String value = line.nameValue(option); // one variable each time it is given
                        int equals = value.indexOf('=');
                        if (functionEnv.put(value.substring(0, equals), value.substring(equals + 1)) != null) {
                            throw new IllegalArgumentException("--env sets " + value.substring(0, equals) + " twice");
                        }
                    }
                    case "--cpu" -> {
                        String value = line.value(option);
                        lambdaCpu = switch (value) {
                            case "lambda" -> true;
                            case "host" -> false;
                            default -> throw new IllegalArgumentException("--cpu must be host or lambda, got '" + value
                                    + "'");
                        };
                    }
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + " (--samples N --warm N --memory MB --java-tool-options S --runtime-flags S --rows "
                            + String.join(",", DEFAULT_ROWS) + "[," + OFFLINE_ROW + "," + NO_SDK_ROW
                            + "] --env K=V --cpu host|lambda)");
                }
            }
            for (String row : rows) {
                // A misspelled row would silently run nothing in its place.
                if (!ROWS.contains(row)) {
                    throw new IllegalArgumentException("--rows: no row '" + row + "'; the rows are " + ROWS);
                }
            }
            // Twice would run it twice a round into one set of samples: twice the JVMs its medians claim.
            if (rows.stream().distinct().count() < rows.size()) {
                throw new IllegalArgumentException("--rows: a row is named more than once: " + String.join(",", rows));
            }
            // Under --cpu lambda every row is modelled: the rows that model it beside unmodelled ones would not run.
            if (lambdaCpu && rowsNamed && rows.stream().anyMatch(MODELLED_ROWS::contains)) {
                throw new IllegalArgumentException("--rows: " + String.join(" and ", MODELLED_ROWS) + " model Lambda's "
                        + "CPU beside rows that run unthrottled; under --cpu lambda every row is modelled, so name "
                        + "function and b instead");
            }
            return new Options(samples, warm, memory, jto, flags, rows, functionEnv, lambdaCpu);
        }
    }

    public static void main(String[] args) throws Exception {
        // Before any HttpServer exists: without TCP_NODELAY, Nagle + delayed ACK would add ~40 ms to some answers.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Options options = CommandLine.parseOrExit("./dev bench coldstart", "", () -> Options.parse(args));
        // Loaded now, not at the end: other builds may rewrite target/test-classes while the JVMs run.
        List.of(Report.class, Stats.class, ProcessProbe.class, RuntimeApiServer.class).forEach(Class::getName);
        Path target = Path.of("target").toAbsolutePath();
        Path bench = target.resolve("bench");
        Path runs = bench.resolve("runs");
        deleteTree(runs);
        Files.createDirectories(runs);

        // The deployment artifacts, laid out as `./dev package` (what sam build runs) lays them out: the function's
        // jar and its runtime-scope jars in lib/. Yardstick handlers go at the task root, where Lambda looks first.
        Path testClasses = target.resolve("test-classes");
        List<Path> lambdaLib = new ArrayList<>(jars(bench.resolve("lambda-lib")));
        lambdaLib.add(functionJar(target));
        Path function = taskRoot(bench.resolve("task-function"), List.of(), lambdaLib);
        List<Path> defaultLib = new ArrayList<>(lambdaLib.stream()
                .filter(p -> !p.getFileName().toString().startsWith("url-connection-client")).toList());
        defaultLib.addAll(jars(bench.resolve("apache-client")));
        Path defaultBuilt = taskRoot(bench.resolve("task-default-built"),
                List.of(only(testClasses, DefaultBuiltHandler.class)), defaultLib);
        Path noOp = taskRoot(bench.resolve("task-noop"), List.of(only(testClasses, NoOpHandler.class)), List.of());
        Path paired = taskRoot(bench.resolve("task-paired"),
                List.of(only(testClasses, PairedHandler.class, AcceptingCloudControl.class)), lambdaLib);
        Path offline = taskRoot(bench.resolve("task-offline"),
                List.of(only(testClasses, OfflineFunctionHandler.class, AcceptingCloudControl.class)), lambdaLib);

        Map<String, Row> all = rowTable(options, new TaskRoots(function, defaultBuilt, noOp, paired, offline));
        Checkpoints checkpoints = Checkpoints.fromEnvironment(runs);
        Optional<String> noCpuModel = LambdaCpu.unavailable();
        if (options.lambdaCpu() && noCpuModel.isPresent()) {
            throw new IllegalStateException("--cpu lambda: " + noCpuModel.get());
        }
        List<Row> rows = runnable(options, all, checkpoints.available(), noCpuModel.isEmpty());
        boolean bare = options.rows().contains("c-jvm");
        // Copied once, up front: a build elsewhere in target/ during the run cannot take the class away.
        Path bareSdkCallClasses = only(testClasses, BareSdkCall.class);

        Path java = lambdaJava();
        List<String> runtimeClasspath = Stream.of(AWSLambda.class, RequestStreamHandler.class,
                        loadClass("com.amazonaws.services.lambda.runtime.serialization.PojoSerializer"),
                        loadClass("software.amazon.awssdk.utilslite.SdkInternalThreadLocal"))
                .map(ColdStartBenchmark::codeSource).map(Path::toString).distinct().toList();
        List<String> lambdaFlags = lambdaJvmFlags(options.memoryMb());

        System.out.printf("Cold start: %s (%s), %d CPUs; %d fresh JVMs a row, %d warm invokes each; MemorySize %d MB%n",
                javaVersion(java), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                options.samples(), options.warm(), options.memoryMb());
        System.out.println("Lambda's java21 flags: " + String.join(" ", lambdaFlags)
                + (options.runtimeFlags().isEmpty() ? "" : "  + tried: " + String.join(" ", options.runtimeFlags())));
        boolean restoresAsked = options.rows().stream().anyMatch(k -> k.endsWith("restore"));
        List<String> modelledAsked = options.rows().stream().filter(MODELLED_ROWS::contains).toList();
        if (options.lambdaCpu()) {
            System.out.println("Lambda's CPU, modelled for every row: " + LambdaCpu.describe(options.memoryMb())
                    + (restoresAsked ? "; CRIU-restored rows skipped (not modelled)" : "")
                    + (modelledAsked.isEmpty() ? "" : "; " + String.join(", ", modelledAsked)
                    + " left out (rows function and b are modelled already)"));
        } else {
            if (!checkpoints.available() && restoresAsked) {
                System.out.println("CRIU-restored rows skipped: " + checkpoints.missing());
            }
            if (!modelledAsked.isEmpty()) {
                System.out.println(noCpuModel.isEmpty()
                        ? "Rows marked \"Lambda's CPU\": " + LambdaCpu.describe(options.memoryMb())
                        : String.join(", ", modelledAsked) + " skipped: " + noCpuModel.get());
            }
        }
        System.out.println("Function JAVA_TOOL_OPTIONS (every row but the (b) rows, which run with Lambda's flags "
                + "only): " + options.javaToolOptions()
                + (options.functionEnv().isEmpty() ? "" : "; environment: " + options.functionEnv()));

        Map<String, List<Sample>> results = new LinkedHashMap<>();
        List<double[]> bareCalls = new ArrayList<>();
        try (CloudControlEmulator emulator = CloudControlEmulator.start()) {
            Launcher launcher = new Launcher(java, lambdaFlags, options, runtimeClasspath, emulator, runs, checkpoints);
            for (int round = 1; round <= options.samples(); round++) {
                for (Row row : rows) {
                    results.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(launcher.run(row, round));
                }
                if (bare) {
                    bareCalls.add(launcher.bareSdkCall(function, bareSdkCallClasses, round));
                }
                System.out.printf("  round %d/%d done%n", round, options.samples());
            }
        }

        // One zip per artifact that ran: rows that start the same task root share its size. The paired rows report
        // the function's own artifact (theirs is that plus the one yardstick class).
        Map<Path, Long> zipBytes = new LinkedHashMap<>();
        Map<String, Long> artifactBytes = new LinkedHashMap<>();
        for (Row row : rows) {
            Path root = row.paired() ? function : row.taskRoot();
            if (!zipBytes.containsKey(root)) {
                zipBytes.put(root, zipSize(root, bench.resolve(root.getFileName() + ".zip")));
            }
            artifactBytes.put(row.key(), zipBytes.get(root));
        }
        Report report = new Report(options, rows, results, bareCalls, artifactBytes);
        report.print(System.out);
        if (report.primingMutated()) {
            System.exit(1);
        }
    }

    /** Where each kind of row's deployment artifact is laid out. */
    record TaskRoots(Path function, Path defaultBuilt, Path noOp, Path paired, Path offline) {
    }

    /** Every row --rows may name, in table order, keyed by name. */
    static Map<String, Row> rowTable(Options options, TaskRoots roots) {
        String handler = templateHandler();
        // The benchmark's own handlers take the template's form, so the runtime client calls every row the same way;
        // only (b), built the default way, keeps Class::handleRequest, as SAM's Java starter templates name theirs.
        String form = handler.substring(SamTemplate.handlerClass(handler).length());
        String noOpHandler = NoOpHandler.class.getName() + form;
        String pairedHandler = PairedHandler.class.getName() + form;
        Map<String, Row> all = new LinkedHashMap<>();
        all.put("a", new Row("a", "(a) no-op handler (floor)", roots.noOp(), noOpHandler,
                false, options.warm()));
        // The floor of the SnapStart figure: the runtime client's own first invoke after restore/next.
        all.put("a-snapstart", new Row("a-snapstart", "(a') no-op, SnapStart path", roots.noOp(),
                noOpHandler, true, 0));
        all.put("function", new Row("function", "function, on demand", roots.function(), handler, false,
                options.warm()));
        String defaultBuiltHandler = DefaultBuiltHandler.class.getName() + "::handleRequest";
        all.put("b", new Row("b", "(b) default-built function", roots.defaultBuilt(), defaultBuiltHandler, false,
                0));
        // The on-demand pair again with Lambda's CPU modelled (MODELLED_ROWS), in the same run: a full vCPU for init,
        // then the memory's share for invokes, where (b) builds its client and the function answers primed. Cold
        // start only, so no warm invokes: at that share they would add minutes and no figure any goal reads.
        all.put(FUNCTION_LAMBDA_CPU_ROW, new Row(FUNCTION_LAMBDA_CPU_ROW, "function, Lambda's CPU", roots.function(),
                handler, false, 0));
        all.put(B_LAMBDA_CPU_ROW, new Row(B_LAMBDA_CPU_ROW, "(b), Lambda's CPU", roots.defaultBuilt(),
                defaultBuiltHandler, false, 0));
        all.put("snapstart", new Row("snapstart", "function, SnapStart-primed", roots.function(), handler, true, 0));
        // SnapStart as deployed: the snapshot taken and restored for real, by CRIU (a process checkpoint standing in
        // for Lambda's microVM snapshot). Init is then the restore: from the restore's start to the first next.
        all.put("a-restore", new Row("a-restore", "(a'') no-op, CRIU-restored", roots.noOp(),
                noOpHandler, true, true, 0));
        all.put("restore", new Row("restore", "function, CRIU-restored", roots.function(), handler, true, true, 0));
        all.put("c", new Row("c", "(c) bare SDK call, paired", roots.paired(),
                pairedHandler, false, 2 * options.warm()));
        // The same pairs in an execution environment as deployed: primed before the snapshot point.
        all.put("c-snapstart", new Row("c-snapstart", "(c) paired, SnapStart-primed", roots.paired(),
                pairedHandler, true, 2 * options.warm()));
        // A diagnosis, only when asked for: the pairs with the handler answering offline (its share without the call).
        all.put(OFFLINE_ROW, new Row(OFFLINE_ROW, "(c) paired, handler offline", roots.paired(),
                pairedHandler, false, 2 * options.warm()));
        // A diagnosis, only when asked for: the function on demand with no SDK client at all (its floor, see Report).
        all.put(NO_SDK_ROW, new Row(NO_SDK_ROW, "function without the SDK", roots.offline(),
                OfflineFunctionHandler.class.getName() + form, false, options.warm()));
        return all;
    }

    /** Whether a row's JVMs run in a cgroup under Lambda's CPU, modelled. */
    static boolean underCpuModel(Options options, Row row) {
        return options.lambdaCpu() || row.lambdaCpu();
    }

    /**
     * Whether a JVM gets the function's JAVA_TOOL_OPTIONS: every one but yardstick (b)'s, under either CPU, which is
     * the function built the default way, and that sets no JVM options of its own. The bare-call JVM (no row) does.
     */
    static boolean takesFunctionOptions(Row row) {
        return row == null || !row.defaultBuilt();
    }

    /**
     * The rows --rows asked for that can run here. A CRIU restore would have to bring the process back into its
     * cgroup, so the restored rows do not run under --cpu lambda; the rows modelled on their own need the cgroup too,
     * and under --cpu lambda they would repeat rows function and b.
     */
    static List<Row> runnable(Options options, Map<String, Row> all, boolean criu, boolean cpuModel) {
        return options.rows().stream().filter(all::containsKey).map(all::get)
                .filter(row -> !row.restored() || (criu && !options.lambdaCpu()))
                .filter(row -> !row.lambdaCpu() || (cpuModel && !options.lambdaCpu())).toList();
    }

    /**
     * The java21 managed runtime's own command line (as the runtime starts the client), less its Log4Shell hot-patch
     * agent and with the JDK's default CDS archive standing in for Lambda's runtime.jsa. Last, {@code -XX:MaxRAM}:
     * not a flag of Lambda's, but the memory a function's microVM has (its MemorySize). The JVM sizes its initial
     * heap from it (1/64), so on Lambda a 256 MB function starts with a heap of a few MB and collects often during
     * init; on this machine's 24 GiB it would start with the whole 218 MB and hardly collect at all.
     */
    static List<String> lambdaJvmFlags(int memoryMb) {
        long maxHeapKib = memoryMb * 1024L * 85 / 100;
        return List.of("-XX:MaxHeapSize=" + maxHeapKib + "k", "-XX:+UseSerialGC", "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-Djava.net.preferIPv4Stack=true",
                "-XX:+ErrorFileToStderr", "-XX:MaxRAM=" + memoryMb + "m");
    }

    /** Starts fresh JVMs and measures them. */
    static final class Launcher {
        private final Path java;
        private final List<String> lambdaFlags;
        private final Options options;
        private final List<String> runtimeClasspath;
        private final CloudControlEmulator emulator;
        private final Path runs;
        private final Checkpoints checkpoints;

        Launcher(Path java, List<String> lambdaFlags, Options options, List<String> runtimeClasspath,
                 CloudControlEmulator emulator, Path runs, Checkpoints checkpoints) {
            this.java = java;
            this.lambdaFlags = lambdaFlags;
            this.options = options;
            this.runtimeClasspath = runtimeClasspath;
            this.emulator = emulator;
            this.runs = runs;
            this.checkpoints = checkpoints;
        }

        Sample run(Row row, int round) throws Exception {
            List<String> tokens = emulator.seedRequests(1 + row.warmInvokes(),
                    SeedRequest.of("DELETE", "AWS::S3::Bucket", "bench-" + row.key() + "-" + round));
            emulator.clearCalls();
            List<String> command = new ArrayList<>();
            if (row.restored()) {
                // Its own session, as a checkpoint needs: the JVM keeps its pid (setsid execs it).
                command.add("setsid");
            }
            command.add(java.toString());
            command.addAll(lambdaFlags);
            command.addAll(options.runtimeFlags());
            command.add("-classpath");
            command.add(String.join(":", runtimeClasspath));
            command.add(AWSLambda.class.getName());
            command.add(row.handler());

            // The cgroup is removed when the try ends, after the finally below has ended the JVM in it.
            try (RuntimeApiServer api = new RuntimeApiServer(row.restored());
                 LambdaCpu cpu = underCpuModel(options, row) ? LambdaCpu.create("ccbench-"
                         + ProcessHandle.current().pid() + "-" + row.key() + "-" + round, options.memoryMb()) : null) {
                // stdin from /dev/null, not a pipe to this JVM: a checkpoint cannot take such a pipe along.
                ProcessBuilder builder = new ProcessBuilder(cpu == null ? command : cpu.wrap(command))
                        .directory(row.taskRoot().toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(runs.resolve(row.key() + "-" + round + ".out").toFile())
                        .redirectError(runs.resolve(row.key() + "-" + round + ".err").toFile());
                lambdaEnvironment(builder.environment(), row, api.address());
                long start = System.nanoTime();
                Process process = builder.start();
                ProcessHandle runtime = process.toHandle();
                try {
                    List<CallRecord> primingCalls = List.of();
                    if (row.snapStart()) {
                        await(api.restoreNext(), runtime);
                        primingCalls = emulator.calls();
                    }
                    if (row.restored()) {
                        // The runtime waits in restore/next, unanswered: the snapshot point. Checkpoint it there,
                        // restore it, and only then answer restore/next, as Lambda answers it after a restore.
                        Path images = runs.resolve(row.key() + "-" + round + ".criu");
                        checkpoints.dump(process, images);
                        start = System.nanoTime();
                        runtime = checkpoints.restore(process.pid(), images);
                        api.releaseRestore();
                    }
                    long initEnd = await(api.firstNext(), runtime);
                    if (cpu != null) {
                        cpu.invokePhase();
                    }
                    if (!row.snapStart()) {
                        // Started on demand, the function primes at init: what it called is checked the same way.
                        primingCalls = emulator.calls();
                    }
                    // The runtime now waits in next: count init's classes before handing it the first event.
                    long initClasses = ProcessProbe.loadedClasses(process.pid());
                    RuntimeApiServer.Invocation firstInvoke = await(api.invoke(event(tokens.get(0))), runtime);
                    check(row, firstInvoke, round, false);
                    long classes = ProcessProbe.loadedClasses(process.pid());
                    // The paired row alternates bare calls (its warm figures) with the function (pairedFunction).
                    boolean pairedRow = row.paired();
                    double[] warm = new double[pairedRow ? row.warmInvokes() / 2 : row.warmInvokes()];
                    double[] pairedFunction = new double[pairedRow ? warm.length : 0];
                    for (int i = 0; i < row.warmInvokes(); i++) {
                        boolean bareCall = pairedRow && i % 2 == 0;
                        String token = tokens.get(i + 1);
                        byte[] payload = bareCall ? pairedEvent(PairedHandler.BARE, token)
                                : row.offline() ? pairedEvent(PairedHandler.OFFLINE, token) : event(token);
                        RuntimeApiServer.Invocation invoke = await(api.invoke(payload), runtime);
                        check(row, invoke, round, bareCall);
                        if (!pairedRow) {
                            warm[i] = invoke.nanos() / 1e6;
                        } else if (bareCall) {
                            warm[i / 2] = invoke.nanos() / 1e6;
                        } else {
                            pairedFunction[i / 2] = invoke.nanos() / 1e6;
                        }
                    }
                    double offlineRunP50Ms = Double.NaN;
                    double offlineLoopMs = Double.NaN;
                    if (row.offline()) {
                        // The same handler work in invokes of its own, one after the other: no SDK call between.
                        double[] run = new double[warm.length];
                        for (int i = 0; i < run.length; i++) {
                            RuntimeApiServer.Invocation invoke = await(api.invoke(
                                    pairedEvent(PairedHandler.OFFLINE, tokens.get(0))), runtime);
                            check(row, invoke, round, false);
                            run[i] = invoke.nanos() / 1e6;
                        }
                        offlineRunP50Ms = Stats.percentile(Stats.sorted(run), 50);
                        // And back to back in one invoke, with no wait for the runtime's next event between.
                        int loop = warm.length;
                        RuntimeApiServer.Invocation invoke = await(api.invoke(
                                pairedEvent(PairedHandler.OFFLINE_LOOP + loop + ":", tokens.get(0))), runtime);
                        check(row, invoke, round, false);
                        offlineLoopMs = invoke.nanos() / 1e6 / loop;
                    }
                    long rss = ProcessProbe.peakRssKib(process.pid());
                    Arrays.sort(warm);
                    Arrays.sort(pairedFunction);
                    return new Sample((initEnd - start) / 1e6, firstInvoke.nanos() / 1e6,
                            warm.length == 0 ? Double.NaN : Stats.percentile(warm, 50),
                            warm.length == 0 ? Double.NaN : Stats.percentile(warm, 99), rss, classes, classes - initClasses,
                            primingCalls, pairedRow ? Stats.percentile(pairedFunction, 50) : Double.NaN,
                            offlineRunP50Ms, offlineLoopMs);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    throw new IllegalStateException(row.label() + " round " + round + " failed; stderr: "
                            + tail(runs.resolve(row.key() + "-" + round + ".err")), e);
                } finally {
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor();
                    }
                    if (row.restored()) {
                        runtime.destroyForcibly();
                        runtime.onExit().get(10, TimeUnit.SECONDS);
                    }
                }
            }
        }

        /** The future's value; fails at once if the runtime's process has died instead (e.g. an init error). */
        private static <T> T await(java.util.concurrent.CompletableFuture<T> future, ProcessHandle process)
                throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    return future.get(20, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException notYet) {
                    if (!process.isAlive()) {
                        throw new java.util.concurrent.ExecutionException(new IllegalStateException(
                                "the runtime's process " + process.pid() + " exited"));
                    }
                }
            }
            throw new java.util.concurrent.TimeoutException("no answer from the runtime in 60 s");
        }

        /** Yardstick (c): a fresh JVM with the same flags cancels through the function's own client, no handler. */
        double[] bareSdkCall(Path function, Path bareSdkCallClasses, int round) throws Exception {
            List<String> tokens = emulator.seedRequests(1 + options.warm(),
                    SeedRequest.of("DELETE", "AWS::S3::Bucket", "bench-c-" + round));
            Path tokenFile = runs.resolve("c-" + round + ".tokens");
            Path resultFile = runs.resolve("c-" + round + ".nanos");
            Files.write(tokenFile, tokens);
            List<String> classpath = new ArrayList<>();
            classpath.add(function.toString());
            jars(function.resolve("lib")).forEach(p -> classpath.add(p.toString()));
            classpath.add(bareSdkCallClasses.toString());
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(lambdaFlags);
            command.addAll(options.runtimeFlags());
            command.addAll(List.of("-classpath", String.join(":", classpath), BareSdkCall.class.getName(),
                    tokenFile.toString(), resultFile.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).directory(function.toFile())
                    .redirectOutput(runs.resolve("c-" + round + ".out").toFile())
                    .redirectError(runs.resolve("c-" + round + ".err").toFile());
            lambdaEnvironment(builder.environment(), null, "unused");
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("bare SDK run " + round + " failed: " + tail(runs.resolve("c-" + round + ".err")));
            }
            return Files.readAllLines(resultFile).stream().mapToDouble(s -> Long.parseLong(s) / 1e6).toArray();
        }

        /** The environment Lambda gives a java21 function, with dummy credentials and the emulator as endpoint. */
        private void lambdaEnvironment(Map<String, String> env, Row row, String runtimeApi) {
            String path = env.getOrDefault("PATH", "/usr/bin:/bin");
            env.clear();
            env.put("PATH", path);
            env.put("LANG", "en_US.UTF-8");
            env.put("TZ", ":UTC");
            env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
            env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
            env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
            env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
            env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(options.memoryMb()));
            env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION_NAME);
            env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/24/[1]bench");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_DEFAULT_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "AKIDLOCALBENCH");
            env.put("AWS_SECRET_ACCESS_KEY", "local-bench-secret");
            env.put("AWS_SESSION_TOKEN", "local-bench-session");
            env.put("AWS_ENDPOINT_URL_CLOUDCONTROL", emulator.endpoint().toString());
            env.put("POWERTOOLS_SERVICE_NAME", FUNCTION_NAME);
            env.put("POWERTOOLS_METRICS_NAMESPACE", "CloudControlCancel");
            env.put("POWERTOOLS_LOG_LEVEL", "INFO");
            env.putAll(options.functionEnv());
            if (!options.javaToolOptions().isBlank() && takesFunctionOptions(row)) {
                env.put("JAVA_TOOL_OPTIONS", options.javaToolOptions());
            }
            if (row != null) {
                env.put("_HANDLER", row.handler());
                env.put("LAMBDA_TASK_ROOT", row.taskRoot().toString());
                env.put("AWS_LAMBDA_INITIALIZATION_TYPE", row.snapStart() ? "snap-start" : "on-demand");
            }
        }

        private void check(Row row, RuntimeApiServer.Invocation invocation, int round, boolean bareCall) {
            boolean expected = row.handler().startsWith(NoOpHandler.class.getName()) || bareCall ? invocation.body().equals("{}")
                    : invocation.body().contains("\"OperationStatus\":\"CANCEL_IN_PROGRESS\"");
            if (invocation.error() || !expected) {
                throw new IllegalStateException(row.label() + " round " + round + " answered "
                        + (invocation.error() ? "error " + invocation.errorType() + ": " : "") + invocation.body());
            }
        }
    }

    private static byte[] event(String token) {
        return ("{\"RequestToken\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** The paired rows' other event kinds (PairedHandler): a prefix, then the token. */
    private static byte[] pairedEvent(String kind, String token) {
        return (kind + token).getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh task root: the given class directories copied to its root, the jars to lib/. */
    static Path taskRoot(Path root, List<Path> classDirs, List<Path> libJars) throws IOException {
        deleteTree(root);
        Files.createDirectories(root.resolve("lib"));
        for (Path dir : classDirs) {
            copyTree(dir, root);
        }
        for (Path jar : libJars) {
            Files.copy(jar, root.resolve("lib").resolve(jar.getFileName()));
        }
        return root;
    }

    /** A directory named for {@code type}, holding only these classes (and their nested ones), under their packages. */
    static Path only(Path classesDir, Class<?> type, Class<?>... alongside) throws IOException {
        Path dir = classesDir.resolveSibling("bench").resolve("only-" + type.getSimpleName());
        deleteTree(dir);
        for (Class<?> each : Stream.concat(Stream.of(type), Stream.of(alongside)).toList()) {
            String packagePath = each.getPackageName().replace('.', '/');
            Path target = Files.createDirectories(dir.resolve(packagePath));
            try (Stream<Path> files = Files.list(classesDir.resolve(packagePath))) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    if (name.equals(each.getSimpleName() + ".class") || name.startsWith(each.getSimpleName() + "$")) {
                        Files.copy(file, target.resolve(name));
                    }
                }
            }
        }
        return dir;
    }

    /** The function's own jar, as `mvn package` builds it. */
    static Path functionJar(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("cloudcontrol-cancel-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no function jar in " + target + ": run mvn package"));
        }
    }

    static List<Path> jars(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(dir + " is missing: build with `mvn -Pbench package` (./dev bench does)");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** The deployment package: the task root zipped, as uploaded to Lambda. */
    static long zipSize(Path root, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipOut = new ZipOutputStream(out);
             Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                zipOut.putNextEntry(new ZipEntry(root.relativize(file).toString()));
                Files.copy(file, zipOut);
                zipOut.closeEntry();
            }
        }
        return Files.size(zip);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path dest = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(file, dest);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> loadClass(String name) {
        try {
            return Class.forName(name, false, ColdStartBenchmark.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not on the test classpath", e);
        }
    }

    /**
     * The JVM the function's rows start: Lambda's java21 runtime runs Java 21, and this benchmark's own JDK may be
     * newer. {@code ./dev bench coldstart} finds or fetches one (CCCANCEL_LAMBDA_JAVA, a java or a script that execs
     * one); without it, this JDK runs them, and the report's first line says why (CCCANCEL_LAMBDA_JAVA_MISSING).
     */
    private static Path lambdaJava() {
        String java = System.getenv("CCCANCEL_LAMBDA_JAVA");
        return java == null || java.isBlank() ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of(java);
    }

    /** As the JVM that runs the rows reports itself. */
    private static String javaVersion(Path java) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String version = "?";
        String vendor = "?";
        for (String line : new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
            String setting = line.strip();
            if (setting.startsWith("java.runtime.version = ")) {
                version = setting.substring("java.runtime.version = ".length());
            } else if (setting.startsWith("java.vm.vendor = ")) {
                vendor = setting.substring("java.vm.vendor = ".length());
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException(java + " -version failed");
        }
        String missing = System.getenv("CCCANCEL_LAMBDA_JAVA_MISSING");
        String note = version.startsWith("21") ? ""
                : ", not Java 21" + (missing == null || missing.isBlank() ? "" : ": " + missing);
        return "JDK " + version + " (" + vendor + note + ")";
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
