package io.cccancel.emulator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded random fault schedule for chaos runs: per operation, each call gets at most one fault, drawn with the
 * configured probabilities. Each operation draws from its own seeded stream, so the n-th call of an operation gets
 * the same fault in every run with the same seed, whatever the interleaving with other operations.
 *
 * <pre>
 *   ChaosSchedule.seeded(42)
 *       .with(ApiOperation.CancelResourceRequest, Fault.throttling(), 0.10)
 *       .with(ApiOperation.GetResourceRequestStatus, Fault.serviceUnavailable(), 0.05)
 * </pre>
 */
public final class ChaosSchedule {

    private record Entry(Fault fault, double probability) {
    }

    private final long seed;
    private final Map<ApiOperation, List<Entry>> entries = new EnumMap<>(ApiOperation.class);
    private final Map<ApiOperation, SplittableRandom> randoms = new EnumMap<>(ApiOperation.class);

    private ChaosSchedule(long seed) {
        this.seed = seed;
    }

    public static ChaosSchedule seeded(long seed) {
        return new ChaosSchedule(seed);
    }

    /** Adds a fault drawn with this probability; an operation's probabilities must add up to at most 1. */
    public synchronized ChaosSchedule with(ApiOperation operation, Fault fault, double probability) {
        List<Entry> list = entries.computeIfAbsent(operation, o -> new ArrayList<>());
        double total = probability + list.stream().mapToDouble(Entry::probability).sum();
        if (probability < 0 || total > 1.0 + 1e-9) {
            throw new IllegalArgumentException(operation + ": fault probabilities must be >= 0 and add up to <= 1");
        }
        list.add(new Entry(fault, probability));
        return this;
    }

    /** The fault for the next call of this operation, or null. */
    synchronized Fault draw(ApiOperation operation) {
        List<Entry> list = entries.get(operation);
        if (list == null) {
            return null;
        }
        double u = randoms.computeIfAbsent(operation, o -> new SplittableRandom(seed * 31 + o.ordinal())).nextDouble();
        for (Entry entry : list) {
            if (u < entry.probability()) {
                return entry.fault();
            }
            u -= entry.probability();
        }
        return null;
    }
}
