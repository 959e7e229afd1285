package io.cccancel.bench;

import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.ResourceRequestPage;
import java.time.Instant;
import java.util.List;

/**
 * Accepts every cancel at once, in-process, with no call made and no SDK loaded: under the function's handler, what
 * is left of an invoke is the handler's own work (reading the event, its log line, its EMF document).
 */
final class AcceptingCloudControl implements CloudControl {

    @Override
    public ProgressEvent cancelResourceRequest(String requestToken) {
        return new ProgressEvent("AWS::Logs::LogGroup", "bench-offline", requestToken, null, "CREATE",
                "CANCEL_IN_PROGRESS", Instant.now(), null, null, null, null);
    }

    @Override
    public ProgressEvent getResourceRequestStatus(String requestToken) {
        throw new UnsupportedOperationException("never refused, so never asked");
    }

    @Override
    public ResourceRequestPage listResourceRequests(List<String> operationStatuses, String nextToken, int maxResults) {
        throw new UnsupportedOperationException("the cancel function does not list");
    }
}
