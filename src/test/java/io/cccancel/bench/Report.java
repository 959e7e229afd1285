package io.cccancel.bench;

import io.cccancel.emulator.CallRecord;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/** The benchmark's table and the goals as ratios of figures from the same run. */
final class Report {

    /** A 256 MB function needs headroom beyond the JVM's own peak RSS (the runtime's other processes, page cache). */
    static final double RSS_BUDGET_SHARE = 0.8;

    private final ColdStartBenchmark.Options options;
    private final List<ColdStartBenchmark.Row> rows;
    private final Map<String, List<ColdStartBenchmark.Sample>> samples;
    private final List<double[]> bareCalls;
    private final Map<String, Long> artifactBytes;

    Report(ColdStartBenchmark.Options options, List<ColdStartBenchmark.Row> rows,
           Map<String, List<ColdStartBenchmark.Sample>> samples, List<double[]> bareCalls, Map<String, Long> artifactBytes) {
        this.options = options;
        this.rows = rows;
        this.samples = samples;
        this.bareCalls = bareCalls;
        this.artifactBytes = artifactBytes;
    }

    void print(PrintStream out) {
        out.println();
        out.println("Each cell: median (min-max) over fresh JVMs. Times in ms, as Lambda's Runtime API sees them;");
        out.println("warm p50/p99 are per JVM over its warm invokes. RSS = peak resident set (VmHWM). Rows (c) alternate");
        out.println("bare calls (their warm columns) with the function's handler on the same client in the same JVM.");
        String header = String.format(Locale.ROOT, "%-28s | %-20s | %-20s | %-20s | %-18s | %-18s | %-18s | %-18s | %s",
                "row", "init", "first invoke", "init + first", "warm p50", "warm p99", "peak RSS MiB",
                "classes (1st invoke)", "artifact");
        out.println(header);
        out.println("-".repeat(header.length()));
        for (ColdStartBenchmark.Row row : rows) {
            List<ColdStartBenchmark.Sample> s = samples.get(row.key());
            out.printf(Locale.ROOT, "%-28s | %-20s | %-20s | %-20s | %-18s | %-18s | %-18s | %-18s | %s%n",
                    row.label(), stat(s, ColdStartBenchmark.Sample::initMs), stat(s, ColdStartBenchmark.Sample::firstMs),
                    stat(s, ColdStartBenchmark.Sample::coldStartMs), stat(s, ColdStartBenchmark.Sample::warmP50Ms),
                    stat(s, ColdStartBenchmark.Sample::warmP99Ms), stat(s, x -> x.peakRssKib() / 1024.0),
                    classes(s), mib(artifactBytes.get(row.key())));
        }
        if (!bareCalls.isEmpty()) {
            out.printf(Locale.ROOT, "%-28s | %-20s | %-20s | %-20s | %-18s | %-18s | %-18s | %-18s | %s%n",
                    "(c') bare SDK call, plain JVM", "-", Stats.of(bareCalls.stream().map(c -> c[0]).toList()).format(),
                    "-", bare(50).format(), bare(99).format(), "-", "-", "-");
        }
        out.println();
        printPriming(out);
        printGoals(out);
    }

    private Stats bare(double percentile) {
        return Stats.of(bareCalls.stream()
                .map(c -> Stats.percentile(Stats.sorted(Arrays.copyOfRange(c, 1, c.length)), percentile)).toList());
    }

    private void printGoals(PrintStream out) {
        out.println("Goals (ratios of medians from this run):");
        Double function = median("function", ColdStartBenchmark.Sample::coldStartMs);
        Double yardstickB = median("b", ColdStartBenchmark.Sample::coldStartMs);
        Double warm = median("function", ColdStartBenchmark.Sample::warmP50Ms);
        Double primed = median("snapstart", ColdStartBenchmark.Sample::firstMs);
        goal(out, "init + first invoke <= 0.5 x yardstick (b)", function, yardstickB, 0.5,
                (options.lambdaCpu() ? "on demand, Lambda's CPU modelled" : "on demand, unthrottled CPUs")
                        + ": function %s ms / default-built %s ms");
        // With Lambda's CPU modelled: under --cpu lambda the line above already is; otherwise its own pair of rows.
        if (!options.lambdaCpu()) {
            goal(out, "  the same, Lambda's CPU modelled",
                    median(ColdStartBenchmark.FUNCTION_LAMBDA_CPU_ROW, ColdStartBenchmark.Sample::coldStartMs),
                    median(ColdStartBenchmark.B_LAMBDA_CPU_ROW, ColdStartBenchmark.Sample::coldStartMs), 0.5,
                    // The memory decides the verdict (the share grows with it), so the line names both.
                    LambdaCpu.shares(options.memoryMb()) + ": function %s ms / default-built %s ms");
        }
        printNoSdkFloor(out, yardstickB);
        // SnapStart as deployed (template.yaml publishes SnapStart versions): a cold start is a restore.
        goal(out, "  the same, SnapStart (CRIU-restored)", median("restore", ColdStartBenchmark.Sample::coldStartMs),
                yardstickB, 0.5, "restore + first invoke %s ms / default-built %s ms");
        Double runtimeOwn = median("a-snapstart", ColdStartBenchmark.Sample::firstMs);
        goal(out, "first invoke after priming <= 3 x warm p50", primed, warm, 3.0,
                "primed first invoke %s ms / warm p50 %s ms" + (runtimeOwn == null ? ""
                        : "; the runtime client's own first invoke on this path (a') is " + Stats.fmt(runtimeOwn)
                        + " ms"));
        Double restoredRuntimeOwn = median("a-restore", ColdStartBenchmark.Sample::firstMs);
        goal(out, "  the same, after a real restore (CRIU)", median("restore", ColdStartBenchmark.Sample::firstMs),
                warm, 3.0, "first invoke after restore %s ms / warm p50 %s ms" + (restoredRuntimeOwn == null ? ""
                        : "; the runtime client's own (a'') is " + Stats.fmt(restoredRuntimeOwn) + " ms"));
        goal(out, "warm p50 <= 1.2 x bare SDK call (c)", median("c", ColdStartBenchmark.Sample::pairedFunctionP50Ms),
                median("c", ColdStartBenchmark.Sample::warmP50Ms), 1.2,
                "paired in one JVM on one client: function p50 %s ms / bare call p50 %s ms");
        // As deployed, warm invokes follow the priming in the snapshot: the same pairs, primed first.
        goal(out, "  the same, SnapStart-primed", median("c-snapstart", ColdStartBenchmark.Sample::pairedFunctionP50Ms),
                median("c-snapstart", ColdStartBenchmark.Sample::warmP50Ms), 1.2,
                "primed, paired: function p50 %s ms / bare call p50 %s ms");
        printOfflineSplit(out);
        List<ColdStartBenchmark.Sample> s = samples.get("function");
        if (s != null) {
            double maxRss = s.stream().mapToDouble(x -> x.peakRssKib() / 1024.0).max().orElseThrow();
            double budget = options.memoryMb() * RSS_BUDGET_SHARE;
            out.printf(Locale.ROOT, "  %-45s %-6s max peak RSS %s MiB of a %d MB function (budget %s MiB = %.0f%%)%n",
                    "peak RSS fits a " + options.memoryMb() + " MB function", maxRss <= budget ? "PASS" : "MISS",
                    Stats.fmt(maxRss), options.memoryMb(), Stats.fmt(budget), RSS_BUDGET_SHARE * 100);
        }
    }

    /**
     * The diagnosis row function-offline: the function on demand with no SDK client. What it costs is a floor for the
     * on-demand goal that no choice of HTTP client or client build can go below.
     */
    private void printNoSdkFloor(PrintStream out, Double yardstickB) {
        Double noSdk = median(ColdStartBenchmark.NO_SDK_ROW, ColdStartBenchmark.Sample::coldStartMs);
        if (noSdk == null || yardstickB == null) {
            return;
        }
        out.printf(Locale.ROOT, "  %-45s init + first %s ms = %.2fx (b), before any Cloud Control client exists"
                + " (and with no priming at init)%n", "diagnosis: the function without the SDK", Stats.fmt(noSdk),
                noSdk / yardstickB);
    }

    /** The diagnosis row: the handler without the call, between bare calls, in a run of its own, back to back. */
    private void printOfflineSplit(PrintStream out) {
        Double offline = median(ColdStartBenchmark.OFFLINE_ROW, ColdStartBenchmark.Sample::pairedFunctionP50Ms);
        if (offline == null) {
            return;
        }
        Double bare = median(ColdStartBenchmark.OFFLINE_ROW, ColdStartBenchmark.Sample::warmP50Ms);
        Double run = median(ColdStartBenchmark.OFFLINE_ROW, ColdStartBenchmark.Sample::offlineRunP50Ms);
        Double loop = median(ColdStartBenchmark.OFFLINE_ROW, ColdStartBenchmark.Sample::offlineLoopMs);
        Double floor = median("a", ColdStartBenchmark.Sample::warmP50Ms);
        out.printf(Locale.ROOT, "  %-45s invoke p50 %s ms between bare calls (theirs %s ms); %s ms in a run of its"
                        + " own invokes; %s ms each, back to back in one invoke%s%n",
                "diagnosis: the handler offline (no call)", Stats.fmt(offline), Stats.fmt(bare), Stats.fmt(run),
                Stats.fmt(loop), floor == null ? "" : "; a no-op invoke (a) " + Stats.fmt(floor) + " ms");
    }

    private void goal(PrintStream out, String name, Double numerator, Double denominator, double limit,
                      String detail) {
        if (numerator == null || denominator == null) {
            out.printf("  %-45s (not measured: its rows did not run)%n", name);
            return;
        }
        double ratio = numerator / denominator;
        out.printf(Locale.ROOT, "  %-45s %-6s %.2fx  (" + detail + ")%n", name, ratio <= limit ? "PASS" : "MISS",
                ratio, Stats.fmt(numerator), Stats.fmt(denominator));
    }

    /**
     * The samples that ran the function's priming: the SnapStart ones, restored or not, and the primed pairs (before
     * the snapshot point), and the function started on demand (at init).
     */
    private List<ColdStartBenchmark.Sample> primed() {
        return Stream.of("function", ColdStartBenchmark.FUNCTION_LAMBDA_CPU_ROW, "snapstart", "restore", "c-snapstart")
                .map(samples::get)
                .filter(Objects::nonNull).flatMap(List::stream).toList();
    }

    private void printPriming(PrintStream out) {
        List<ColdStartBenchmark.Sample> s = primed();
        if (s.isEmpty()) {
            return;
        }
        Map<String, Integer> counts = new TreeMap<>();
        List<String> mutating = new ArrayList<>();
        for (ColdStartBenchmark.Sample sample : s) {
            for (CallRecord call : sample.primingCalls()) {
                counts.merge(call.operation() + " " + call.requestToken() + " -> HTTP " + call.httpStatus(), 1,
                        Integer::sum);
                if (!ColdStartBenchmark.READ_ONLY.contains(call.operation())) {
                    mutating.add(call.operation());
                }
            }
        }
        out.println("Priming: the calls the emulator logged before the SnapStart snapshot point (beforeCheckpoint, run "
                + "by the runtime client before restore/next) or, on demand, during init, over " + s.size() + " JVMs:");
        counts.forEach((call, n) -> out.printf("  %dx %s%n", n, call));
        out.println(mutating.isEmpty()
                ? "  mutating calls during priming: none"
                : "  VIOLATION: priming called mutating APIs: " + mutating);
        out.println();
    }

    boolean primingMutated() {
        return primed().stream().flatMap(x -> x.primingCalls().stream())
                .anyMatch(c -> !ColdStartBenchmark.READ_ONLY.contains(c.operation()));
    }

    private Double median(String key, ToDoubleFunction<ColdStartBenchmark.Sample> figure) {
        List<ColdStartBenchmark.Sample> s = samples.get(key);
        return s == null ? null : Stats.of(s.stream().map(figure::applyAsDouble).toList()).median();
    }

    private static String stat(List<ColdStartBenchmark.Sample> s, ToDoubleFunction<ColdStartBenchmark.Sample> figure) {
        return Stats.of(s.stream().map(figure::applyAsDouble).toList()).format();
    }

    /** Classes loaded after the first invoke, and how many of them the first invoke itself loaded (medians). */
    private static String classes(List<ColdStartBenchmark.Sample> s) {
        return Stats.fmt(Stats.of(s.stream().map(x -> (double) x.classes()).toList()).median()) + " ("
                + Stats.fmt(Stats.of(s.stream().map(x -> (double) x.firstInvokeClasses()).toList()).median()) + ")";
    }

    private static String mib(Long bytes) {
        if (bytes == null) {
            return "-";
        }
        return bytes < 1048576 ? String.format(Locale.ROOT, "%.1f KiB zip", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.2f MiB zip", bytes / 1048576.0);
    }
}
