package io.cccancel.cloudcontrol;

import java.util.List;

/** One page of ListResourceRequests: the summaries and the token of the next page (null on the last one). */
public record ResourceRequestPage(List<ProgressEvent> ResourceRequestStatusSummaries, String NextToken) {
}
