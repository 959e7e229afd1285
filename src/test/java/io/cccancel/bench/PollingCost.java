package io.cccancel.bench;

import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.RetryAfterPolicy;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.local.ExecutionEvent;
import io.cccancel.local.ExecutionRequest;
import io.cccancel.local.ExecutionResult;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * What watching a cancel costs: for cancels that take a known time T, with RetryAfter a known hint H ahead on every
 * event (or none, and the poll interval P instead), the status polls and state transitions each execution made,
 * against the floor of one poll per hint (ceil(T/H), or ceil(T/P)), and how long after the emulator reached
 * CANCEL_COMPLETE the workflow had the answer. Nothing is skipped or shortened: every wait is real, on the wall clock.
 */
final class PollingCost {

    /**
     * @param hint                RetryAfter this far ahead on every event; null: no RetryAfter at all
     * @param pollIntervalSeconds the PollIntervalSeconds input (what the workflow waits without RetryAfter)
     */
    record Case(Duration cancel, Duration hint, int pollIntervalSeconds) {

        /** One poll per hint (or interval) is the least that can see the cancel complete. */
        int floorPolls() {
            long step = hint != null ? hint.toMillis() : pollIntervalSeconds * 1000L;
            return step <= 0 ? 1 : (int) Math.ceilDiv(cancel.toMillis(), step);
        }

        Lifecycle lifecycle() {
            return Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(ChaosCase.HOUR).withCancelTaking(cancel)
                    .withRetryAfter(hint == null ? RetryAfterPolicy.never() : RetryAfterPolicy.always(hint));
        }
    }

    /** One execution's figures; {@code noticedAfter} is null when it did not end CANCEL_COMPLETE. */
    record Row(Case polled, String outcome, int polls, int stateTransitions, Duration noticedAfter) {
    }

    static final List<Case> CASES = List.of(
            new Case(Duration.ofSeconds(3), Duration.ofSeconds(1), 10),
            new Case(Duration.ofSeconds(5), Duration.ofSeconds(2), 10),
            new Case(Duration.ofSeconds(10), Duration.ofSeconds(5), 10),
            new Case(Duration.ofSeconds(10), Duration.ofSeconds(1), 10),
            new Case(Duration.ofSeconds(5), null, 1),
            new Case(Duration.ofSeconds(12), null, 10));
    static final int REPETITIONS = 3;
    /** States entered before the first poll and after the last one: ApplyDefaults ... CancelResourceRequest, then CheckOperationStatus and CancelComplete. */
    static final int TRANSITIONS_OUTSIDE_THE_LOOP = 8;
    /** CheckOperationStatus, a Wait, GetResourceRequestStatus, CountPoll. */
    static final int TRANSITIONS_PER_POLL = 4;

    private final ChaosStack stack;
    private final List<Row> rows = new ArrayList<>();
    private double seconds;

    PollingCost(ChaosStack stack) {
        this.stack = stack;
    }

    /** Runs every case's executions at once (they only wait); returns this with its rows. */
    PollingCost run() {
        long started = System.nanoTime();
        List<CompletableFuture<Row>> runs = new ArrayList<>();
        int n = 0;
        for (Case polled : CASES) {
            for (int i = 0; i < REPETITIONS; i++) {
                String token = stack.cloudControl.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket",
                        "polling-cost-" + ++n).withLifecycle(polled.lifecycle()));
                String input = "{\"RequestToken\": \"" + token + "\", \"PollIntervalSeconds\": "
                        + polled.pollIntervalSeconds() + "}";
                runs.add(stack.workflow.start(ExecutionRequest.of(input)).thenApply(result -> row(polled, token, result)));
            }
        }
        runs.forEach(run -> rows.add(run.join()));
        seconds = (System.nanoTime() - started) / 1e9;
        return this;
    }

    private Row row(Case polled, String token, ExecutionResult result) {
        int polls = (int) stack.calls().stream()
                .filter(c -> token.equals(c.requestToken()) && c.channel() == ChaosChannel.STATUS).count();
        String outcome = ChaosOracle.reported(result).outcome();
        Duration noticed = null;
        if (ChaosOracle.CANCEL_COMPLETE.equals(outcome)) {
            // The emulator's CANCEL_COMPLETE EventTime is when it got there: cancel accepted + T.
            Instant complete = Instant.parse(result.output().path("ProgressEvent").path("EventTime").asText());
            List<ExecutionEvent> exits = result.eventsOf("GetResourceRequestStatus").stream()
                    .filter(e -> e.is("StateExited")).toList();
            Instant answered = exits.isEmpty() ? result.events().getLast().timestamp() : exits.getLast().timestamp();
            noticed = Duration.between(complete, answered);
        }
        return new Row(polled, outcome, polls, result.stateTransitions(), noticed);
    }

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "Polling cost: %d executions (%d per case, all at once), in %.1f s. Time: the wall "
                + "clock; every Wait really waits, nothing is skipped.%n", rows.size(), REPETITIONS, seconds);
        out.println("Floor: one poll per RetryAfter hint, ceil(T/H) (without RetryAfter: ceil(T/P)); state transitions "
                + TRANSITIONS_OUTSIDE_THE_LOOP + " + " + TRANSITIONS_PER_POLL + " per poll.");
        out.println("Noticed after: from the emulator reaching CANCEL_COMPLETE (its EventTime) to the workflow having "
                + "the poll's answer (GetResourceRequestStatus exited).");
        out.println();
        out.println("| cancel takes T | RetryAfter hint H | PollIntervalSeconds P | status polls | floor | "
                + "state transitions | floor | noticed after | outcome |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Row row : rows) {
            Case c = row.polled();
            int floor = c.floorPolls();
            out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %d | %s | %s |%n", text(c.cancel()),
                    c.hint() == null ? "none" : text(c.hint()),
                    c.hint() == null ? c.pollIntervalSeconds() + " s" : "(" + c.pollIntervalSeconds() + " s)",
                    row.polls(), floor, row.stateTransitions(), TRANSITIONS_OUTSIDE_THE_LOOP + TRANSITIONS_PER_POLL * floor,
                    row.noticedAfter() == null ? "-" : String.format(Locale.ROOT, "%.3f s",
                            row.noticedAfter().toMillis() / 1000.0), row.outcome());
        }
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
