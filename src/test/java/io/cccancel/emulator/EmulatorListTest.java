package io.cccancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.CloudControlException;
import software.amazon.awssdk.services.cloudcontrol.model.ListResourceRequestsResponse;
import software.amazon.awssdk.services.cloudcontrol.model.OperationStatus;
import software.amazon.awssdk.services.cloudcontrol.model.ProgressEvent;

/** ListResourceRequests: all statuses unless filtered, default page size 20, opaque and stable NextToken. */
class EmulatorListTest {

    @AutoClose
    private final CloudControlEmulator emulator = CloudControlEmulator.start();
    @AutoClose
    private final CloudControlClient client = emulator.newClientWithoutRetries();

    private static List<String> tokens(ListResourceRequestsResponse page) {
        return page.resourceRequestStatusSummaries().stream().map(ProgressEvent::requestToken).toList();
    }

    @Test
    void listsRequestsOfEveryStatusInStartOrderWithADefaultPageOf20() {
        List<String> seeded = emulator.seedRequests(25, SeedRequest.of("DELETE", "AWS::S3::Bucket", "b"));
        String cancelled = seeded.get(3);
        client.cancelResourceRequest(r -> r.requestToken(cancelled));
        emulator.advanceClock(Duration.ofSeconds(2));
        emulator.startRequest("CREATE", "AWS::SQS::Queue", null); // PENDING

        ListResourceRequestsResponse first = client.listResourceRequests(r -> { });
        assertEquals(seeded.subList(0, 20), tokens(first));
        assertEquals(OperationStatus.CANCEL_IN_PROGRESS, first.resourceRequestStatusSummaries().get(3).operationStatus());
        assertEquals(OperationStatus.IN_PROGRESS, first.resourceRequestStatusSummaries().get(0).operationStatus());
        assertNotNull(first.nextToken());

        ListResourceRequestsResponse second = client.listResourceRequests(r -> r.nextToken(first.nextToken()));
        assertEquals(6, second.resourceRequestStatusSummaries().size());
        assertEquals(seeded.subList(20, 25), tokens(second).subList(0, 5));
        assertEquals(OperationStatus.PENDING, second.resourceRequestStatusSummaries().get(5).operationStatus());
        assertNull(second.nextToken());
    }

    @Test
    void filtersByOperationAndStatus() {
        String deleting = emulator.startRequest("DELETE", "AWS::S3::Bucket", "a");
        String creating = emulator.startRequest("CREATE", "AWS::S3::Bucket", null);
        String updating = emulator.startRequest("UPDATE", "AWS::S3::Bucket", "c");
        String finished = emulator.startRequest("DELETE", "AWS::S3::Bucket", "d",
                Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ZERO));
        client.cancelResourceRequest(r -> r.requestToken(updating));

        assertEquals(List.of(deleting, finished), tokens(client.listResourceRequests(r -> r
                .resourceRequestStatusFilter(f -> f.operationsWithStrings("DELETE")))));
        assertEquals(List.of(deleting, creating), tokens(client.listResourceRequests(r -> r
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("PENDING", "IN_PROGRESS")))));
        assertEquals(List.of(deleting), tokens(client.listResourceRequests(r -> r
                .resourceRequestStatusFilter(f -> f.operationsWithStrings("DELETE", "UPDATE")
                        .operationStatusesWithStrings("PENDING")))));
        assertEquals(List.of(updating), tokens(client.listResourceRequests(r -> r
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("CANCEL_IN_PROGRESS")))));
        assertEquals(List.of(finished), tokens(client.listResourceRequests(r -> r
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("SUCCESS")))));
    }

    @Test
    void offsetTokensSkipAsManyRequestsAsLeftTheFilterBetweenPages() {
        emulator.offsetNextTokens(true);
        List<String> seeded = emulator.seedRequests(5, SeedRequest.of("DELETE", "AWS::S3::Bucket", "b"));
        emulator.advanceClock(Duration.ofSeconds(2)); // past PENDING
        ListResourceRequestsResponse first = client.listResourceRequests(r -> r.maxResults(2)
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("IN_PROGRESS")));
        assertEquals(seeded.subList(0, 2), tokens(first));
        tokens(first).forEach(t -> client.cancelResourceRequest(r -> r.requestToken(t)));

        ListResourceRequestsResponse second = client.listResourceRequests(r -> r.maxResults(2)
                .nextToken(first.nextToken())
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("IN_PROGRESS")));

        assertEquals(List.of(seeded.get(4)), tokens(second), "the two requests that moved up were skipped");
        assertNull(second.nextToken());
    }

    @Test
    void paginationWithAFilterVisitsEveryMatchOnceAndSaysWhenThereIsNoMore() {
        List<String> seeded = emulator.seedRequests(10, SeedRequest.of("DELETE", "AWS::S3::Bucket", "b"));
        List<String> cancelled = List.of(seeded.get(1), seeded.get(4), seeded.get(9));
        cancelled.forEach(t -> client.cancelResourceRequest(r -> r.requestToken(t)));

        ListResourceRequestsResponse page = client.listResourceRequests(r -> r.maxResults(2)
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("CANCEL_IN_PROGRESS")));
        assertEquals(cancelled.subList(0, 2), tokens(page));
        String next = page.nextToken();
        assertTrue(next.matches("[-A-Za-z0-9+/=]+"), next);
        ListResourceRequestsResponse last = client.listResourceRequests(r -> r.maxResults(2).nextToken(next)
                .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("CANCEL_IN_PROGRESS")));
        assertEquals(cancelled.subList(2, 3), tokens(last));
        assertNull(last.nextToken(), "no NextToken when nothing more matches");
    }

    @Test
    void pagesStayStableWhenRequestsStartBetweenPages() {
        List<String> seeded = emulator.seedRequests(4, SeedRequest.of("DELETE", "AWS::S3::Bucket", "b"));
        ListResourceRequestsResponse first = client.listResourceRequests(r -> r.maxResults(2));
        emulator.seedRequests(3, SeedRequest.of("CREATE", "AWS::S3::Bucket", null));

        List<String> rest = new ArrayList<>();
        String next = first.nextToken();
        while (next != null) {
            String token = next;
            ListResourceRequestsResponse page = client.listResourceRequests(r -> r.maxResults(2).nextToken(token));
            rest.addAll(tokens(page));
            next = page.nextToken();
        }
        assertEquals(seeded.subList(2, 4), rest.subList(0, 2), "nothing skipped or repeated");
        assertEquals(5, rest.size());
    }

    @Test
    void theSdkPaginatorWalksEveryPage() {
        emulator.seedRequests(45, SeedRequest.of("DELETE", "AWS::S3::Bucket", "b"));
        assertEquals(45, client.listResourceRequestsPaginator(r -> r.maxResults(10))
                .resourceRequestStatusSummaries().stream().count());
        assertEquals(5, emulator.callCount(ApiOperation.ListResourceRequests));
    }

    @Test
    void aNextTokenTheApiDidNotIssueIsRejected() {
        CloudControlException e = assertThrows(CloudControlException.class,
                () -> client.listResourceRequests(r -> r.nextToken("bm90LW91cnM=")));
        assertEquals("InvalidRequestException", e.awsErrorDetails().errorCode());
    }

    @Test
    void bulkSeedingTwoThousandRequestsListsThemAll() {
        List<String> seeded = emulator.seedRequests(2000, SeedRequest.of("UPDATE", "AWS::Lambda::Function", "fn")
                .withLifecycle(Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofHours(1))));
        List<String> listed = client.listResourceRequestsPaginator(r -> r.maxResults(100)
                        .resourceRequestStatusFilter(f -> f.operationStatusesWithStrings("IN_PROGRESS")))
                .resourceRequestStatusSummaries().stream().map(ProgressEvent::requestToken).toList();
        assertEquals(seeded, listed);
        assertEquals("fn-2000", emulator.progressEvent(seeded.get(1999)).Identifier());
    }
}
