package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.CancelResourceRequestHandler;
import io.cccancel.DependencyFactory;
import io.cccancel.Priming;
import io.cccancel.cloudcontrol.SdkCloudControl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Yardstick (c) under the runtime client, paired: one JVM, one Cloud Control client (DependencyFactory's), and the
 * benchmark alternates two kinds of events. {@code bare:TOKEN} is the bare SDK call on that client with nothing
 * around it; any other event goes to the function's handler over the same client. Interleaving puts both under the
 * same JIT state, garbage collector and machine load, so their ratio is what the handler, its logs and its metrics
 * add to the call.
 *
 * <p>Started on the SnapStart path (row c-snapstart), it primes before the snapshot as the deployed function does
 * (the function's own {@link Priming}), so the pairs then run as they would in a restored execution environment.
 * Started on demand (row c), the hook never runs.
 *
 * <p>Row c-offline, a diagnosis, splits the handler's share from the call: {@code offline:TOKEN} runs the function's
 * handler over a Cloud Control that answers in-process, so everything but the SDK call runs, as an invoke of its own.
 * {@code offline-loop:N:TOKEN} runs it N times back to back in one invoke.
 */
public final class PairedHandler implements RequestStreamHandler, Resource {

    static final String BARE = "bare:";
    static final String OFFLINE = "offline:";
    static final String OFFLINE_LOOP = "offline-loop:";
    private static final byte[] EMPTY_RESPONSE = "{}".getBytes(StandardCharsets.UTF_8);
    private static final CloudControlClient CLIENT = DependencyFactory.cloudControlClient();
    private static final RequestStreamHandler FUNCTION =
            new CancelResourceRequestHandler(new SdkCloudControl(CLIENT), false);

    public PairedHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        String text = new String(event, StandardCharsets.UTF_8);
        if (text.startsWith(BARE)) {
            CLIENT.cancelResourceRequest(r -> r.requestToken(text.substring(BARE.length())));
            output.write(EMPTY_RESPONSE);
        } else if (text.startsWith(OFFLINE_LOOP)) {
            String[] countAndToken = text.substring(OFFLINE_LOOP.length()).split(":", 2);
            byte[] offlineEvent = event(countAndToken[1]);
            for (int i = Integer.parseInt(countAndToken[0]); i > 1; i--) {
                Offline.FUNCTION.handleRequest(new ByteArrayInputStream(offlineEvent), OutputStream.nullOutputStream(),
                        context);
            }
            Offline.FUNCTION.handleRequest(new ByteArrayInputStream(offlineEvent), output, context);
        } else if (text.startsWith(OFFLINE)) {
            Offline.FUNCTION.handleRequest(new ByteArrayInputStream(event(text.substring(OFFLINE.length()))), output,
                    context);
        } else {
            FUNCTION.handleRequest(new ByteArrayInputStream(event), output, context);
        }
    }

    /** Built on first use, so the rows that never go offline (c, c-snapstart) start exactly as before. */
    private static final class Offline {
        static final RequestStreamHandler FUNCTION = new CancelResourceRequestHandler(new AcceptingCloudControl(), false);
    }

    private static byte[] event(String token) {
        return ("{\"RequestToken\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        Priming.prime(new SdkCloudControl(CLIENT));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
    }
}
