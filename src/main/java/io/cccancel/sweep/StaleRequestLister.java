package io.cccancel.sweep;

import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.ResourceRequestPage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists in-flight (PENDING, IN_PROGRESS) requests page by page and keeps those the filter matches. One call returns
 * at most {@code pageSize} matches and the token to continue from, so the Step Functions payload stays small
 * (100 tokens are a few KB, far from the 256 KB limit) whatever the account holds.
 */
public final class StaleRequestLister {

    /** The statuses a cancel can act on: the only ones worth listing. */
    static final List<String> IN_FLIGHT = List.of("PENDING", "IN_PROGRESS");
    /** The API's MaxResults ceiling, and so the page size of the sweep. */
    public static final int MAX_PAGE_SIZE = 100;
    /** Bounds one invocation's work when filters match little: the workflow simply asks for the next page. */
    static final int MAX_API_PAGES_PER_CALL = 20;
    /** Kept back from the invoke's time for what follows the last call: the answer and its log line. */
    public static final Duration MARGIN = Duration.ofSeconds(2);

    public record Page(List<ProgressEvent> Requests, String NextToken, int ApiPagesRead) {
    }

    private final CloudControl cloudControl;
    private final Clock clock;
    private final Duration callBudget;

    /** @param callBudget the longest one Cloud Control call may take, its retries included (the client's timeout) */
    public StaleRequestLister(CloudControl cloudControl, Clock clock, Duration callBudget) {
        this.cloudControl = cloudControl;
        this.clock = clock;
        this.callBudget = callBudget;
    }

    /**
     * @param timeLeft the invoke's remaining time: another call starts only if it would end inside it, so a slow
     *                 Cloud Control shortens the page (the workflow goes on from its NextToken) instead of running
     *                 the function into its timeout
     */
    public Page listPage(SweepFilter filter, String nextToken, int pageSize, Duration timeLeft) {
        long started = System.nanoTime();
        List<ProgressEvent> matches = new ArrayList<>();
        // Whether the API's NextToken is a position that holds while the list changes is not documented: a request
        // listed twice within one page would get two cancel workflows and be counted twice.
        Set<String> listed = new HashSet<>();
        String token = nextToken;
        int apiPages = 0;
        do {
            // Never ask for more than the room left, so no listed request is skipped past or dropped.
            ResourceRequestPage page = cloudControl.listResourceRequests(IN_FLIGHT, token, pageSize - matches.size());
            apiPages++;
            for (ProgressEvent event : page.ResourceRequestStatusSummaries()) {
                // No token, nothing to cancel: the workflow reads each listed request's RequestToken.
                if (event.RequestToken() != null && event.isCancellable() && filter.matches(event, clock.instant())
                        && listed.add(event.RequestToken())) {
                    matches.add(event);
                }
            }
            token = page.NextToken();
        } while (token != null && matches.size() < pageSize && apiPages < MAX_API_PAGES_PER_CALL
                && roomForAnotherCall(timeLeft.minusNanos(System.nanoTime() - started)));
        return new Page(List.copyOf(matches), token, apiPages);
    }

    private boolean roomForAnotherCall(Duration timeLeft) {
        return timeLeft.compareTo(callBudget.plus(MARGIN)) >= 0;
    }
}
