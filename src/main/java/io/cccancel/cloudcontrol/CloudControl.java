package io.cccancel.cloudcontrol;

import io.cccancel.errors.CancelResourceRequestException;

/**
 * The port to Cloud Control: the only calls the function makes, named as the API names them. Implementations
 * throw only the project's {@link CancelResourceRequestException} types, never SDK exceptions.
 */
public interface CloudControl {

    ProgressEvent cancelResourceRequest(String requestToken);

    ProgressEvent getResourceRequestStatus(String requestToken);

    /** One page of ListResourceRequests for the given statuses; {@code nextToken} null for the first page. */
    ResourceRequestPage listResourceRequests(java.util.List<String> operationStatuses, String nextToken, int maxResults);
}
