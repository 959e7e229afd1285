package io.cccancel.testing;

import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.ResourceRequestPage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A CloudControl port that records every call and answers from scripted functions. For tests of the decisions and
 * of input validation ("no API call is made"); the wire tests use the emulator and the real SDK instead.
 */
public final class RecordingCloudControl implements CloudControl {

    public final List<String> calls = new ArrayList<>();
    public Function<String, ProgressEvent> onCancel = token -> {
        throw new AssertionError("CancelResourceRequest was not expected");
    };
    public Function<String, ProgressEvent> onGetStatus = token -> {
        throw new AssertionError("GetResourceRequestStatus was not expected");
    };

    @Override
    public ProgressEvent cancelResourceRequest(String requestToken) {
        calls.add("CancelResourceRequest " + requestToken);
        return onCancel.apply(requestToken);
    }

    @Override
    public ProgressEvent getResourceRequestStatus(String requestToken) {
        calls.add("GetResourceRequestStatus " + requestToken);
        return onGetStatus.apply(requestToken);
    }

    /** Answers ListResourceRequests from a fixed list, paginating by index as an opaque token would. */
    public List<ProgressEvent> listed = List.of();

    @Override
    public ResourceRequestPage listResourceRequests(List<String> operationStatuses, String nextToken, int maxResults) {
        calls.add("ListResourceRequests " + nextToken + " " + maxResults);
        List<ProgressEvent> inFlight = listed.stream()
                .filter(e -> operationStatuses.contains(e.OperationStatus())).toList();
        int from = nextToken == null ? 0 : Integer.parseInt(nextToken);
        int to = Math.min(inFlight.size(), from + maxResults);
        return new ResourceRequestPage(inFlight.subList(from, to), to < inFlight.size() ? String.valueOf(to) : null);
    }
}
