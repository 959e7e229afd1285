package io.cccancel.emulator;

import java.time.Instant;
import java.util.Objects;

/**
 * A resource request put straight into the emulator (no API call), for tests and runs that need requests to cancel.
 * Start from {@link #of} and adjust; null fields take the emulator's defaults when it is started.
 *
 * @param operation      "CREATE", "UPDATE" or "DELETE"
 * @param typeName       e.g. "AWS::S3::Bucket"
 * @param identifier     the resource's primary identifier, shown in every event; null for none
 * @param resourceModel  the ProgressEvent's ResourceModel (a JSON string); null for none
 * @param lifecycle      null: the emulator's default lifecycle
 * @param startedAt      when the request started; null: the emulator's now (earlier times make older requests)
 * @param requestToken   null: a new random token
 * @param hooksRequestToken the token of the Hooks invoked for the request, shown in every event; null for none
 */
public record SeedRequest(
        String operation,
        String typeName,
        String identifier,
        String resourceModel,
        Lifecycle lifecycle,
        Instant startedAt,
        String requestToken,
        String hooksRequestToken) {

    public SeedRequest {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(typeName, "typeName");
        if (!operation.equals("CREATE") && !operation.equals("UPDATE") && !operation.equals("DELETE")) {
            throw new IllegalArgumentException("operation must be CREATE, UPDATE or DELETE, was " + operation);
        }
    }

    public static SeedRequest of(String operation, String typeName, String identifier) {
        return new SeedRequest(operation, typeName, identifier, null, null, null, null, null);
    }

    public SeedRequest withResourceModel(String resourceModel) {
        return new SeedRequest(operation, typeName, identifier, resourceModel, lifecycle, startedAt, requestToken,
                hooksRequestToken);
    }

    public SeedRequest withLifecycle(Lifecycle lifecycle) {
        return new SeedRequest(operation, typeName, identifier, resourceModel, lifecycle, startedAt, requestToken,
                hooksRequestToken);
    }

    public SeedRequest startedAt(Instant startedAt) {
        return new SeedRequest(operation, typeName, identifier, resourceModel, lifecycle, startedAt, requestToken,
                hooksRequestToken);
    }

    public SeedRequest withRequestToken(String requestToken) {
        return new SeedRequest(operation, typeName, identifier, resourceModel, lifecycle, startedAt, requestToken,
                hooksRequestToken);
    }

    /** As for a request whose resource type has Hooks: every event carries their HooksRequestToken. */
    public SeedRequest withHooksRequestToken(String hooksRequestToken) {
        return new SeedRequest(operation, typeName, identifier, resourceModel, lifecycle, startedAt, requestToken,
                hooksRequestToken);
    }
}
