package io.cccancel.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.CancelResourceRequestHandler;
import io.cccancel.DependencyFactory;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.emulator.CloudControlEmulator;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whole cancel-and-confirm job on one machine, wired as in AWS:
 * <pre>
 *   WorkflowRunner (node: aws-local-stepfunctions running statemachine/cancel-resource-request.asl.json)
 *     ├─ lambda:invoke ───────────────▶ LocalLambdaEndpoint ─▶ CancelResourceRequestHandler ─┐ (AWS SDK for Java)
 *     └─ aws-sdk:cloudcontrol:getResourceRequestStatus (AWS SDK for JavaScript) ─────────────┴▶ CloudControlEmulator
 * </pre>
 * The stack owns (and closes) the emulator it is given.
 */
public final class LocalStack implements AutoCloseable {

    public static final Path CANCEL_WORKFLOW = Path.of("statemachine", "cancel-resource-request.asl.json");
    /** The template's logical name for the function; the workflow invokes it through its alias, as deployed. */
    public static final String CANCEL_FUNCTION = "CancelResourceRequestFunction";
    public static final String CANCEL_FUNCTION_ALIAS_ARN =
            "arn:aws:lambda:us-east-1:123456789012:function:" + CANCEL_FUNCTION + ":live";

    /**
     * The template parameters that reach the definition through DefinitionSubstitutions.
     *
     * @param pollIntervalSeconds the PollIntervalSeconds parameter (DefaultPollIntervalSeconds)
     * @param maxPolls            the MaxPolls parameter (DefaultMaxPolls)
     */
    public record Parameters(int pollIntervalSeconds, int maxPolls) {
        /** The template's own defaults. */
        public static final Parameters TEMPLATE_DEFAULTS = new Parameters(10, 360);

        Map<String, String> definitionSubstitutions() {
            return Map.of("CancelFunctionAliasArn", CANCEL_FUNCTION_ALIAS_ARN,
                    "DefaultPollIntervalSeconds", String.valueOf(pollIntervalSeconds),
                    "DefaultMaxPolls", String.valueOf(maxPolls));
        }
    }

    private final CloudControlEmulator cloudControl;
    private final LocalLambdaEndpoint lambda;
    private final WorkflowRunner workflow;

    private LocalStack(CloudControlEmulator cloudControl, LocalLambdaEndpoint lambda, WorkflowRunner workflow) {
        this.cloudControl = cloudControl;
        this.lambda = lambda;
        this.workflow = workflow;
    }

    /** The stack around {@code cloudControl}, with the function built as Lambda's init builds it. */
    public static LocalStack start(CloudControlEmulator cloudControl, Parameters parameters) {
        return start(cloudControl, parameters, cancelHandlerFor(cloudControl.endpoint()));
    }

    /** The stack around {@code cloudControl}, serving {@code cancelFunction} as the cancel function. */
    public static LocalStack start(CloudControlEmulator cloudControl, Parameters parameters,
                                   RequestStreamHandler cancelFunction) {
        LocalLambdaEndpoint lambda = LocalLambdaEndpoint.start().register(CANCEL_FUNCTION, cancelFunction);
        try {
            WorkflowRunner workflow = WorkflowRunner.start(CANCEL_WORKFLOW, parameters.definitionSubstitutions(),
                    lambda.endpoint(), cloudControl.endpoint());
            return new LocalStack(cloudControl, lambda, workflow);
        } catch (RuntimeException e) {
            lambda.close();
            throw e;
        }
    }

    /**
     * The real handler with a Cloud Control client from the function's own factory, configured the way Lambda
     * configures it (the SDK's endpoint and region settings) but only for the time it is built, so several stacks
     * (each on its own emulator) can live in one JVM. Lambda itself runs the no-argument constructor, which
     * keeps one client per JVM: {@link RunLocal} uses that.
     */
    public static RequestStreamHandler cancelHandlerFor(URI cloudControlEndpoint) {
        Map<String, String> settings = Map.of("aws.endpointUrlCloudControl", cloudControlEndpoint.toString(),
                "aws.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        Map<String, String> previous = new java.util.HashMap<>();
        synchronized (System.class) {
            settings.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
            try {
                return new CancelResourceRequestHandler(new SdkCloudControl(DependencyFactory.cloudControlClient()),
                        Boolean.parseBoolean(System.getenv("INCLUDE_RESOURCE_MODEL")));
            } finally {
                previous.forEach((key, value) -> {
                    if (value == null) {
                        System.clearProperty(key);
                    } else {
                        System.setProperty(key, value);
                    }
                });
            }
        }
    }

    public CloudControlEmulator cloudControl() {
        return cloudControl;
    }

    public LocalLambdaEndpoint lambda() {
        return lambda;
    }

    public WorkflowRunner workflow() {
        return workflow;
    }

    @Override
    public void close() {
        workflow.close();
        lambda.close();
        cloudControl.close();
    }
}
