package io.cccancel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.bench.ChaosBudgets.Retrier;
import io.cccancel.bench.ChaosPlan.Burst;
import io.cccancel.local.LocalStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plans keep the promises the chaos run's expected outcomes rest on, against the real definition. */
class ChaosPlannerTest {

    static final ChaosBudgets BUDGETS = ChaosBudgets.of(LocalStack.CANCEL_WORKFLOW);
    static final List<ChaosPlan> PLANS = new ChaosPlanner(7, BUDGETS).plans(3000);

    @Test
    void everyRetryableFaultIsRetriedByTheDefinitionWhereverItHits() {
        for (ChaosChannel channel : ChaosChannel.values()) {
            for (ChaosFault fault : ChaosFault.values()) {
                if (fault.retryable() && fault.appliesTo(channel)) {
                    assertTrue(BUDGETS.retrierFor(channel, fault).exists(),
                            fault.errorName(channel) + " (" + fault.label() + " on " + channel.label() + ") is not retried");
                }
            }
        }
        assertEquals(BUDGETS.retrierFor(ChaosChannel.INVOKE, ChaosFault.LAMBDA_THROTTLING),
                BUDGETS.retrierFor(ChaosChannel.CANCEL, ChaosFault.THROTTLING),
                "Lambda's throttling and the function's share one retrier, so one budget");
    }

    @Test
    void absorbableBurstsNeverAddUpToMoreThanARetriersMaxAttempts() {
        for (ChaosPlan plan : PLANS) {
            if (plan.outlastingBurst() != null) {
                continue;
            }
            Map<Retrier, Integer> faults = new HashMap<>();
            for (Burst burst : plan.bursts()) {
                faults.merge(BUDGETS.retrierFor(burst.channel(), burst.fault()), burst.count(), Integer::sum);
            }
            faults.forEach((retrier, count) -> assertTrue(count <= Math.max(1, retrier.maxAttempts()),
                    plan.describe() + ": " + count + " faults for " + retrier));
        }
    }

    @Test
    void aBurstPastTheRetriesIsAlone() {
        for (ChaosPlan plan : PLANS) {
            if (plan.outlastingBurst() != null) {
                assertEquals(1, plan.bursts().size(), plan.describe());
            }
        }
    }

    @Test
    void burstsPastTheRetriesAreAimedOnlyWhereTheyDecideTheOutcome() {
        for (ChaosPlan plan : PLANS) {
            Burst burst = plan.outlastingBurst();
            if (burst == null) {
                continue;
            }
            ChaosCase chaosCase = plan.chaosCase();
            if (burst.channel() == ChaosChannel.STATUS) {
                assertTrue(chaosCase.polls(), plan.describe());
            }
            if (burst.channel() == ChaosChannel.CANCEL && burst.fault() != ChaosFault.THROTTLING) {
                // A failed cancel is explained from the status: it stays a failure only while cancellable, and a
                // lost answer is a cancel that took effect.
                assertTrue(chaosCase.cancellableThroughout() || chaosCase == ChaosCase.UNKNOWN_TOKEN, plan.describe());
                assertTrue(burst.fault() != ChaosFault.LOST_RESPONSE, plan.describe());
            }
            assertTrue(chaosCase != ChaosCase.INVALID_TOKEN || burst.channel() == ChaosChannel.INVOKE, plan.describe());
        }
    }

    @Test
    void aTokenSharedByTwoExecutionsGetsNoFaults() {
        PLANS.stream().filter(p -> p.chaosCase() == ChaosCase.SAME_TOKEN_TWICE)
                .forEach(p -> assertEquals(List.of(), p.bursts()));
    }

    @Test
    void theSameSeedGivesTheSamePlans() {
        assertEquals(new ChaosPlanner(7, BUDGETS).plans(300), new ChaosPlanner(7, BUDGETS).plans(300));
    }
}
