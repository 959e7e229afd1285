package io.cccancel.emulator;

import io.cccancel.testing.CommandLine;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Prints the emulator's own per-call overhead (server-side handling time, from the call log) and the SDK round trip,
 * over a few thousand real SDK calls: GetResourceRequestStatus, CancelResourceRequest and ListResourceRequests.
 * Not a test: {@code EmulatorOverheadBenchmark [--calls N] [--warmup N]}.
 */
public final class EmulatorOverheadBenchmark {

    private EmulatorOverheadBenchmark() {
    }

    /** The calls measured, and the calls made before them that are not. */
    public record Options(int calls, int warmup) {
    }

    /** {@code --calls N} (1..1,000,000, default 3,000) and {@code --warmup N} (0..1,000,000, default 1,000). */
    public static Options parseOptions(String[] args) {
        int calls = 3000;
        int warmup = 1000;
        CommandLine line = new CommandLine(args);
        while (line.hasNext()) {
            String option = line.option();
            switch (option) {
                case "--calls" -> calls = line.wholeNumber(option, 1, 1_000_000);
                case "--warmup" -> warmup = line.wholeNumber(option, 0, 1_000_000);
                default -> throw CommandLine.unknown(option);
            }
        }
        return new Options(calls, warmup);
    }

    public static void main(String[] args) {
        Options options = CommandLine.parseOrExit("./dev bench emulator", " (usage: [--calls N] [--warmup N])",
                () -> parseOptions(args));
        int calls = options.calls();
        int warmup = options.warmup();
        try (CloudControlEmulator emulator = CloudControlEmulator.start();
             CloudControlClient client = emulator.newClientWithoutRetries()) {
            List<String> tokens = emulator.seedRequests(calls + warmup, SeedRequest.of("DELETE", "AWS::S3::Bucket", "b")
                    .withLifecycle(Lifecycle.DEFAULT.withInProgress(Duration.ofHours(1))));
            run(client, tokens.subList(0, warmup));
            emulator.clearCalls();
            long[] roundTrips = run(client, tokens.subList(warmup, warmup + calls));
            long[] handling = emulator.calls().stream().mapToLong(CallRecord::handlingNanos).toArray();
            System.out.printf("emulator overhead (server-side handling) over %d SDK calls: p50 %s  p99 %s  max %s%n",
                    handling.length, micros(handling, 0.50), micros(handling, 0.99), micros(handling, 1.0));
            System.out.printf("SDK round trip (client side, same calls):               p50 %s  p99 %s  max %s%n",
                    micros(roundTrips, 0.50), micros(roundTrips, 0.99), micros(roundTrips, 1.0));
            System.out.println("calls per operation: " + emulator.callCounts());
        }
    }

    /** One call per token, cycling through status, cancel and list; returns the client-side round trips. */
    private static long[] run(CloudControlClient client, List<String> tokens) {
        long[] roundTrips = new long[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            long start = System.nanoTime();
            switch (i % 3) {
                case 0 -> client.getResourceRequestStatus(r -> r.requestToken(token));
                case 1 -> client.cancelResourceRequest(r -> r.requestToken(token));
                default -> client.listResourceRequests(r -> r.maxResults(10)
                        .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("CANCEL_IN_PROGRESS")));
            }
            roundTrips[i] = System.nanoTime() - start;
        }
        return roundTrips;
    }

    private static String micros(long[] nanos, double quantile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return String.format("%7.1f µs", sorted[Math.max(0, index)] / 1000.0);
    }
}
