package io.cccancel.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.CancelResourceRequestHandler;
import io.cccancel.DependencyFactory;
import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.sweep.SweepHandler;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The whole cancel-and-confirm job on one machine, wired as in AWS:
 * <pre>
 *   WorkflowRunner (node: aws-local-stepfunctions running statemachine/cancel-resource-request.asl.json)
 *     ├─ lambda:invoke ───────────────▶ LocalLambdaEndpoint ─▶ CancelResourceRequestHandler ─┐ (AWS SDK for Java)
 *     └─ aws-sdk:cloudcontrol:getResourceRequestStatus (AWS SDK for JavaScript) ─────────────┴▶ CloudControlEmulator
 * </pre>
 * or, from {@link #startSweep}, the sweep around it:
 * <pre>
 *   WorkflowRunner (statemachine/sweep-stale-resource-requests.asl.json)
 *     ├─ lambda:invoke ──────────────────▶ LocalLambdaEndpoint ─▶ SweepHandler (list, tally) ──▶ CloudControlEmulator
 *     ├─ states:startExecution.sync:2 ──▶ the cancel-and-confirm workflow above, in the same node process
 *     └─ events:putEvents ──────────────▶ recorded: ExecutionResult#publishedEvents
 * </pre>
 * The stack owns (and closes) the emulator it is given.
 */
public final class LocalStack implements AutoCloseable {

    public static final Path CANCEL_WORKFLOW = Path.of("statemachine", "cancel-resource-request.asl.json");
    /** The template's logical name for the function; the workflow invokes it through its alias, as deployed. */
    public static final String CANCEL_FUNCTION = "CancelResourceRequestFunction";
    public static final String CANCEL_FUNCTION_ALIAS_ARN =
            "arn:aws:lambda:us-east-1:123456789012:function:" + CANCEL_FUNCTION + ":live";
    /** The cancel workflow as the sweep starts it (its nested executions). */
    public static final String CANCEL_STATE_MACHINE_ARN =
            "arn:aws:states:us-east-1:123456789012:stateMachine:CancelResourceRequestStateMachine";

    public static final Path SWEEP_WORKFLOW = Path.of("statemachine", "sweep-stale-resource-requests.asl.json");
    /** The template's logical name for the sweep's function (the same jar, {@link SweepHandler}). */
    public static final String SWEEP_FUNCTION = "SweepFunction";
    public static final String SWEEP_FUNCTION_ALIAS_ARN =
            "arn:aws:lambda:us-east-1:123456789012:function:" + SWEEP_FUNCTION + ":live";

    /**
     * The template parameters that reach the definition through DefinitionSubstitutions.
     *
     * @param pollIntervalSeconds the PollIntervalSeconds parameter (DefaultPollIntervalSeconds)
     * @param maxPolls            the MaxPolls parameter (DefaultMaxPolls)
     */
    public record Parameters(int pollIntervalSeconds, int maxPolls) {
        /** The template's own defaults. */
        public static final Parameters TEMPLATE_DEFAULTS = new Parameters(10, 360);

        public Map<String, String> definitionSubstitutions() {
            return Map.of("CancelFunctionAliasArn", CANCEL_FUNCTION_ALIAS_ARN,
                    "DefaultPollIntervalSeconds", String.valueOf(pollIntervalSeconds),
                    "DefaultMaxPolls", String.valueOf(maxPolls));
        }
    }

    /**
     * The template parameters that reach the sweep's definition through DefinitionSubstitutions.
     *
     * @param maxConcurrency   the SweepMaxConcurrency parameter (DefaultMaxConcurrency)
     * @param maxPagesPerSweep the SweepMaxPages parameter (MaxPagesPerSweep)
     * @param eventBusName     the EventBusName parameter: where the sweep publishes its pages
     */
    public record SweepParameters(int maxConcurrency, int maxPagesPerSweep, String eventBusName) {
        /** The template's own defaults. */
        public static final SweepParameters TEMPLATE_DEFAULTS = new SweepParameters(30, 10, "default");

        public SweepParameters withMaxConcurrency(int concurrency) {
            return new SweepParameters(concurrency, maxPagesPerSweep, eventBusName);
        }

        public SweepParameters withMaxPagesPerSweep(int pages) {
            return new SweepParameters(maxConcurrency, pages, eventBusName);
        }

        Map<String, String> definitionSubstitutions() {
            return Map.of("SweepFunctionAliasArn", SWEEP_FUNCTION_ALIAS_ARN,
                    "CancelStateMachineArn", CANCEL_STATE_MACHINE_ARN,
                    "DefaultMaxConcurrency", String.valueOf(maxConcurrency),
                    "MaxPagesPerSweep", String.valueOf(maxPagesPerSweep),
                    "EventBusName", eventBusName);
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
     * The sweep workflow around {@code cloudControl}: its function, and the cancel workflow (with its function) run
     * as its nested executions, each configured by the template parameters it gets. The sweep's function reads the
     * time from the emulator's clock, the world's time here.
     */
    public static LocalStack startSweep(CloudControlEmulator cloudControl, Parameters cancel, SweepParameters sweep) {
        LocalLambdaEndpoint lambda = LocalLambdaEndpoint.start()
                .register(CANCEL_FUNCTION, cancelHandlerFor(cloudControl.endpoint()))
                .register(SWEEP_FUNCTION, new SweepHandler(cloudControlFor(cloudControl.endpoint()), cloudControl.clock()));
        try {
            WorkflowRunner workflow = WorkflowRunner.start(SWEEP_WORKFLOW, sweep.definitionSubstitutions(),
                    List.of(new WorkflowRunner.NestedStateMachine(CANCEL_STATE_MACHINE_ARN, CANCEL_WORKFLOW,
                            cancel.definitionSubstitutions())),
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
        return new CancelResourceRequestHandler(cloudControlFor(cloudControlEndpoint),
                DependencyFactory.includeResourceModel());
    }

    /** The functions' Cloud Control adapter over a client from their own factory, pointed at this endpoint. */
    static CloudControl cloudControlFor(URI cloudControlEndpoint) {
        Map<String, String> settings = Map.of("aws.endpointUrlCloudControl", cloudControlEndpoint.toString(),
                "aws.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        Map<String, String> previous = new java.util.HashMap<>();
        synchronized (System.class) {
            settings.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
            try {
                return new SdkCloudControl(DependencyFactory.cloudControlClient());
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
