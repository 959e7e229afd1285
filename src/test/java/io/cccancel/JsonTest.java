package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cccancel.cloudcontrol.ProgressEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class JsonTest {

    @Test
    void absentFieldsAreOmittedAndTimestampsAreRfc3339Utc() {
        ProgressEvent event = new ProgressEvent("AWS::S3::Bucket", null, "tok", null, "DELETE", "CANCEL_IN_PROGRESS",
                Instant.ofEpochSecond(1632950268L, 481_000_000L), null, "line1\n\"quoted\"", null,
                Instant.ofEpochSecond(1632950273L));

        assertEquals("{\"ProgressEvent\":{\"TypeName\":\"AWS::S3::Bucket\",\"RequestToken\":\"tok\","
                        + "\"Operation\":\"DELETE\",\"OperationStatus\":\"CANCEL_IN_PROGRESS\","
                        + "\"EventTime\":\"2021-09-29T21:17:48.481Z\",\"StatusMessage\":\"line1\\n\\\"quoted\\\"\","
                        + "\"RetryAfter\":\"2021-09-29T21:17:53.000Z\"}}",
                Json.progressEventResponse(event));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\"a\\u0001b\\u2028\"", Json.string("a\u0001b\u2028"));
    }

    @Test
    void everyUtf16StringSurvivesUtf8AndAParserUnchanged() {
        // A StatusMessage cut inside a surrogate pair must not turn into '?': every code unit, alone and in pairs.
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            all.append((char) c);
        }
        String[] values = {all.toString(), "\uD83D\uDE00", "x\uD800y", "\uDC00\uD800", "end\uD83D"};
        for (String value : values) {
            byte[] utf8 = Json.string(value).getBytes(StandardCharsets.UTF_8);
            String parsed = JsonNode.parser().parse(utf8).asString();
            assertEquals(value, parsed, () -> "changed: " + value.chars().limit(8).mapToObj(Integer::toHexString).toList());
        }
        assertEquals("\"\uD83D\uDE00\"", Json.string("\uD83D\uDE00"), "a whole pair is written as it is");
    }
}
