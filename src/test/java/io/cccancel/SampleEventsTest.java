package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.amazonaws.services.lambda.runtime.tests.annotations.Events;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.emulator.CallRecord;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.Lifecycle;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.errors.InvalidRequestTokenException;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The very files users pass to {@code sam local invoke -e events/...}, loaded with aws-lambda-java-tests and run
 * through the real handler against the emulator, so the samples and the function cannot drift apart.
 */
class SampleEventsTest {

    /** The token every valid sample carries. */
    static final String SAMPLE_TOKEN = "4fc21ab3-ad4b-4d3b-b3b4-0f0b1e0d8f5a";
    static final ObjectMapper JSON = new ObjectMapper();
    static CloudControlEmulator emulator;
    static CancelResourceRequestHandler handler;

    @BeforeAll
    static void start() {
        emulator = CloudControlEmulator.start();
        System.setProperty("aws.endpointUrlCloudControl", emulator.endpoint().toString());
        handler = new CancelResourceRequestHandler(new SdkCloudControl(DependencyFactory.cloudControlClient()), false);
        System.clearProperty("aws.endpointUrlCloudControl");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    static byte[] bytes(Map<String, Object> event) throws Exception {
        return JSON.writeValueAsBytes(event);
    }

    @ParameterizedTest(name = "{index}: a valid sample event cancels its request")
    @Events(type = Map.class, events = {
            @Event("events/cancel-request.json"),
            @Event("events/step-functions-payload.json"),
            @Event("events/eventbridge-cancel-resource-request.json")})
    void validSamplesCancelTheirRequest(Map<String, Object> event) throws Exception {
        emulator.reset();
        emulator.startRequest(SeedRequest.of("CREATE", "AWS::Logs::LogGroup", "my-log-group")
                .withRequestToken(SAMPLE_TOKEN)
                .withLifecycle(Lifecycle.DEFAULT.withPending(Duration.ZERO).withInProgress(Duration.ofMinutes(10))));
        emulator.clearCalls();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(bytes(event)), out, new TestContext());

        Map<?, ?> progressEvent = (Map<?, ?>) JSON.readValue(out.toByteArray(), Map.class).get("ProgressEvent");
        assertEquals("CANCEL_IN_PROGRESS", progressEvent.get("OperationStatus"));
        assertEquals(SAMPLE_TOKEN, progressEvent.get("RequestToken"));
        assertEquals(List.of("CancelResourceRequest"), emulator.calls().stream().map(CallRecord::operation).toList());
        assertEquals(1, emulator.acceptedCancels(SAMPLE_TOKEN));
    }

    /**
     * The same files as {@code sam local invoke} sends them, byte for byte. The handler is stricter than a Map
     * loaded from them (a key given twice, anything after the object), so a sample could pass above and still be
     * refused when a user invokes it.
     */
    @ParameterizedTest(name = "{0} is accepted as written")
    @ValueSource(strings = {
            "events/cancel-request.json",
            "events/step-functions-payload.json",
            "events/eventbridge-cancel-resource-request.json"})
    void validSamplesAreAcceptedByteForByte(String file) throws Exception {
        assertEquals(new CancelEvent(SAMPLE_TOKEN), CancelEvent.parse(Files.readAllBytes(Path.of(file))));
    }

    @ParameterizedTest(name = "the invalid sample is rejected without a call")
    @Events(type = Map.class, events = @Event("events/invalid-request-token.json"))
    void invalidSampleIsRejected(Map<String, Object> event) {
        emulator.reset();

        InvalidRequestTokenException e = assertThrows(InvalidRequestTokenException.class,
                () -> handler.handleRequest(new ByteArrayInputStream(bytes(event)), new ByteArrayOutputStream(),
                        new TestContext()));

        assertTrue(e.getMessage().startsWith("RequestToken must match the pattern [-A-Za-z0-9+/=]+"), e.getMessage());
        assertEquals(List.of(), emulator.calls());
        InvalidRequestTokenException asWritten = assertThrows(InvalidRequestTokenException.class,
                () -> CancelEvent.parse(Files.readAllBytes(Path.of("events/invalid-request-token.json"))));
        assertEquals(e.getMessage(), asWritten.getMessage(), "refused for the same reason as written");
    }
}
