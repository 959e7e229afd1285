package io.cccancel;

import io.cccancel.cloudcontrol.ProgressEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.StreamReadFeature;

/**
 * Writes the function's output. Hand-written on purpose: a JSON library would add cold-start time for one small,
 * fixed shape. Absent fields are omitted, never null; timestamps are RFC 3339 UTC with millisecond precision and
 * an uppercase T and Z, the form a Step Functions Wait TimestampPath accepts.
 */
public final class Json {

    /**
     * 256 KiB: the most EventBridge (an event) and Step Functions (a state's payload) can hand a function. A larger
     * input cannot be one of ours and is rejected unparsed.
     */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    private static final DateTimeFormatter RFC_3339 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Json() {
    }

    /** {@code {"ProgressEvent": {...}}}, the function's response. */
    public static String progressEventResponse(ProgressEvent event) {
        return "{\"ProgressEvent\":" + progressEvent(event) + "}";
    }

    public static String progressEvent(ProgressEvent e) {
        Obj o = new Obj();
        o.field("TypeName", e.TypeName());
        o.field("Identifier", e.Identifier());
        o.field("RequestToken", e.RequestToken());
        o.field("HooksRequestToken", e.HooksRequestToken());
        o.field("Operation", e.Operation());
        o.field("OperationStatus", e.OperationStatus());
        o.field("EventTime", timestamp(e.EventTime()));
        o.field("ResourceModel", e.ResourceModel());
        o.field("StatusMessage", e.StatusMessage());
        o.field("ErrorCode", e.ErrorCode());
        o.field("RetryAfter", timestamp(e.RetryAfter()));
        return o.close();
    }

    /** Reads at most one byte past the limit (enough to reject an oversized event unparsed), then drains the rest. */
    public static byte[] readBounded(InputStream input, int maxBytes) throws IOException {
        byte[] event = input.readNBytes(maxBytes + 1);
        while (input.read() != -1) {
            input.skip(Long.MAX_VALUE); // the runtime expects the stream consumed
        }
        return event;
    }

    /**
     * A handler's input as a JSON object, or the error {@code invalid} makes of a message that names what is wrong
     * ({@code subject}: "The event") and what was expected.
     */
    public static Map<String, JsonNode> parseObject(byte[] event, int maxBytes, String subject, String expected,
                                                    Function<String, ? extends RuntimeException> invalid) {
        if (event.length > maxBytes) {
            throw invalid.apply(subject + " is larger than " + maxBytes + " bytes (" + maxBytes / 1024 + " KiB): "
                    + expected);
        }
        if (isBlank(event)) {
            throw invalid.apply(subject + " is empty: " + expected);
        }
        JsonNode root;
        try {
            root = PARSER.parse(event);
        } catch (RuntimeException notJson) {
            String duplicate = duplicateKey(notJson);
            if (duplicate != null) {
                throw invalid.apply(subject + " names the key " + duplicate + " twice in one object: which one is "
                        + "meant cannot be told, so give each key once: " + expected);
            }
            throw invalid.apply(subject + " is not valid JSON: " + expected);
        }
        if (!root.isObject()) {
            throw invalid.apply(subject + " must be a JSON object, got " + typeOf(root) + ": " + expected);
        }
        // The parser reads one value and stops. Two objects back to back, or an object and then garbage, must not
        // pass as the first object alone: a caller that sent that did not send what we would act on.
        int end = endOfObject(event);
        if (!isBlank(event, end)) {
            throw invalid.apply(subject + " has more after its JSON object, at byte " + end
                    + ": send exactly one object: " + expected);
        }
        return root.asObject();
    }

    /**
     * Where the top-level object ends, in an event the parser has already read as one. Its first '{' opens it (only
     * whitespace or a byte-order mark can come before); a byte of a multi-byte UTF-8 character is never one of the
     * ASCII bytes looked at here.
     */
    private static int endOfObject(byte[] event) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < event.length; i++) {
            byte b = event[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if ((b == '}' || b == ']') && --depth == 0) {
                return i + 1;
            }
        }
        return event.length;
    }

    /**
     * Strict where the SDK's default parser is lenient: it keeps the last of two equal keys (so
     * {@code {"RequestToken":"a","RequestToken":"b"}} would cancel b) and it reads comments. A caller who sent
     * either did not send what we would act on.
     */
    private static final JsonNodeParser PARSER = JsonNodeParser.builder()
            .jsonFactory(JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .build();
    /** Only an error path reads it: compiled on first use, not in every cold start. */
    private static final class DuplicateKey {
        static final Pattern MESSAGE = Pattern.compile("Duplicate field '(.*)'");
    }

    /** The key Jackson's duplicate detection named, or null for any other parse error. */
    private static String duplicateKey(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            Matcher m = t.getMessage() == null ? null : DuplicateKey.MESSAGE.matcher(t.getMessage());
            if (m != null && m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    private static boolean isBlank(byte[] event) {
        return isBlank(event, 0);
    }

    /** Only JSON's whitespace from {@code from} on. */
    private static boolean isBlank(byte[] event, int from) {
        for (int i = from; i < event.length; i++) {
            byte b = event[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** How an input value is described in error messages: "null", "an array", "a number"... */
    public static String typeOf(JsonNode node) {
        if (node.isNull()) return "null";
        if (node.isArray()) return "an array";
        if (node.isObject()) return "an object";
        if (node.isNumber()) return "a number";
        if (node.isBoolean()) return "a boolean";
        return "a string";
    }

    public static String timestamp(Instant instant) {
        return instant == null ? null : RFC_3339.format(instant);
    }

    /** A JSON object being written; string fields with a null value are left out. */
    public static final class Obj {
        private final StringBuilder out = new StringBuilder(256).append('{');
        private boolean first = true;

        public Obj field(String name, String value) {
            if (value != null) {
                key(name);
                string(out, value);
            }
            return this;
        }

        /** A value that is already JSON (a number, an array, a nested object). */
        public Obj raw(String name, String json) {
            key(name);
            out.append(json);
            return this;
        }

        public String close() {
            return out.append('}').toString();
        }

        private void key(String name) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, name);
            out.append(':');
        }
    }

    public static String string(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        string(out, value);
        return out.toString();
    }

    private static void string(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i)); // a whole pair: one character, written as is
                    } else if (c < 0x20 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
                        // A lone surrogate cannot be encoded in UTF-8 (it would become '?'): escaped, it survives.
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
