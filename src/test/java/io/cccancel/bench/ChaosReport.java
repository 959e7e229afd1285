package io.cccancel.bench;

import io.cccancel.bench.ChaosOracle.Outcome;
import io.cccancel.bench.ChaosRun.Ended;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.local.ExecutionResult.Retry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/** The chaos run's figures, from the executions' histories, the proxies' call log and the emulator. */
final class ChaosReport {

    /** An execution that did not end as the ground truth calls for. */
    record Mismatch(Ended ended, Outcome expected, Outcome reported) {
    }

    private final ChaosRun options;
    private final ChaosStack stack;
    private final List<Ended> ended;
    private final double seconds;
    private final Map<String, List<ChaosProxy.Call>> callsByToken;
    private final List<Mismatch> mismatches = new ArrayList<>();
    private final List<Outcome> expected = new ArrayList<>();
    private final List<Outcome> reported = new ArrayList<>();

    ChaosReport(ChaosRun options, ChaosStack stack, List<Ended> ended, double seconds) {
        this.options = options;
        this.stack = stack;
        this.ended = ended;
        this.seconds = seconds;
        this.callsByToken = stack.calls().stream().filter(c -> c.requestToken() != null)
                .collect(Collectors.groupingBy(ChaosProxy.Call::requestToken));
        for (Ended e : ended) {
            Outcome want = ChaosOracle.expected(e.plan(), e.settled(), calls(e.plan()));
            Outcome got = e.result() == null
                    ? new Outcome("(could not run)", null, String.valueOf(e.failure()))
                    : ChaosOracle.reported(e.result());
            expected.add(want);
            reported.add(got);
            if (!ChaosOracle.matches(want, got)) {
                mismatches.add(new Mismatch(e, want, got));
            }
        }
    }

    List<Mismatch> mismatches() {
        return mismatches;
    }

    void print(PrintStream out) {
        out.printf(Locale.ROOT, "Chaos run: %d executions, seed %d, %d at once, in %.1f s%n", ended.size(),
                options.seed, options.concurrency, seconds);
        out.printf(Locale.ROOT, "Time: the wall clock. Wait states really wait (RetryAfter 1-2 s ahead, "
                + "PollIntervalSeconds %d s); Retry intervals are %d ms instead of the definition's seconds "
                + "(the retry counts are the definition's).%n", ChaosRun.POLL_INTERVAL_SECONDS, ChaosRun.RETRY_INTERVAL_MS);
        if (options.list) {
            printList(out);
        }
        printPlans(out);
        printFaults(out);
        printRetries(out);
        printOutcomes(out);
        printMismatches(out);
        printCalls(out);
        printChecks(out);
    }

    private void printList(PrintStream out) {
        out.println();
        for (int i = 0; i < ended.size(); i++) {
            Ended e = ended.get(i);
            out.printf("#%-4d %-46s expected %-62s reported %s%n", e.plan().number(), e.plan().describe(),
                    expected.get(i), reported.get(i));
        }
    }

    private void printPlans(PrintStream out) {
        out.println();
        out.println("| plan (the request in the emulator) | executions | no faults | absorbable bursts | a burst past the retries |");
        out.println("|---|---:|---:|---:|---:|");
        for (ChaosCase c : ChaosCase.values()) {
            List<Ended> of = ended.stream().filter(e -> e.plan().chaosCase() == c).toList();
            out.printf("| %s | %d | %d | %d | %d |%n", c.label(), of.size(),
                    count(of, e -> e.plan().bursts().isEmpty() ? 1 : 0),
                    count(of, e -> !e.plan().bursts().isEmpty() && e.plan().outlastingBurst() == null ? 1 : 0),
                    count(of, e -> e.plan().outlastingBurst() != null ? 1 : 0));
        }
    }

    private void printFaults(PrintStream out) {
        Map<ChaosFault, Map<ChaosChannel, Integer>> faults = new EnumMap<>(ChaosFault.class);
        for (ChaosProxy.Call call : stack.calls()) {
            if (call.fault() != null) {
                faults.computeIfAbsent(call.fault(), f -> new EnumMap<>(ChaosChannel.class))
                        .merge(call.channel(), 1, Integer::sum);
            }
        }
        out.println();
        out.println("| fault injected (calls that got it) | on Invoke | on CancelResourceRequest (function) "
                + "| on GetResourceRequestStatus (workflow) | total |");
        out.println("|---|---:|---:|---:|---:|");
        int total = 0;
        for (var entry : faults.entrySet()) {
            Map<ChaosChannel, Integer> by = entry.getValue();
            int sum = by.values().stream().mapToInt(Integer::intValue).sum();
            total += sum;
            out.printf("| %s | %s | %s | %s | %d |%n", entry.getKey().label(), cell(by.get(ChaosChannel.INVOKE)),
                    cell(by.get(ChaosChannel.CANCEL)), cell(by.get(ChaosChannel.STATUS)), sum);
        }
        out.printf("| all | | | | %d |%n", total);
    }

    private void printRetries(PrintStream out) {
        Map<String, int[]> retries = new TreeMap<>();
        for (int i = 0; i < ended.size(); i++) {
            Ended e = ended.get(i);
            if (e.result() == null) {
                continue;
            }
            boolean gaveUp = ChaosOracle.ERROR.equals(reported.get(i).outcome());
            for (Retry retry : e.result().retries()) {
                retries.computeIfAbsent(retry.state() + " | " + retry.error(), k -> new int[2])[gaveUp ? 1 : 0]++;
            }
        }
        out.println();
        out.println("| state | error retried | retries absorbed | retries before an Error |");
        out.println("|---|---|---:|---:|");
        retries.forEach((key, n) -> out.printf("| %s | %d | %d |%n", key, n[0], n[1]));
    }

    private void printOutcomes(PrintStream out) {
        Map<String, int[]> outcomes = new TreeMap<>();
        for (int i = 0; i < ended.size(); i++) {
            outcomes.computeIfAbsent(expected.get(i).outcome(), k -> new int[2])[0]++;
            outcomes.computeIfAbsent(reported.get(i).outcome(), k -> new int[2])[1]++;
        }
        out.println();
        out.println("| outcome | expected (ground truth) | reported (workflow) |");
        out.println("|---|---:|---:|");
        outcomes.forEach((outcome, n) -> out.printf("| %s | %d | %d |%n", outcome, n[0], n[1]));
    }

    private void printMismatches(PrintStream out) {
        out.printf("%nMismatches: %d%n", mismatches.size());
        for (Mismatch m : mismatches) {
            ChaosPlan plan = m.ended().plan();
            out.printf("  #%d %s [RequestToken %s]%n    expected %s: %s%n    reported %s%n", plan.number(),
                    plan.describe(), plan.requestToken(), m.expected(), m.expected().why(), m.reported());
            if (m.reported().why() != null) {
                out.printf("    cause: %s%n", abbreviate(m.reported().why(), 400));
            }
        }
    }

    private void printCalls(PrintStream out) {
        // A token run twice has one call count for both of its executions: those are left out here.
        List<Ended> own = ended.stream().filter(e -> e.plan().chaosCase().executions() == 1 && e.result() != null)
                .toList();
        out.println();
        out.printf("| per execution (%d on a token of their own) | mean | max |%n", own.size());
        out.println("|---|---:|---:|");
        for (ChaosChannel channel : ChaosChannel.values()) {
            row(out, channel.label() + " calls", own, e -> (int) calls(e.plan()).stream()
                    .filter(c -> c.channel() == channel).count());
        }
        row(out, "Cloud Control calls, all", own, e -> (int) calls(e.plan()).stream()
                .filter(c -> c.channel() != ChaosChannel.INVOKE).count());
        row(out, "state transitions", own, e -> e.result().stateTransitions());
    }

    private void printChecks(PrintStream out) {
        CloudControlEmulator cloudControl = stack.cloudControl;
        long reportedComplete = reported.stream().filter(o -> ChaosOracle.CANCEL_COMPLETE.equals(o.outcome())).count();
        long trulyComplete = 0;
        for (int i = 0; i < ended.size(); i++) {
            if (ChaosOracle.CANCEL_COMPLETE.equals(reported.get(i).outcome())
                    && ChaosOracle.CANCEL_COMPLETE.equals(ended.get(i).atEnd().operationStatus())) {
                trulyComplete++;
            }
        }
        List<Ended> twice = ended.stream().filter(e -> e.plan().chaosCase() == ChaosCase.SAME_TOKEN_TWICE).toList();
        long twiceCancelledOnce = twice.stream().filter(e -> e.settled().acceptedCancels() == 1).count();
        List<ChaosProxy.Call> all = stack.calls();
        long passedOn = all.stream().filter(c -> c.channel() != ChaosChannel.INVOKE
                && (c.fault() == null || c.fault() == ChaosFault.LOST_RESPONSE)).count();
        long preCancels = ended.stream().filter(e -> e.plan().chaosCase() == ChaosCase.ALREADY_CANCELLED).count();
        long faultAnswers = stack.faultEmulators.values().stream().mapToLong(f -> f.calls().size()).sum();
        long proxiedFaults = all.stream().filter(c -> c.fault() != null && c.fault().emulatorFault() != null).count();
        long throttled = stack.throttlingLambda.invocations().size();
        long proxiedThrottles = all.stream().filter(c -> c.fault() == ChaosFault.LAMBDA_THROTTLING).count();
        out.println();
        out.println("Ground truth and cross-checks:");
        out.printf("  reported CANCEL_COMPLETE: %d executions; CANCEL_COMPLETE in the emulator when they ended: %d%n",
                reportedComplete, trulyComplete);
        out.printf("  executions sharing a token: %d; their token was cancelled exactly once: %d%n", twice.size(),
                twiceCancelledOnce);
        out.printf("  Cloud Control calls the emulator received: %d = %d passed on by the proxies + %d cancels made "
                + "before a run%n", cloudControl.calls().size(), passedOn, preCancels);
        out.printf("  faults answered by the fault emulators: %d, by the throttling Lambda endpoint: %d "
                + "(the proxies sent %d and %d)%n", faultAnswers, throttled, proxiedFaults, proxiedThrottles);
        out.printf("  function containers started: %d%n", stack.function.started());
    }

    private List<ChaosProxy.Call> calls(ChaosPlan plan) {
        return callsByToken.getOrDefault(plan.requestToken(), List.of());
    }

    private static void row(PrintStream out, String name, List<Ended> executions, ToIntFunction<Ended> figure) {
        int[] values = executions.stream().mapToInt(figure).toArray();
        double mean = values.length == 0 ? 0 : (double) Arrays.stream(values).sum() / values.length;
        int max = Arrays.stream(values).max().orElse(0);
        out.printf(Locale.ROOT, "| %s | %.2f | %d |%n", name, mean, max);
    }

    private static int count(List<Ended> executions, ToIntFunction<Ended> one) {
        return executions.stream().mapToInt(one).sum();
    }

    private static String cell(Integer n) {
        return n == null ? "" : String.valueOf(n);
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...";
    }
}
