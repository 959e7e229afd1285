package io.cccancel.bench;

/**
 * One caller's calls of one operation, as the chaos proxies see them: where a fault can be aimed, and what the
 * per-execution call counts are counted by.
 */
enum ChaosChannel {

    /** The workflow's lambda:invoke of the cancel function; Step Functions retries it per the definition. */
    INVOKE("Invoke (workflow -> function)", true),
    /** The function's CancelResourceRequest calls; the function's SDK makes up to 3 attempts per invoke. */
    CANCEL("CancelResourceRequest (function)", true),
    /** The function's GetResourceRequestStatus, made only to explain a refused cancel; never faulted here. */
    STATUS_BY_FUNCTION("GetResourceRequestStatus (function)", false),
    /** The workflow's status polls (the SDK integration makes one attempt; the definition retries). */
    STATUS("GetResourceRequestStatus (workflow)", true);

    private final String label;
    private final boolean faultable;

    ChaosChannel(String label, boolean faultable) {
        this.label = label;
        this.faultable = faultable;
    }

    String label() {
        return label;
    }

    boolean faultable() {
        return faultable;
    }

    /** The Task state whose Retry absorbs this channel's failures. */
    String retryingState() {
        return this == STATUS ? "GetResourceRequestStatus" : "CancelResourceRequest";
    }
}
