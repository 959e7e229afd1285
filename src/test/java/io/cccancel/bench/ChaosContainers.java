package io.cccancel.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Lambda's concurrency for the in-process function: a container (one handler instance, with its own SDK client and
 * its own SDK retry quota) serves one invoke at a time, and a new one is started when every container is busy.
 */
final class ChaosContainers implements RequestStreamHandler {

    private final Supplier<RequestStreamHandler> init;
    private final ConcurrentLinkedDeque<RequestStreamHandler> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger started = new AtomicInteger();

    ChaosContainers(Supplier<RequestStreamHandler> init) {
        this.init = init;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        RequestStreamHandler container = idle.pollFirst();
        if (container == null) {
            container = init.get();
            started.incrementAndGet();
        }
        try {
            container.handleRequest(input, output, context);
        } finally {
            idle.addFirst(container);
        }
    }

    /** Containers started so far: the function's peak concurrency. */
    int started() {
        return started.get();
    }
}
