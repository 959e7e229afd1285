package io.cccancel.bench;

import io.cccancel.bench.ChaosBudgets.Retrier;
import io.cccancel.bench.ChaosPlan.Burst;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Draws the chaos run's plans from one seed. Each plan's faults are of two sorts, never mixed up:
 * <ul>
 *   <li>absorbable bursts: transient faults, at most as many per retrier as its MaxAttempts in the definition
 *       (counting every fault as a failed attempt, though the function's SDK absorbs some itself), so no retry
 *       budget can run out; a transient fault no retrier catches gets a budget of one, since every transient
 *       fault ought to be retried;</li>
 *   <li>an outlasting burst: a transient fault on every call of a channel from some call on, which no finite
 *       budget gets past, or a refusal (AccessDenied) aimed where the function cannot explain it away.</li>
 * </ul>
 */
final class ChaosPlanner {

    /** Shares of plans with no faults, with absorbable bursts only, and with one outlasting burst (the rest). */
    private static final int NO_FAULTS_PERCENT = 35;
    private static final int ABSORBABLE_PERCENT = 50;

    private final SplittableRandom random;
    private final ChaosBudgets budgets;

    ChaosPlanner(long seed, ChaosBudgets budgets) {
        this.random = new SplittableRandom(seed);
        this.budgets = budgets;
    }

    /** Plans for at least {@code executions} executions (a token run twice counts two). */
    List<ChaosPlan> plans(int executions) {
        List<ChaosPlan> plans = new ArrayList<>();
        int planned = 0;
        while (planned < executions) {
            ChaosCase chaosCase = ChaosCase.draw(random);
            if (planned + chaosCase.executions() > executions) {
                continue;
            }
            plans.add(plan(plans.size() + 1, chaosCase));
            planned += chaosCase.executions();
        }
        return plans;
    }

    private ChaosPlan plan(int number, ChaosCase chaosCase) {
        String token = chaosCase == ChaosCase.INVALID_TOKEN ? "not a token #" + number
                : new UUID(random.nextLong(), random.nextLong()).toString();
        Integer maxPolls = chaosCase == ChaosCase.STUCK ? random.nextInt(2, 5) : null;
        return new ChaosPlan(number, chaosCase, token, chaosCase.lifecycle(random), maxPolls, bursts(chaosCase));
    }

    private List<Burst> bursts(ChaosCase chaosCase) {
        if (chaosCase == ChaosCase.SAME_TOKEN_TWICE) {
            return List.of(); // two executions share the token's call counts: faults could not be aimed at one
        }
        int pick = random.nextInt(100);
        if (pick < NO_FAULTS_PERCENT) {
            return List.of();
        }
        return pick < NO_FAULTS_PERCENT + ABSORBABLE_PERCENT ? absorbable(chaosCase) : List.of(outlasting(chaosCase));
    }

    private List<Burst> absorbable(ChaosCase chaosCase) {
        List<ChaosChannel> channels = new ArrayList<>(channelsReached(chaosCase));
        shuffle(channels);
        int wanted = random.nextInt(1, channels.size() + 1);
        Map<Retrier, Integer> used = new HashMap<>();
        List<Burst> bursts = new ArrayList<>();
        for (ChaosChannel channel : channels.subList(0, wanted)) {
            ChaosFault fault = pickFault(channel, true);
            Retrier retrier = budgets.retrierFor(channel, fault);
            int budget = retrier.exists() ? retrier.maxAttempts() : 1;
            int left = budget - used.getOrDefault(retrier, 0);
            if (left <= 0) {
                continue;
            }
            int count = random.nextInt(4) == 0 ? left : random.nextInt(1, left + 1); // a quarter right at the edge
            used.merge(retrier, count, Integer::sum);
            bursts.add(new Burst(channel, fault, firstCall(channel), count));
        }
        return bursts;
    }

    private Burst outlasting(ChaosCase chaosCase) {
        List<ChaosChannel> channels = new ArrayList<>(List.of(ChaosChannel.INVOKE));
        if (chaosCase != ChaosCase.INVALID_TOKEN) {
            channels.add(ChaosChannel.CANCEL);
        }
        if (chaosCase.polls()) {
            channels.add(ChaosChannel.STATUS);
        }
        ChaosChannel channel = channels.get(random.nextInt(channels.size()));
        // A failed cancel is explained from the request's status: only where the status keeps it a failure.
        boolean refusalStays = chaosCase.cancellableThroughout() || chaosCase == ChaosCase.UNKNOWN_TOKEN;
        ChaosFault fault;
        do {
            fault = pickFault(channel, false);
        } while (channel == ChaosChannel.CANCEL && !fault.outlastsTheFunctionsStatusRead(refusalStays));
        int count = fault.retryable() ? ChaosPlan.PERSISTENT : 1;
        return new Burst(channel, fault, firstCall(channel), count);
    }

    /** The channels whose calls this case's executions make (a burst elsewhere would never fire). */
    private static List<ChaosChannel> channelsReached(ChaosCase chaosCase) {
        return switch (chaosCase) {
            case INVALID_TOKEN -> List.of(ChaosChannel.INVOKE);
            case UNKNOWN_TOKEN, ALREADY_SUCCEEDED, ALREADY_FAILED -> List.of(ChaosChannel.INVOKE, ChaosChannel.CANCEL);
            default -> List.of(ChaosChannel.INVOKE, ChaosChannel.CANCEL, ChaosChannel.STATUS);
        };
    }

    /** A fault this channel can get; {@code retryableOnly}: no refusals (those are aimed at the function's cancel). */
    private ChaosFault pickFault(ChaosChannel channel, boolean retryableOnly) {
        List<ChaosFault> faults = Arrays.stream(ChaosFault.values())
                .filter(f -> f.appliesTo(channel) && (f.retryable() || (!retryableOnly && channel == ChaosChannel.CANCEL)))
                .toList();
        return faults.get(random.nextInt(faults.size()));
    }

    /** Status polls: a burst may start at the first or the second; the others start at the first call. */
    private int firstCall(ChaosChannel channel) {
        return channel == ChaosChannel.STATUS ? random.nextInt(1, 3) : 1;
    }

    private <T> void shuffle(List<T> list) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
