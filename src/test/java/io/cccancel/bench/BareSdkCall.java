package io.cccancel.bench;

import io.cccancel.DependencyFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;

/**
 * Yardstick (c), run in a fresh JVM: the bare SDK call on the function's own client (DependencyFactory), no handler,
 * no runtime, no logging or metrics around it. Cancels each token of the file in turn and writes the nanoseconds of
 * each call, one a line, the first (cold) one included.
 *
 * <p>Usage: {@code BareSdkCall TOKENS_FILE RESULT_FILE}
 */
public final class BareSdkCall {

    private BareSdkCall() {
    }

    public static void main(String[] args) throws IOException {
        List<String> tokens = Files.readAllLines(Path.of(args[0]));
        long[] nanos = new long[tokens.size()];
        try (CloudControlClient client = DependencyFactory.cloudControlClient()) {
            for (int i = 0; i < nanos.length; i++) {
                String token = tokens.get(i);
                long start = System.nanoTime();
                client.cancelResourceRequest(r -> r.requestToken(token));
                nanos[i] = System.nanoTime() - start;
            }
        }
        Files.writeString(Path.of(args[1]),
                java.util.Arrays.stream(nanos).mapToObj(Long::toString).collect(Collectors.joining("\n")));
    }
}
