package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cccancel.CancelResourceRequestHandler;
import io.cccancel.cloudcontrol.SdkCloudControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Yardstick (b): the same function built the default way. {@code CloudControlClient.create()} (the SDK's default
 * HTTP client, Apache, and its default region and credentials providers), no priming hook; deployed with the SDK's
 * default dependencies (apache-client instead of url-connection-client).
 */
public final class DefaultBuiltHandler implements RequestStreamHandler {

    private static final RequestStreamHandler FUNCTION =
            new CancelResourceRequestHandler(new SdkCloudControl(CloudControlClient.create()), false);

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        FUNCTION.handleRequest(input, output, context);
    }
}
