package io.cccancel.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cccancel.bench.ChaosPlan.Burst;
import io.cccancel.emulator.ApiOperation;
import io.cccancel.emulator.ChaosSchedule;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Lifecycle;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.ThrottlingException;

/** The chaos proxy aims a fault at one token's n-th call on a channel, and at nothing else. */
class ChaosProxyTest {

    @AutoClose
    final CloudControlEmulator cloudControl = CloudControlEmulator.start(Clock.systemUTC());
    @AutoClose
    final CloudControlEmulator throttling = CloudControlEmulator.start(Clock.systemUTC());
    final ChaosScripts scripts = new ChaosScripts();
    @AutoClose
    final ChaosProxy proxy = ChaosProxy.start(cloudControl.endpoint(), ChaosProxy.byOperation(Map.of(
                    "CancelResourceRequest", ChaosChannel.CANCEL, "GetResourceRequestStatus", ChaosChannel.STATUS)),
            scripts, Map.of(ChaosFault.THROTTLING, throttling.endpoint()));
    @AutoClose
    final CloudControlClient client = cloudControl.newClient(b -> b.endpointOverride(proxy.endpoint())
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())));

    ChaosProxyTest() {
        throttling.chaos(ChaosSchedule.seeded(0).with(ApiOperation.GetResourceRequestStatus,
                ChaosFault.THROTTLING.emulatorFault(), 1.0));
    }

    @Test
    void aBurstHitsOnlyItsTokensCallsOfItsChannel() {
        String aimedAt = start();
        String other = start();
        scripts.add(plan(aimedAt, new Burst(ChaosChannel.STATUS, ChaosFault.THROTTLING, 2, 1)));

        status(aimedAt);
        status(other);
        status(other);
        assertThrows(ThrottlingException.class, () -> status(aimedAt));
        status(aimedAt);

        assertEquals(List.of(aimedAt, other, other, aimedAt), tokensOf(cloudControl), "the emulator missed one call");
        assertEquals(List.of(aimedAt), tokensOf(throttling));
        assertEquals(Arrays.asList(null, null, null, ChaosFault.THROTTLING, null),
                proxy.calls().stream().map(ChaosProxy.Call::fault).toList());
    }

    @Test
    void aLostResponseTakesEffectButNeverComesBack() {
        String token = start();
        scripts.add(plan(token, new Burst(ChaosChannel.CANCEL, ChaosFault.LOST_RESPONSE, 1, 1)));

        assertThrows(SdkClientException.class, () -> client.cancelResourceRequest(r -> r.requestToken(token)));

        assertEquals(1, cloudControl.acceptedCancels(token));
        assertEquals("CANCEL_IN_PROGRESS", cloudControl.operationStatus(token));
        assertEquals(List.of(new ChaosProxy.Call(token, ChaosChannel.CANCEL, ChaosFault.LOST_RESPONSE, 0)),
                proxy.calls());
    }

    private String start() {
        return cloudControl.startRequest("DELETE", "AWS::S3::Bucket", "proxied",
                Lifecycle.DEFAULT.withInProgress(ChaosCase.HOUR));
    }

    private void status(String token) {
        client.getResourceRequestStatus(r -> r.requestToken(token));
    }

    private static ChaosPlan plan(String token, Burst burst) {
        return new ChaosPlan(1, ChaosCase.CANCEL_COMPLETES, token, null, null, List.of(burst));
    }

    private static List<String> tokensOf(CloudControlEmulator emulator) {
        return emulator.calls().stream().map(c -> c.requestToken()).toList();
    }
}
