package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Yardstick (a), the floor: a handler that does nothing, started by the same runtime client as the function. */
public final class NoOpHandler implements RequestStreamHandler {

    private static final byte[] RESPONSE = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write(RESPONSE);
    }
}
