package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cccancel.cloudcontrol.ProgressEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

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
}
