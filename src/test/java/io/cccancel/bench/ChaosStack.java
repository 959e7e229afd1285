package io.cccancel.bench;

import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.ChaosSchedule;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.local.LocalLambdaEndpoint;
import io.cccancel.local.LocalStack;
import io.cccancel.local.WorkflowRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;

/**
 * The local stack of {@link LocalStack} with a chaos proxy on each of its three wires, so that faults can be aimed
 * at one execution's calls while hundreds run at once:
 * <pre>
 *   WorkflowRunner ─ lambda:invoke ─▶ proxy ─▶ LocalLambdaEndpoint ─▶ containers of CancelResourceRequestHandler
 *        │                              └(throttled)▶ a LocalLambdaEndpoint that throttles every invoke
 *        └ getResourceRequestStatus ──▶ proxy ─┐
 *   the function's Cloud Control calls ▶ proxy ─┴▶ CloudControlEmulator (wall clock: the ground truth)
 *                                               └(faulted)▶ one emulator per fault, answering every call with it
 * </pre>
 * Everything runs on the wall clock: many executions at once cannot share a simulated one.
 */
final class ChaosStack implements AutoCloseable {

    final CloudControlEmulator cloudControl;
    final ChaosScripts scripts = new ChaosScripts();
    final ChaosContainers function;
    final LocalLambdaEndpoint lambda;
    final LocalLambdaEndpoint throttlingLambda;
    final Map<ChaosFault, CloudControlEmulator> faultEmulators = new EnumMap<>(ChaosFault.class);
    final ChaosProxy functionToCloudControl;
    final ChaosProxy workflowToCloudControl;
    final ChaosProxy workflowToLambda;
    final WorkflowRunner workflow;
    private final List<AutoCloseable> parts = new ArrayList<>();

    /**
     * @param definition          the cancel workflow's definition (statemachine/cancel-resource-request.asl.json)
     * @param pollIntervalSeconds the DefaultPollIntervalSeconds substitution (the template's PollIntervalSeconds)
     * @param maxPolls            the DefaultMaxPolls substitution (the template's MaxPolls)
     */
    ChaosStack(Path definition, int pollIntervalSeconds, int maxPolls) {
        try {
            configureFunctionEnvironment();
            cloudControl = keep(CloudControlEmulator.start(Clock.systemUTC()));
            Map<ChaosFault, URI> faultServers = new EnumMap<>(ChaosFault.class);
            for (ChaosFault fault : ChaosFault.values()) {
                if (fault.emulatorFault() != null) {
                    CloudControlEmulator answering = keep(CloudControlEmulator.start(Clock.systemUTC()));
                    answering.chaos(ChaosSchedule.seeded(0)
                            .with(ApiOperation.CancelResourceRequest, fault.emulatorFault(), 1.0)
                            .with(ApiOperation.GetResourceRequestStatus, fault.emulatorFault(), 1.0));
                    faultEmulators.put(fault, answering);
                    faultServers.put(fault, answering.endpoint());
                }
            }
            functionToCloudControl = keep(ChaosProxy.start(cloudControl.endpoint(), ChaosProxy.byOperation(Map.of(
                            "CancelResourceRequest", ChaosChannel.CANCEL,
                            "GetResourceRequestStatus", ChaosChannel.STATUS_BY_FUNCTION)),
                    scripts, faultServers));
            URI functionEndpoint = functionToCloudControl.endpoint();
            function = new ChaosContainers(() -> LocalStack.cancelHandlerFor(functionEndpoint));
            lambda = keep(LocalLambdaEndpoint.start().register(LocalStack.CANCEL_FUNCTION, function));
            throttlingLambda = keep(LocalLambdaEndpoint.start().register(LocalStack.CANCEL_FUNCTION, function));
            throttlingLambda.throttleNextInvokes(Integer.MAX_VALUE);
            faultServers.put(ChaosFault.LAMBDA_THROTTLING, throttlingLambda.endpoint());
            workflowToLambda = keep(ChaosProxy.start(lambda.endpoint(), exchange -> ChaosChannel.INVOKE, scripts,
                    faultServers));
            workflowToCloudControl = keep(ChaosProxy.start(cloudControl.endpoint(), ChaosProxy.byOperation(Map.of(
                    "GetResourceRequestStatus", ChaosChannel.STATUS)), scripts, faultServers));
            workflow = keep(WorkflowRunner.start(definition,
                    new LocalStack.Parameters(pollIntervalSeconds, maxPolls).definitionSubstitutions(),
                    workflowToLambda.endpoint(), workflowToCloudControl.endpoint()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Every call the three proxies passed, faulted or not. */
    List<ChaosProxy.Call> calls() {
        List<ChaosProxy.Call> all = new ArrayList<>(workflowToLambda.calls());
        all.addAll(functionToCloudControl.calls());
        all.addAll(workflowToCloudControl.calls());
        return all;
    }

    private <T extends AutoCloseable> T keep(T part) {
        parts.add(part);
        return part;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts.reversed()) {
            try {
                part.close();
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    /**
     * What Lambda gives the function, as the SDK reads it: region and dummy credentials, as system properties that
     * win over the environment (nothing here may reach a real AWS account); EMF metrics printed, not sent.
     */
    private static void configureFunctionEnvironment() {
        System.setProperty("aws.region", System.getenv().getOrDefault("AWS_REGION", "us-east-1"));
        System.setProperty("aws.accessKeyId", "AKIDCHAOSRUN");
        System.setProperty("aws.secretAccessKey", "chaos-run-secret");
        System.setProperty("aws.disableEc2Metadata", "true");
        if (System.getenv("AWS_EMF_ENVIRONMENT") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
    }
}
