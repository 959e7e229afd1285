package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.CancelResourceRequestHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The diagnosis row {@code function-offline}: the function's own handler, started on demand like row "function",
 * but over {@link AcceptingCloudControl} instead of an SDK client. Its init plus first invoke is what the function
 * costs before any Cloud Control client exists: Powertools logging on log4j2, Powertools metrics with EMF and Jackson,
 * and the function's own code. No change to how the client is built or which HTTP client it uses can take the
 * function below that, at equal CPU. It does not prime at init (priming needs the client), so with Lambda's CPU
 * modelled its first invoke runs all that work at the invoke's share of the CPU.
 */
public final class OfflineFunctionHandler implements RequestStreamHandler {

    /** Built at init, as the function builds its handler's dependencies at init. */
    private static final RequestStreamHandler FUNCTION =
            new CancelResourceRequestHandler(new AcceptingCloudControl(), false);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        FUNCTION.handleRequest(input, output, context);
    }
}
