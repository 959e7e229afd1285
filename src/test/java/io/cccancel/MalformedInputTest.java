package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.errors.InvalidRequestTokenException;
import io.cccancel.testing.RecordingCloudControl;
import io.cccancel.testing.TestContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed event ends in InvalidRequestTokenException, with a message naming the field and the rule, and
 * no Cloud Control call at all. Run through the real handler, as Lambda would call it.
 */
class MalformedInputTest {

    static Stream<Arguments> malformedEvents() {
        String tooLong = "a".repeat(129);
        byte[] oneMegabyte = new byte[1024 * 1024];
        Arrays.fill(oneMegabyte, (byte) 'x');
        byte[] oneMegabyteJson = ("{\"RequestToken\":\"abc\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        return Stream.of(
                bad("empty body", "", "The event is empty"),
                bad("whitespace only", "  \n\t ", "The event is empty"),
                bad("not JSON", "RequestToken=abc", "not valid JSON"),
                bad("truncated JSON", "{\"RequestToken\": \"abc\"", "not valid JSON"),
                bad("binary garbage", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x13}, "not valid JSON"),
                // The parser stops after one value: what follows must not be ignored (the first token would be cancelled).
                bad("two objects", "{\"RequestToken\": \"abc\"}{\"RequestToken\": \"def\"}",
                        "has more after its JSON object, at byte 23"),
                bad("token given twice", "{\"RequestToken\": \"abc\", \"RequestToken\": \"def\"}",
                        "names the key RequestToken twice in one object"),
                bad("detail token given twice", "{\"detail\": {\"RequestToken\": 5, \"RequestToken\": \"def\"}}",
                        "names the key RequestToken twice in one object"),
                bad("a comment", "{/* cancel */ \"RequestToken\": \"abc\"}", "not valid JSON"),
                bad("object then garbage", "{\"RequestToken\": \"a}{\\\"\"} x", "has more after its JSON object, at byte 25"),
                bad("1 MB of bytes", oneMegabyte, "larger than 262144 bytes"),
                bad("1 MB JSON object", oneMegabyteJson, "larger than 262144 bytes"),
                bad("JSON null", "null", "must be a JSON object, got null"),
                bad("JSON array", "[\"abc\"]", "must be a JSON object, got an array"),
                bad("JSON string", "\"abc\"", "must be a JSON object, got a string"),
                bad("JSON number", "42", "must be a JSON object, got a number"),
                bad("JSON boolean", "true", "must be a JSON object, got a boolean"),
                bad("empty object", "{}", "RequestToken is required"),
                bad("wrong case key", "{\"requestToken\": \"abc\"}", "RequestToken is required"),
                bad("token null", "{\"RequestToken\": null}", "RequestToken must be a string, got null"),
                bad("token number", "{\"RequestToken\": 12345}", "RequestToken must be a string, got a number"),
                bad("token boolean", "{\"RequestToken\": false}", "RequestToken must be a string, got a boolean"),
                bad("token array", "{\"RequestToken\": [\"abc\"]}", "RequestToken must be a string, got an array"),
                bad("token object", "{\"RequestToken\": {\"v\": \"abc\"}}", "RequestToken must be a string, got an object"),
                bad("token empty", "{\"RequestToken\": \"\"}", "RequestToken must be 1 to 128 characters long, got 0"),
                bad("token too long", "{\"RequestToken\": \"" + tooLong + "\"}", "must be 1 to 128 characters long, got 129"),
                // 128 characters, one outside the pattern and two UTF-16 units long: the character is what is wrong.
                bad("token with an emoji", "{\"RequestToken\": \"" + "a".repeat(127) + "\uD83D\uDE00\"}",
                        "disallowed character U+1F600 at index 127"),
                bad("token with space", "{\"RequestToken\": \"abc def\"}", "must match the pattern [-A-Za-z0-9+/=]+"),
                bad("token with underscore", "{\"RequestToken\": \"abc_def\"}", "disallowed character '_' at index 3"),
                bad("token with newline", "{\"RequestToken\": \"abc\\n\"}", "disallowed character U+000A"),
                bad("token non-ASCII", "{\"RequestToken\": \"abcé\"}", "disallowed character U+00E9"),
                bad("token with quote", "{\"RequestToken\": \"a\\\"b\"}", "disallowed character '\"'"),
                bad("EventBridge detail missing token", "{\"detail-type\": \"Cancel Resource Request\", \"detail\": {}}",
                        "detail.RequestToken is required"),
                bad("EventBridge detail null", "{\"detail-type\": \"Cancel Resource Request\", \"detail\": null}",
                        "detail must be a JSON object carrying RequestToken, got null"),
                bad("EventBridge detail string", "{\"detail\": \"4fc21ab3\"}", "detail must be a JSON object"),
                bad("EventBridge detail array", "{\"detail\": [{\"RequestToken\": \"abc\"}]}", "detail must be a JSON object carrying RequestToken, got an array"),
                bad("EventBridge token number", "{\"detail\": {\"RequestToken\": 7}}", "detail.RequestToken must be a string, got a number"),
                bad("EventBridge token bad chars", "{\"detail\": {\"RequestToken\": \"../etc\"}}",
                        "detail.RequestToken must match the pattern"),
                bad("EventBridge token in wrong place", "{\"detail-type\": \"Cancel Resource Request\", \"resources\": [\"abc\"]}",
                        "RequestToken is required"),
                bad("token at the top level and in detail",
                        "{\"RequestToken\": \"abc\", \"detail\": {\"RequestToken\": \"def\"}}",
                        "RequestToken and detail.RequestToken are both present"),
                bad("the same token at the top level and in detail",
                        "{\"RequestToken\": \"abc\", \"detail\": {\"RequestToken\": \"abc\"}}",
                        "give the token in one place only"),
                bad("Step Functions lambda:invoke envelope", "{\"Payload\": {\"RequestToken\": \"abc\"}}",
                        "RequestToken is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedEvents")
    void rejectsWithoutCallingCloudControl(String name, byte[] event, String expectedMessage) {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        CancelResourceRequestHandler handler = new CancelResourceRequestHandler(cloudControl, false);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        InvalidRequestTokenException error = assertThrows(InvalidRequestTokenException.class,
                () -> handler.handleRequest(new ByteArrayInputStream(event), output, new TestContext()));

        assertTrue(error.getMessage().contains(expectedMessage),
                () -> "message should contain '" + expectedMessage + "' but was: " + error.getMessage());
        assertEquals(List.of(), cloudControl.calls, "no Cloud Control call may be made for bad input");
        assertEquals(0, output.size(), "nothing is written for bad input");
    }

    /** The other side of each rule: tokens at its very edge are valid and reach Cloud Control unchanged. */
    @ParameterizedTest(name = "accepts {0}")
    @MethodSource("tokensAtTheEdge")
    void acceptsTokensAtTheEdgeOfTheRules(String name, String token) throws Exception {
        RecordingCloudControl cloudControl = new RecordingCloudControl();
        cloudControl.onCancel = t -> new ProgressEvent("AWS::Logs::LogGroup", "g", t, null, "DELETE",
                "CANCEL_IN_PROGRESS", Instant.parse("2026-11-25T10:00:00Z"), null, null, null, null);
        CancelResourceRequestHandler handler = new CancelResourceRequestHandler(cloudControl, false);
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        handler.handleRequest(new ByteArrayInputStream(("{\"RequestToken\": \"" + token + "\"}")
                .getBytes(StandardCharsets.UTF_8)), output, new TestContext());

        assertEquals(List.of("CancelResourceRequest " + token), cloudControl.calls);
        assertTrue(output.toString(StandardCharsets.UTF_8).contains("\"RequestToken\":\"" + token + "\""),
                output.toString(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> tokensAtTheEdge() {
        return Stream.of(
                Arguments.of("128 characters", "a".repeat(128)),
                Arguments.of("1 character", "Z"),
                Arguments.of("every punctuation the pattern allows", "-+/="),
                Arguments.of("every class of character", "Az09-+/="),
                Arguments.of("a base64 token with padding", "dGhlIHJlcXVlc3QgdG9rZW4/+w=="));
    }

    @Test
    void thereAreAtLeastTwentyFiveDistinctCases() {
        assertTrue(malformedEvents().count() >= 25);
    }

    private static Arguments bad(String name, String event, String expectedMessage) {
        return bad(name, event.getBytes(StandardCharsets.UTF_8), expectedMessage);
    }

    private static Arguments bad(String name, byte[] event, String expectedMessage) {
        return Arguments.of(name, event, expectedMessage);
    }
}
