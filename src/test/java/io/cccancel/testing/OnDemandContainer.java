package io.cccancel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A fresh JVM started as Lambda starts an on-demand container (AWS_LAMBDA_INITIALIZATION_TYPE=on-demand), for what
 * happens once per container: the cold start, priming at init. It runs a test's own main class on the test class
 * path, with the test's environment and these variables added.
 */
public final class OnDemandContainer {

    private OnDemandContainer() {
    }

    /**
     * @param environment added to the test's own; a null value removes that variable
     * @return everything the container wrote (stdout and stderr), once it has exited 0
     */
    public static String run(Class<?> main, Map<String, String> environment, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        ProcessBuilder container = new ProcessBuilder(command).redirectErrorStream(true);
        container.environment().put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        environment.forEach((name, value) -> {
            if (value == null) {
                container.environment().remove(name);
            } else {
                container.environment().put(name, value);
            }
        });
        Process process = container.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        return output;
    }
}
