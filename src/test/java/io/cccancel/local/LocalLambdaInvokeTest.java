package io.cccancel.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cccancel.errors.RequestTokenNotFoundException;
import io.cccancel.local.ExecutionResult.Catch;
import io.cccancel.local.ExecutionResult.Retry;
import io.cccancel.local.LocalLambdaEndpoint.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lambda:invoke wiring of the local stack, with a scripted function: what Step Functions makes of a function's
 * result, of its errors and of Lambda's own errors. The cancel workflow's paths are in CancelWorkflowScenarioTest.
 */
class LocalLambdaInvokeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:Scripted:live";

    /** One Task calling the function, retrying Lambda throttling, catching the function's not-found error. */
    private static final String DEFINITION = """
            {
              "StartAt": "WaitAMinute",
              "States": {
                "WaitAMinute": {"Type": "Wait", "Seconds": 60, "Next": "Invoke"},
                "Invoke": {
                  "Type": "Task",
                  "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "${FunctionArn}", "Payload": {"Echo.$": "$.Echo"}},
                  "Retry": [{"ErrorEquals": ["Lambda.TooManyRequestsException"], "IntervalSeconds": 3600,
                             "MaxAttempts": 2}],
                  "Catch": [{"ErrorEquals": ["io.cccancel.errors.RequestTokenNotFoundException"],
                             "ResultPath": "$.Error", "Next": "NotFound"}],
                  "Next": "WaitAnHour"
                },
                "WaitAnHour": {"Type": "Wait", "Seconds": 3600, "End": true},
                "NotFound": {"Type": "Fail", "Error": "Scripted.NotFound", "CausePath": "$.Error.Cause"}
              }
            }""";

    @TempDir
    static Path dir;
    static LocalLambdaEndpoint lambda;
    static WorkflowRunner workflow;
    /** What the scripted function does with the payload it gets. */
    static volatile Script script;

    interface Script {
        String answer(String payload) throws IOException;
    }

    @BeforeAll
    static void startStack() throws IOException {
        lambda = LocalLambdaEndpoint.start().register("Scripted",
                (in, out, context) -> out.write(script.answer(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8)));
        Path definition = Files.writeString(dir.resolve("scripted.asl.json"), DEFINITION);
        workflow = WorkflowRunner.start(definition, Map.of("FunctionArn", FUNCTION), lambda.endpoint(),
                URI.create("http://127.0.0.1:9"));
    }

    @AfterAll
    static void stopStack() {
        workflow.close();
        lambda.close();
    }

    @BeforeEach
    void echo() {
        script = payload -> payload;
        lambda.clearInvocations();
    }

    @Test
    void theTaskOutputIsTheLambdaInvokeIntegrationsShape() {
        ExecutionResult result = workflow.run(ExecutionRequest.fast("{\"Echo\": \"hello\"}"));

        assertTrue(result.succeeded(), result::describe);
        JsonNode output = result.output();
        assertEquals("hello", output.at("/Payload/Echo").asText(), "Payload is the function's JSON, parsed");
        assertEquals(200, output.path("StatusCode").asInt());
        assertEquals("$LATEST", output.path("ExecutedVersion").asText());
        assertEquals(200, output.at("/SdkHttpMetadata/HttpStatusCode").asInt());
        assertFalse(output.at("/SdkResponseMetadata/RequestId").asText().isEmpty());
        assertEquals(List.of("WaitAMinute", "Invoke", "WaitAnHour"), result.statesEntered());
        assertEquals("Scripted", lambda.invocations().getFirst().functionName(), "invoked by alias ARN");
    }

    @Test
    void aFunctionErrorFailsTheTaskUnderItsErrorTypeWithTheErrorDocumentAsCause() throws IOException {
        RequestTokenNotFoundException notFound = new RequestTokenNotFoundException("abc", null);
        script = payload -> {
            throw notFound;
        };

        ExecutionResult result = workflow.run(ExecutionRequest.fast("{\"Echo\": \"x\"}"));

        assertEquals(ExecutionResult.Status.FAILED, result.status(), result::describe);
        assertEquals("Scripted.NotFound", result.error());
        assertEquals(List.of(new Catch("Invoke", "io.cccancel.errors.RequestTokenNotFoundException", "NotFound")),
                result.catches());
        JsonNode cause = JSON.readTree(result.cause());
        assertEquals("io.cccancel.errors.RequestTokenNotFoundException", cause.path("errorType").asText());
        assertEquals(notFound.getMessage(), cause.path("errorMessage").asText());
        assertTrue(cause.path("stackTrace").isArray(), result.cause());
        assertEquals(Outcome.FUNCTION_ERROR, lambda.invocations().getFirst().outcome());
    }

    @Test
    void lambdaThrottlingIsLambdaTooManyRequestsExceptionAndItsRetriesAreTaken() {
        lambda.throttleNextInvokes(2);

        ExecutionResult result = workflow.run(ExecutionRequest.fast("{\"Echo\": \"x\"}"));

        assertTrue(result.succeeded(), result::describe);
        assertEquals(List.of(new Retry("Invoke", "Lambda.TooManyRequestsException"),
                new Retry("Invoke", "Lambda.TooManyRequestsException")), result.retries());
        assertEquals(List.of(Outcome.THROTTLED, Outcome.THROTTLED, Outcome.SUCCESS),
                lambda.invocations().stream().map(LocalLambdaEndpoint.Invocation::outcome).toList());
    }

    @Test
    void throttlingPastTheRetriesFailsTheExecutionWithLambdasErrorName() {
        lambda.throttleNextInvokes(3);

        ExecutionResult result = workflow.run(ExecutionRequest.fast("{\"Echo\": \"x\"}"));

        assertEquals("Lambda.TooManyRequestsException", result.error(), result::describe);
        assertTrue(result.cause().contains("Status Code: 429"), result.cause());
        assertEquals(2, result.retries().size());
    }

    @Test
    void anUnknownFunctionIsLambdaResourceNotFoundException() throws IOException {
        Path definition = Files.writeString(dir.resolve("unknown.asl.json"), DEFINITION);
        try (WorkflowRunner other = WorkflowRunner.start(definition,
                Map.of("FunctionArn", "arn:aws:lambda:us-east-1:123456789012:function:NoSuchFunction"),
                lambda.endpoint(), URI.create("http://127.0.0.1:9"))) {
            ExecutionResult result = other.run(ExecutionRequest.fast("{\"Echo\": \"x\"}"));

            assertEquals("Lambda.ResourceNotFoundException", result.error(), result::describe);
        }
    }

    @Test
    void waitsAreOverriddenPerState() {
        ExecutionResult overridden = workflow.run(ExecutionRequest.of("{\"Echo\": \"x\"}")
                .waitTime("WaitAMinute", 0).waitTime("WaitAnHour", 0));

        assertTrue(overridden.succeeded(), overridden::describe);
        assertEquals(60, overridden.eventsOf("WaitAMinute").getFirst().raw().path("waitSeconds").asInt(),
                "the Wait reports what it meant to wait");
    }

    @Test
    void aListenerActsOnAnEventBeforeTheNextTaskCallIsMade() {
        // In lockstep, what the listener does on entering the Wait is in place when the Task calls the function.
        for (int i = 0; i < 10; i++) {
            script = payload -> "{\"Echo\": \"too early\"}";
            ExecutionResult result = workflow.run(ExecutionRequest.fast("{\"Echo\": \"x\"}").listener(event -> {
                if (event.is("StateEntered") && event.state().equals("WaitAMinute")) {
                    script = payload -> payload;
                }
            }));

            assertEquals("x", result.output().at("/Payload/Echo").asText(), result::describe);
            assertEquals(List.of("Invoke"), result.tasksScheduled());
        }
    }

    @Test
    void aFailingListenerFailsItsExecutionAndNothingElse() {
        CompletableFuture<ExecutionResult> failing = workflow.start(ExecutionRequest.fast("{\"Echo\": \"x\"}").listener(event -> {
            throw new IllegalStateException("listener broke");
        }));
        ExecutionResult other = workflow.run(ExecutionRequest.fast("{\"Echo\": \"y\"}"));

        CompletionException thrown = assertThrows(CompletionException.class, failing::join);
        assertEquals("listener broke", thrown.getCause().getMessage());
        assertTrue(other.succeeded(), other::describe);
    }

    @Test
    void oneRunnerRunsManyExecutionsAtOnceAndKeepsTheirEventsApart() {
        List<CompletableFuture<ExecutionResult>> started = IntStream.range(0, 20)
                .mapToObj(i -> workflow.start(ExecutionRequest.fast("{\"Echo\": \"" + i + "\"}"))).toList();

        for (int i = 0; i < started.size(); i++) {
            ExecutionResult result = started.get(i).join();
            assertTrue(result.succeeded(), result::describe);
            assertEquals(String.valueOf(i), result.output().at("/Payload/Echo").asText());
            assertEquals(List.of("WaitAMinute", "Invoke", "WaitAnHour"), result.statesEntered());
        }
    }

    @Test
    void theEndpointAnswersFunctionErrorsOnTheWireAsLambdaDoes() throws Exception {
        script = payload -> {
            throw new IllegalStateException("scripted failure");
        };
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        lambda.endpoint().resolve("/2015-03-31/functions/Scripted:live/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), "a function error is not an HTTP error");
        assertEquals("Unhandled", response.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("java.lang.IllegalStateException", body.path("errorType").asText());
        assertEquals("scripted failure", body.path("errorMessage").asText());
    }
}
