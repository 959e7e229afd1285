package io.cccancel;

import io.cccancel.errors.InvalidRequestTokenException;
import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * The function's input, and the one place a RequestToken is found and validated. Accepted shapes:
 * {@code {"RequestToken": "..."}} (direct invoke, sam local invoke, Step Functions) and an EventBridge event whose
 * {@code detail} carries {@code RequestToken}; never both. Everything else is an
 * {@link InvalidRequestTokenException} whose message names the field and the rule; nothing is called before this
 * passes.
 */
public record CancelEvent(String RequestToken) {

    /** The API's RequestToken constraints (CancelResourceRequest, service model 2021-09-30). */
    public static final int MAX_TOKEN_LENGTH = 128;
    private static final Pattern TOKEN_PATTERN = Pattern.compile("[-A-Za-z0-9+/=]+");
    private static final String EXPECTED =
            "expected {\"RequestToken\": \"...\"} or an EventBridge event with detail.RequestToken";

    public static CancelEvent parse(byte[] event) {
        Map<String, JsonNode> fields = Json.parseObject(event, Json.MAX_EVENT_BYTES, "The event", EXPECTED,
                InvalidRequestTokenException::new);
        if (fields.containsKey("RequestToken")) {
            // Two tokens in one event: whichever we picked, the caller may have meant the other one.
            if (fields.get("detail") instanceof JsonNode detail && detail.isObject()
                    && detail.asObject().containsKey("RequestToken")) {
                throw invalid("RequestToken and detail.RequestToken are both present: give the token in one place "
                        + "only (" + EXPECTED + ")");
            }
            return new CancelEvent(validToken("RequestToken", fields.get("RequestToken")));
        }
        if (fields.containsKey("detail")) {
            JsonNode detail = fields.get("detail");
            if (!detail.isObject()) {
                throw invalid("detail must be a JSON object carrying RequestToken, got " + Json.typeOf(detail));
            }
            JsonNode token = detail.asObject().get("RequestToken");
            if (token == null) {
                throw invalid("detail.RequestToken is required in an EventBridge event (detail-type "
                        + "\"Cancel Resource Request\")");
            }
            return new CancelEvent(validToken("detail.RequestToken", token));
        }
        throw invalid("RequestToken is required: " + EXPECTED);
    }

    private static String validToken(String field, String token) {
        if (token.isEmpty()) {
            throw invalid(field + " must be 1 to " + MAX_TOKEN_LENGTH + " characters long, got 0");
        }
        // The pattern first: once it holds, every character is one UTF-16 unit, so length() counts characters.
        if (!TOKEN_PATTERN.matcher(token).matches()) {
            int bad = firstBadChar(token);
            throw invalid(field + " must match the pattern [-A-Za-z0-9+/=]+ (got a disallowed character "
                    + describe(token.codePointAt(bad)) + " at index " + bad + ")");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalid(field + " must be 1 to " + MAX_TOKEN_LENGTH + " characters long, got " + token.length());
        }
        return token;
    }

    private static String validToken(String field, JsonNode token) {
        if (!token.isString()) {
            throw invalid(field + " must be a string, got " + Json.typeOf(token));
        }
        return validToken(field, token.asString());
    }

    private static int firstBadChar(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return i;
            }
        }
        return 0;
    }

    private static String describe(int codePoint) {
        return codePoint >= 0x20 && codePoint < 0x7f
                ? "'" + Character.toString(codePoint) + "'"
                : String.format("U+%04X", codePoint);
    }

    private static InvalidRequestTokenException invalid(String message) {
        return new InvalidRequestTokenException(message);
    }
}
