package io.cccancel;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.SdkCloudControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;

/**
 * Lambda entry point: cancels the Cloud Control request named by the event's RequestToken and returns
 * {@code {"ProgressEvent": {...}}}. A stream handler, so that any bytes at all (non-JSON, 1 MB, an array) get the
 * documented {@link io.cccancel.errors.InvalidRequestTokenException} instead of a runtime serialization error.
 *
 * <p>Configuration (environment): {@code INCLUDE_RESOURCE_MODEL=true} puts ResourceModel back in the output (it is
 * left out by default: it can hold secrets); {@code POWERTOOLS_*} for logs and metrics; the SDK's own
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_CLOUDCONTROL}, {@code AWS_MAX_ATTEMPTS}.
 */
public final class CancelResourceRequestHandler implements RequestStreamHandler, Resource {

    static final String DEFAULT_METRICS_NAMESPACE = "CloudControlCancel";

    /** Built once per container, at init, so SnapStart snapshots a ready client. */
    private static final class Default {
        static final CloudControl CLOUD_CONTROL = new SdkCloudControl(DependencyFactory.cloudControlClient());
    }

    private final CloudControl cloudControl;
    private final CancelService service;
    private final Metrics metrics;
    private final boolean includeResourceModel;

    /** The constructor Lambda calls. */
    public CancelResourceRequestHandler() {
        this(Default.CLOUD_CONTROL, DependencyFactory.includeResourceModel());
        Core.getGlobalContext().register(this);
        // Started on demand (or provisioned), the first invoke's loading is cheaper done now: see Priming.atInit.
        if (Priming.atInit(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            Priming.primeAtInit(cloudControl);
        }
    }

    /** For tests and the local stack: the same handler over another Cloud Control adapter. */
    public CancelResourceRequestHandler(CloudControl cloudControl, boolean includeResourceModel) {
        this.cloudControl = cloudControl;
        this.metrics = MetricsFactory.getMetricsInstance();
        String namespace = System.getenv("POWERTOOLS_METRICS_NAMESPACE");
        if (namespace == null || namespace.isBlank()) {
            namespace = DEFAULT_METRICS_NAMESPACE;
            metrics.setNamespace(namespace);
        }
        this.service = new CancelService(cloudControl, metrics, namespace);
        this.includeResourceModel = includeResourceModel;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = Json.readBounded(input, Json.MAX_EVENT_BYTES);
        // Before withLogging: it clears the cold-start flag the metric reads.
        metrics.captureColdStartMetric(context);
        String response = PowertoolsLogging.withLogging(context, () -> respond(event));
        output.write(response.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An invoke's own work, without Powertools' per-invoke bookkeeping (the cold-start metric, withLogging's context
     * fields). Priming at an on-demand init runs this: the cold start belongs to the first real invoke.
     */
    String respond(byte[] event) {
        try {
            ProgressEvent progressEvent = service.cancel(event).ProgressEvent();
            return Json.progressEventResponse(
                    includeResourceModel ? progressEvent : progressEvent.withoutResourceModel());
        } finally {
            metrics.flush();
        }
    }

    /** SnapStart priming (see {@link Priming}): only read-only calls reach Cloud Control, never a cancel. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(cloudControl);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }
}
