package io.cccancel.workflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool to its end and keeps what it printed (stdout and stderr together). */
final class ExternalTool {

    /** Where the Node tools live, relative to the project root (the working directory of Maven and ./dev). */
    static final Path JS_DIR = Path.of("src", "test", "js");
    private static final long TIMEOUT_SECONDS = 120;

    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /** The tool's result, or empty when it is not installed (not found on the PATH). */
    static Optional<Result> run(List<String> command) {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("NODE_NO_WARNINGS", "1");
            process = builder.start();
        } catch (IOException notInstalled) {
            return Optional.empty();
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within " + TIMEOUT_SECONDS + " s: " + output);
            }
            return Optional.of(new Result(process.exitValue(), output));
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the output of " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + command, e);
        }
    }

    /** Runs src/test/js/validate-asl.mjs: both ASL validators, after the given DefinitionSubstitutions. */
    static Result validateAsl(Path substitutionsJson, List<Path> definitions) {
        if (!Files.isDirectory(JS_DIR.resolve("node_modules"))) {
            throw new IllegalStateException("The ASL validators are not installed: run 'npm ci' in " + JS_DIR
                    + " (./dev test does it for you)");
        }
        List<String> command = new ArrayList<>(List.of("node",
                JS_DIR.resolve("validate-asl.mjs").toString(), "--substitutions", substitutionsJson.toString()));
        definitions.forEach(d -> command.add(d.toString()));
        return run(command).orElseThrow(() -> new IllegalStateException("node is not on the PATH (Node.js 20+)"));
    }
}
