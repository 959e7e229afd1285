package io.cccancel.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs executions of one state machine definition in aws-local-stepfunctions, in one Node process
 * (src/test/js/run-execution.mjs in serve mode), which applies the template's DefinitionSubstitutions and sends the
 * Task states to the local endpoints. Executions run concurrently; each one's events are collected into an
 * {@link ExecutionResult}. Start many with {@link #start}, or one at a time with {@link #run}.
 */
public final class WorkflowRunner implements AutoCloseable {

    /** Where the Node side lives, relative to the project root (the working directory of Maven and ./dev). */
    public static final Path JS_DIR = Path.of("src", "test", "js");
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** An execution that has not ended after this long is reported as stuck rather than waited on forever. */
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final int STDERR_LINES_KEPT = 40;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process node;
    private final Writer requests;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong executionCount = new AtomicLong();
    private final String stateMachineName;

    /** An execution under way; {@code listenerFailure} is what the listener threw, if it did. */
    private record Running(ExecutionRequest request, List<ExecutionEvent> events,
                           CompletableFuture<ExecutionResult> result, AtomicReference<RuntimeException> listenerFailure) {
    }

    /**
     * A state machine the definition's {@code states:startExecution.sync:2} tasks may start, run in the same
     * process after its own DefinitionSubstitutions.
     *
     * @param arn the ARN the parent's task names (its {@code StateMachineArn} after substitution)
     */
    public record NestedStateMachine(String arn, Path definition, Map<String, String> substitutions) {
    }

    private WorkflowRunner(Process node, String stateMachineName) {
        this.node = node;
        this.stateMachineName = stateMachineName;
        this.requests = node.outputWriter(StandardCharsets.UTF_8);
    }

    /**
     * Starts the Node process for {@code definition} and waits until it has loaded and validated it.
     *
     * @param substitutions the DefinitionSubstitutions, as the template would resolve them for this deployment
     */
    public static WorkflowRunner start(Path definition, Map<String, String> substitutions, URI lambdaEndpoint,
                                       URI cloudControlEndpoint) {
        return start(definition, substitutions, List.of(), lambdaEndpoint, cloudControlEndpoint);
    }

    /** As above, with the state machines its nested-execution tasks may start. */
    public static WorkflowRunner start(Path definition, Map<String, String> substitutions,
                                       List<NestedStateMachine> nested, URI lambdaEndpoint, URI cloudControlEndpoint) {
        Map<String, Map<String, Object>> stateMachines = new LinkedHashMap<>();
        for (NestedStateMachine child : nested) {
            stateMachines.put(child.arn(), Map.of("definition", child.definition().toAbsolutePath().toString(),
                    "substitutions", child.substitutions()));
        }
        Path script = JS_DIR.resolve("run-execution.mjs").toAbsolutePath();
        if (!Files.isDirectory(JS_DIR.resolve("node_modules"))) {
            throw new IllegalStateException("The local workflow tools are not installed: run 'npm ci' in " + JS_DIR
                    + " (./dev does it for you)");
        }
        String name = definition.getFileName().toString().replaceFirst("\\.asl\\.json$|\\.json$", "");
        ProcessBuilder builder = new ProcessBuilder("node", script.toString(), "--serve",
                "--definition", definition.toAbsolutePath().toString(),
                "--name", name,
                "--substitutions", toJson(substitutions),
                "--state-machines", toJson(stateMachines),
                "--lambda-endpoint", lambdaEndpoint.toString(),
                "--cloudcontrol-endpoint", cloudControlEndpoint.toString())
                .directory(JS_DIR.toFile());
        builder.environment().put("NODE_NO_WARNINGS", "1"); // the SDK's Node 20 support notice is not our output
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start node (Node.js 20+ must be on the PATH)", e);
        }
        WorkflowRunner runner = new WorkflowRunner(process, name);
        runner.readInBackground();
        runner.awaitReady();
        return runner;
    }

    public String stateMachineName() {
        return stateMachineName;
    }

    /** Starts an execution; the future completes when it ends (succeeded, failed, timed out or aborted). */
    public CompletableFuture<ExecutionResult> start(ExecutionRequest request) {
        String id = stateMachineName + "-" + executionCount.incrementAndGet();
        Running execution = new Running(request, new ArrayList<>(), new CompletableFuture<>(), new AtomicReference<>());
        running.put(id, execution);
        ObjectNode line = JSON.createObjectNode();
        line.put("id", id);
        try {
            line.set("input", JSON.readTree(request.input()));
        } catch (IOException e) {
            running.remove(id);
            throw new IllegalArgumentException("Execution input is not JSON: " + request.input(), e);
        }
        line.put("skipWaits", request.skipWaits());
        line.set("waitTimeOverrides", JSON.valueToTree(request.waitTimeOverridesMs()));
        line.set("retryIntervalOverrides", JSON.valueToTree(request.retryIntervalOverridesMs()));
        line.put("lockstep", request.listener() != null);
        line.put("childCauseInCamelCase", request.childCauseInCamelCase());
        putNow(line, request);
        try {
            send(line);
        } catch (IOException e) {
            running.remove(id);
            throw new UncheckedIOException("The workflow runner has stopped: " + stderr(), e);
        }
        return execution.result();
    }

    private void send(ObjectNode line) throws IOException {
        synchronized (requests) {
            requests.write(line + "\n");
            requests.flush();
        }
    }

    /** Runs one execution to its end. */
    public ExecutionResult run(ExecutionRequest request) {
        try {
            return start(request).get(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the execution", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The execution had not ended after " + RUN_TIMEOUT, e);
        }
    }

    /** Ends the Node process once the executions under way have ended. */
    @Override
    public void close() {
        try {
            requests.close();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        } catch (IOException e) {
            node.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.destroyForcibly();
        }
    }

    private void readInBackground() {
        Thread stdout = new Thread(() -> {
            try (BufferedReader lines = node.inputReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    accept(line);
                }
            } catch (IOException e) {
                // the process is gone: handled below
            }
            waitForExit();
            failAll("The workflow runner (node) stopped"
                    + (node.isAlive() ? "" : " with exit code " + node.exitValue()) + ": " + stderr());
        }, "workflow-runner-stdout");
        Thread stderr = new Thread(() -> {
            try (BufferedReader lines = node.errorReader(StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    keepStderr(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "workflow-runner-stderr");
        stdout.setDaemon(true);
        stderr.setDaemon(true);
        stdout.start();
        stderr.start();
    }

    private void accept(String text) {
        JsonNode line;
        try {
            line = JSON.readTree(text);
        } catch (IOException notAnEvent) {
            keepStderr("(stdout) " + text);
            return;
        }
        ExecutionEvent event = ExecutionEvent.from(line);
        if (event.is("Ready")) {
            ready.countDown();
            return;
        }
        Running execution = running.get(line.path("execution").asText());
        if (execution == null) {
            return;
        }
        String id = line.path("execution").asText();
        execution.events().add(event);
        if (execution.request().listener() != null) {
            if (execution.listenerFailure().get() == null) {
                try {
                    execution.request().listener().accept(event);
                } catch (RuntimeException e) {
                    execution.listenerFailure().set(e); // reported when the execution ends
                }
            }
            if (event.is("TaskScheduled")) {
                resume(id, line.path("seq").asLong(), execution.request());
            }
        }
        if (event.isTerminal()) {
            running.remove(id);
            if (execution.listenerFailure().get() != null) {
                execution.result().completeExceptionally(execution.listenerFailure().get());
            } else if (event.is("RunnerError")) {
                execution.result().completeExceptionally(
                        new IllegalStateException("Execution " + id + " could not run: " + line.path("message")));
            } else {
                execution.result().complete(ExecutionResult.from(id, execution.events()));
            }
        }
    }

    /** The time the execution lives in, when it has a clock of its own: the runner's $$.State.EnteredTime. */
    private static void putNow(ObjectNode line, ExecutionRequest request) {
        if (request.clock() != null) {
            line.put("now", request.clock().get().toString());
        }
    }

    /** Lets a lockstep execution make the Task call it announced: the listener has seen everything before it. */
    private void resume(String executionId, long seq, ExecutionRequest request) {
        ObjectNode line = JSON.createObjectNode();
        line.put("resume", executionId);
        line.put("seq", seq);
        putNow(line, request); // after the listener moved the clock, if it did
        try {
            send(line);
        } catch (IOException e) {
            // the process is gone: the reader fails the execution
        }
    }

    private void awaitReady() {
        try {
            boolean started = ready.await(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!started || !node.isAlive()) {
                waitForExit();
                node.destroyForcibly();
                throw new IllegalStateException("The workflow runner did not start: " + stderr());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            node.destroyForcibly();
            throw new IllegalStateException("Interrupted while starting the workflow runner", e);
        }
    }

    private void waitForExit() {
        try {
            node.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failAll(String message) {
        ready.countDown();
        for (String id : List.copyOf(running.keySet())) {
            Running execution = running.remove(id);
            if (execution != null) {
                execution.result().completeExceptionally(new IllegalStateException(message));
            }
        }
    }

    private void keepStderr(String line) {
        synchronized (stderrTail) {
            stderrTail.addLast(line);
            if (stderrTail.size() > STDERR_LINES_KEPT) {
                stderrTail.removeFirst();
            }
        }
    }

    private String stderr() {
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "(nothing on stderr)" : "\n" + String.join("\n", stderrTail);
        }
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
