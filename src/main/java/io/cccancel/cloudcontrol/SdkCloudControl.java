package io.cccancel.cloudcontrol;

import io.cccancel.errors.CancelResourceRequestException;
import io.cccancel.errors.ConcurrentModificationException;
import io.cccancel.errors.RequestRejectedException;
import io.cccancel.errors.RequestTokenNotFoundException;
import io.cccancel.errors.ServiceUnavailableException;
import io.cccancel.errors.ThrottlingException;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.ListResourceRequestsResponse;
import software.amazon.awssdk.services.cloudcontrol.model.ResourceRequestStatusFilter;

/**
 * The one adapter between the function and the AWS SDK. Every SDK exception is turned into one of the project's
 * error types here, and nowhere else: this is where an error gets its name.
 */
public final class SdkCloudControl implements CloudControl {

    /**
     * 4xx codes that mean "not now" rather than "no": the SDK itself retries them as transient (its AwsErrorCode:
     * request timeouts, a prior request still in flight) or as clock skew, which the SDK corrects on its next
     * attempt. Past the SDK's retries they stay worth retrying later, so they must not be named "do not retry".
     */
    static final Set<String> TRANSIENT_CLIENT_ERRORS = Set.of("RequestTimeout", "RequestTimeoutException",
            "PriorRequestNotComplete", "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture");

    /**
     * 409s that say another operation holds the resource right now, as ConcurrentModificationException (a 500) does:
     * Cloud Control documents them for its other operations. Like it, they pass, so they are named the same.
     */
    static final Set<String> BUSY_ERRORS = Set.of("ConcurrentOperationException", "ResourceConflictException");

    private final CloudControlClient client;

    public SdkCloudControl(CloudControlClient client) {
        this.client = client;
    }

    @Override
    public ProgressEvent cancelResourceRequest(String requestToken) {
        return call("CancelResourceRequest", requestToken, () -> answered("CancelResourceRequest",
                client.cancelResourceRequest(r -> r.requestToken(requestToken)).progressEvent()));
    }

    @Override
    public ProgressEvent getResourceRequestStatus(String requestToken) {
        return call("GetResourceRequestStatus", requestToken, () -> answered("GetResourceRequestStatus",
                client.getResourceRequestStatus(r -> r.requestToken(requestToken)).progressEvent()));
    }

    @Override
    public ResourceRequestPage listResourceRequests(List<String> operationStatuses, String nextToken, int maxResults) {
        return call("ListResourceRequests", null, () -> {
            ListResourceRequestsResponse page = client.listResourceRequests(r -> r
                    .maxResults(maxResults)
                    .nextToken(nextToken)
                    .resourceRequestStatusFilter(ResourceRequestStatusFilter.builder()
                            .operationStatusesWithStrings(operationStatuses).build()));
            return new ResourceRequestPage(
                    page.resourceRequestStatusSummaries().stream().map(SdkCloudControl::from).toList(),
                    page.nextToken());
        });
    }

    /** The API always answers with a ProgressEvent; an answer without one is a service fault, not a result. */
    private static ProgressEvent answered(String operation,
                                          software.amazon.awssdk.services.cloudcontrol.model.ProgressEvent event) {
        if (event == null) {
            throw new ServiceUnavailableException(operation, "Cloud Control answered without a ProgressEvent", null);
        }
        return from(event);
    }

    private static <T> T call(String operation, String requestToken, Supplier<T> apiCall) {
        try {
            return apiCall.get();
        } catch (SdkException e) {
            throw translate(operation, requestToken, e);
        }
    }

    /** Names an SDK failure after the SDK's own retries are spent. Match on types and codes, never on status alone. */
    static CancelResourceRequestException translate(String operation, String requestToken, SdkException e) {
        if (e instanceof software.amazon.awssdk.services.cloudcontrol.model.RequestTokenNotFoundException) {
            return new RequestTokenNotFoundException(requestToken, e);
        }
        if (e instanceof software.amazon.awssdk.services.cloudcontrol.model.ConcurrentModificationException) {
            return new ConcurrentModificationException(operation, e);
        }
        if (e instanceof AwsServiceException service) {
            if (service.isThrottlingException()) {
                return new ThrottlingException(operation, e);
            }
            String code = errorCode(service);
            if (BUSY_ERRORS.contains(code)) {
                return new ConcurrentModificationException(operation, code, e);
            }
            if (service.statusCode() >= 500 || service.statusCode() == 408 || TRANSIENT_CLIENT_ERRORS.contains(code)) {
                return new ServiceUnavailableException(operation, code + " (HTTP " + service.statusCode() + ")", e);
            }
            String message = service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage();
            return new RequestRejectedException(operation, code, service.statusCode(), message, e);
        }
        if (e instanceof SdkClientException) {
            return new ServiceUnavailableException(operation, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        return new ServiceUnavailableException(operation, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : "HTTP " + e.statusCode();
    }

    static ProgressEvent from(software.amazon.awssdk.services.cloudcontrol.model.ProgressEvent e) {
        return new ProgressEvent(e.typeName(), e.identifier(), e.requestToken(), e.hooksRequestToken(),
                e.operationAsString(), e.operationStatusAsString(), e.eventTime(), e.resourceModel(),
                e.statusMessage(), e.errorCodeAsString(), e.retryAfter());
    }
}
