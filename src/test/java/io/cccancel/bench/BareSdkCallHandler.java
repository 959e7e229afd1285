package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.DependencyFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Yardstick (c) under the same runtime client: the bare SDK call on the function's own client (DependencyFactory)
 * and nothing else: no validation, no Powertools logging or metrics, no output mapping. Against the function's
 * warm invokes it isolates what the handler, its logs and its metrics add, with the runtime's own per-invoke
 * costs identical on both sides.
 */
public final class BareSdkCallHandler implements RequestStreamHandler {

    private static final CloudControlClient CLIENT = DependencyFactory.cloudControlClient();
    private static final byte[] RESPONSE = "{}".getBytes(StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        int start = event.indexOf(":\"") + 2;
        String token = event.substring(start, event.indexOf('"', start));
        CLIENT.cancelResourceRequest(r -> r.requestToken(token));
        output.write(RESPONSE);
    }
}
