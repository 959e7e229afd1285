package io.cccancel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.emulator.CallRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The cold-start benchmark's options, rows and goal lines, on figures made up for the purpose: the benchmark itself
 * is not a test (it takes minutes and needs root for some rows), but what it runs and concludes from its figures is.
 */
class ReportTest {

    private static final String FUNCTION_MODELLED = ColdStartBenchmark.FUNCTION_LAMBDA_CPU_ROW;
    private static final String B_MODELLED = ColdStartBenchmark.B_LAMBDA_CPU_ROW;
    private static final ColdStartBenchmark.TaskRoots ROOTS = new ColdStartBenchmark.TaskRoots(Path.of("task-function"),
            Path.of("task-default-built"), Path.of("task-noop"), Path.of("task-paired"), Path.of("task-offline"));

    @Test
    void theDefaultRowsReadTheOnDemandGoalOnBothCpuModels() {
        ColdStartBenchmark.Options options = ColdStartBenchmark.Options.parse(new String[0]);

        assertFalse(options.lambdaCpu());
        assertTrue(options.rows().containsAll(List.of("function", "b", FUNCTION_MODELLED, B_MODELLED)),
                options.rows().toString());
    }

    @Test
    void theModelledRowsRunOnlyWhereTheModelCanAndOnlyBesideUnmodelledRows() {
        ColdStartBenchmark.Options host = ColdStartBenchmark.Options.parse(
                new String[] {"--rows", "function," + FUNCTION_MODELLED + ",restore"});
        Map<String, ColdStartBenchmark.Row> all = ColdStartBenchmark.rowTable(host, ROOTS);
        ColdStartBenchmark.Options lambda = ColdStartBenchmark.Options.parse(new String[] {"--cpu", "lambda"});

        assertEquals(List.of("function", FUNCTION_MODELLED, "restore"), keys(host, all, true, true));
        assertEquals(List.of("function", "restore"), keys(host, all, true, false));
        assertEquals(List.of("function", FUNCTION_MODELLED), keys(host, all, false, true));
        assertEquals(List.of("a", "function", "b", "a-snapstart", "snapstart", "c", "c-snapstart"),
                keys(lambda, all, true, true));
    }

    /** The rows as the benchmark builds them: which are modelled, and which get the function's JVM options. */
    @Test
    void onTheRealRowsOnlyTheTwoModelledRowsGetACgroupAndOnlyTheBRowsGoWithoutTheFunctionsOptions() {
        ColdStartBenchmark.Options host = ColdStartBenchmark.Options.parse(new String[0]);
        ColdStartBenchmark.Options lambda = ColdStartBenchmark.Options.parse(new String[] {"--cpu", "lambda"});
        Map<String, ColdStartBenchmark.Row> all = ColdStartBenchmark.rowTable(host, ROOTS);

        // Every name --rows takes is a row, but c-jvm: the bare call in a plain JVM, with no runtime to start.
        assertEquals(new TreeSet<>(ColdStartBenchmark.ROWS.stream().filter(k -> !k.equals("c-jvm")).toList()),
                new TreeSet<>(all.keySet()));
        assertEquals(List.of(FUNCTION_MODELLED, B_MODELLED), all.values().stream()
                .filter(row -> ColdStartBenchmark.underCpuModel(host, row)).map(ColdStartBenchmark.Row::key).toList());
        assertTrue(all.values().stream().allMatch(row -> ColdStartBenchmark.underCpuModel(lambda, row)));
        assertEquals(List.of("b", B_MODELLED), all.values().stream()
                .filter(row -> !ColdStartBenchmark.takesFunctionOptions(row)).map(ColdStartBenchmark.Row::key)
                .toList());
        assertEquals(ROOTS.defaultBuilt(), all.get(B_MODELLED).taskRoot());
        assertEquals(all.get("b").handler(), all.get(B_MODELLED).handler());
        assertEquals(all.get("function").handler(), all.get(FUNCTION_MODELLED).handler());
        assertTrue(ColdStartBenchmark.takesFunctionOptions(null), "the bare-call JVM runs with the function's options");
    }

    @Test
    void badOptionsAreRefusedByName() {
        assertTrue(refused("--rows", "function,b-lambda").startsWith("--rows: no row 'b-lambda'; the rows are "));
        assertEquals("--cpu must be host or lambda, got 'fast'", refused("--cpu", "fast"));
        assertTrue(refused("--sample", "3").startsWith("unknown option --sample (--samples N "));
        assertEquals("--rows: a row is named more than once: function,b,function",
                refused("--rows", "function,b,function"));
        assertEquals("--rows: function-lambda-cpu and b-lambda-cpu model Lambda's CPU beside rows that run "
                + "unthrottled; under --cpu lambda every row is modelled, so name function and b instead",
                refused("--cpu", "lambda", "--rows", FUNCTION_MODELLED));
        assertEquals("--samples must be a whole number from 1 to 1000, got '0'", refused("--samples", "0"));
        assertEquals("--warm must be a whole number from 1 to 100000, got '-5'", refused("--warm", "-5"));
        assertEquals("--memory must be a whole number from 128 to 10240, got '64'", refused("--memory", "64"));
        assertEquals("--env must be NAME=VALUE, got 'K'", refused("--env", "K"));
        assertEquals("--samples needs a value", refused("--samples"));
        assertEquals("--cpu needs a value", refused("--cpu", "--rows", "a"));
        assertEquals("--warm is given twice", refused("--warm", "10", "--warm", "20"));
        assertEquals("--env sets A twice", refused("--env", "A=1", "--env", "A=2"));
    }

    @Test
    void envMayBeGivenOnceAVariableAndFlagsMayStartWithDashes() {
        ColdStartBenchmark.Options options = ColdStartBenchmark.Options.parse(new String[] {"--env", "A=1", "--env",
                "B=x=y", "--runtime-flags", "--enable-preview -Xlog:gc", "--java-tool-options", ""});

        assertEquals(Map.of("A", "1", "B", "x=y"), options.functionEnv());
        assertEquals(List.of("--enable-preview", "-Xlog:gc"), options.runtimeFlags());
        assertEquals("", options.javaToolOptions());
    }

    private static String refused(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> ColdStartBenchmark.Options.parse(args))
                .getMessage();
    }

    @Test
    void anUnthrottledMissAndAModelledPassArePrintedFromTheSameRun() {
        Map<String, List<ColdStartBenchmark.Sample>> samples = new LinkedHashMap<>();
        samples.put("function", List.of(start(1400, 20), start(1420, 20), start(1500, 30)));
        samples.put("b", List.of(start(1050, 360), start(1060, 370), start(1100, 380)));
        samples.put(FUNCTION_MODELLED, List.of(start(1800, 100), start(1850, 110), start(1900, 120)));
        samples.put(B_MODELLED, List.of(start(1450, 3100), start(1470, 3200), start(1500, 3300)));

        String report = print(ColdStartBenchmark.Options.parse(new String[0]), samples);

        assertTrue(report.contains("init + first invoke <= 0.5 x yardstick (b)    MISS   1.01x  (on demand, "
                + "unthrottled CPUs: function 1440 ms / default-built 1430 ms)"), report);
        assertTrue(report.contains("  the same, Lambda's CPU modelled             PASS   0.42x  (init at 1 CPU, "
                + "invokes at 256/1769 = 0.145 of a CPU: function 1960 ms / default-built 4670 ms)"), report);
    }

    @Test
    void theModelledLineNamesTheMemoryItsVerdictDependsOn() {
        Map<String, List<ColdStartBenchmark.Sample>> samples = new LinkedHashMap<>();
        samples.put(FUNCTION_MODELLED, List.of(start(1080, 15)));
        samples.put(B_MODELLED, List.of(start(790, 770)));

        String report = print(ColdStartBenchmark.Options.parse(new String[] {"--memory", "512"}), samples);

        // The template's 512 MB: a larger share for invokes, so the same function misses where 256 MB passes.
        assertTrue(report.contains("  the same, Lambda's CPU modelled             MISS   0.70x  (init at 1 CPU, "
                + "invokes at 512/1769 = 0.289 of a CPU: function 1095 ms / default-built 1560 ms)"), report);
    }

    @Test
    void underCpuLambdaTheMainLineIsTheModelledOneAndIsNotRepeated() {
        Map<String, List<ColdStartBenchmark.Sample>> samples = new LinkedHashMap<>();
        samples.put("function", List.of(start(1800, 100)));
        samples.put("b", List.of(start(1450, 3150)));

        String report = print(ColdStartBenchmark.Options.parse(new String[] {"--cpu", "lambda"}), samples);

        assertTrue(report.contains("PASS   0.41x  (on demand, Lambda's CPU modelled: function 1900 ms / default-built"
                + " 4600 ms)"), report);
        assertFalse(report.contains("the same, Lambda's CPU modelled"), report);
    }

    @Test
    void aMutatingCallAtInitUnderTheModelledCpuFailsTheRun() {
        Map<String, List<ColdStartBenchmark.Sample>> samples = new LinkedHashMap<>();
        CallRecord cancel = new CallRecord(1, "CancelResourceRequest", "t-1", null, 200, 0);
        samples.put(FUNCTION_MODELLED, List.of(start(1800, 100, cancel)));

        Report report = report(ColdStartBenchmark.Options.parse(new String[0]), samples);

        assertTrue(report.primingMutated());
        assertTrue(print(report).contains("VIOLATION: priming called mutating APIs: [CancelResourceRequest]"));
    }

    private static ColdStartBenchmark.Row row(String key, String handler) {
        return new ColdStartBenchmark.Row(key, key, Path.of("task-" + key), handler, false, 0);
    }

    private static List<String> keys(ColdStartBenchmark.Options options, Map<String, ColdStartBenchmark.Row> all,
                                     boolean criu, boolean cpuModel) {
        return ColdStartBenchmark.runnable(options, all, criu, cpuModel).stream().map(ColdStartBenchmark.Row::key)
                .toList();
    }

    private static ColdStartBenchmark.Sample start(double initMs, double firstMs, CallRecord... atInit) {
        return new ColdStartBenchmark.Sample(initMs, firstMs, Double.NaN, Double.NaN, 100 * 1024, 5000, 25,
                List.of(atInit), Double.NaN, Double.NaN, Double.NaN);
    }

    private static Report report(ColdStartBenchmark.Options options,
                                 Map<String, List<ColdStartBenchmark.Sample>> samples) {
        List<ColdStartBenchmark.Row> rows = samples.keySet().stream().map(key -> row(key, "Handler")).toList();
        return new Report(options, rows, samples, List.of(), Map.of());
    }

    private static String print(ColdStartBenchmark.Options options,
                                Map<String, List<ColdStartBenchmark.Sample>> samples) {
        return print(report(options, samples));
    }

    private static String print(Report report) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
