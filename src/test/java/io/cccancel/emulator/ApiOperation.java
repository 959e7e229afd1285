package io.cccancel.emulator;

/** The Cloud Control operations the emulator serves, named as in {@code X-Amz-Target: CloudApiService.<name>}. */
public enum ApiOperation {
    CreateResource,
    UpdateResource,
    DeleteResource,
    CancelResourceRequest,
    GetResourceRequestStatus,
    ListResourceRequests;

    /** The operation named by an X-Amz-Target header value, or null when it is not one the emulator serves. */
    static ApiOperation fromTarget(String target) {
        if (target == null || !target.startsWith(CloudControlEmulator.TARGET_PREFIX)) {
            return null;
        }
        String name = target.substring(CloudControlEmulator.TARGET_PREFIX.length());
        for (ApiOperation operation : values()) {
            if (operation.name().equals(name)) {
                return operation;
            }
        }
        return null;
    }
}
