package io.cccancel.emulator;

import io.cccancel.Json;
import io.cccancel.cloudcontrol.ProgressEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/** AWS JSON 1.0 on the emulator's side: reading and validating inputs like the service model, writing outputs. */
final class Wire {

    static final Pattern TOKEN = Pattern.compile("[-A-Za-z0-9+/=]+");
    static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}");
    static final Pattern IDENTIFIER = Pattern.compile(".+");
    static final Pattern ANY = Pattern.compile("[\\s\\S]*");
    static final Pattern ROLE_ARN = Pattern.compile("arn:.+:iam::[0-9]{12}:role/.+");
    static final Pattern TYPE_VERSION_ID = Pattern.compile("[A-Za-z0-9-]+");
    static final Set<String> OPERATIONS = Set.of("CREATE", "DELETE", "UPDATE");
    static final Set<String> OPERATION_STATUSES =
            Set.of("PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "CANCEL_IN_PROGRESS", "CANCEL_COMPLETE");

    private static final JsonNodeParser PARSER = JsonNodeParser.create();

    private Wire() {
    }

    /** An error answer: {@code {"__type": type, "Message": message}} with this HTTP status. */
    static final class ApiError extends RuntimeException {
        final String type;
        final int httpStatus;

        ApiError(String type, String message) {
            this(type, ErrorTypes.httpStatus(type), message);
        }

        ApiError(String type, int httpStatus, String message) {
            super(message, null, false, false);
            this.type = type;
            this.httpStatus = httpStatus;
        }
    }

    /** An operation's input members, read and checked against the model's constraints; errors are collected. */
    static final class Input {
        private final Map<String, JsonNode> members;
        private final List<String> violations = new ArrayList<>();

        private Input(Map<String, JsonNode> members) {
            this.members = members;
        }

        static Input parse(byte[] body) {
            JsonNode root;
            try {
                root = body.length == 0 ? JsonNode.emptyObjectNode() : PARSER.parse(body);
            } catch (RuntimeException e) {
                throw new ApiError("SerializationException", "The request body is not valid JSON");
            }
            if (!root.isObject()) {
                throw new ApiError("SerializationException", "The request body must be a JSON object");
            }
            return new Input(root.asObject());
        }

        /** The member as a string if it is one, without checking anything (for the call log). */
        String peekString(String member) {
            JsonNode node = members.get(member);
            return node != null && node.isString() ? node.asString() : null;
        }

        String string(String member, boolean required, int min, int max, Pattern pattern) {
            return string(member, required, min, max, pattern, false);
        }

        /** A string member; {@code sensitive} values are not echoed in error messages. */
        String string(String member, boolean required, int min, int max, Pattern pattern, boolean sensitive) {
            JsonNode node = members.get(member);
            if (node == null || node.isNull()) {
                if (required) {
                    violations.add("Value null at '" + wireName(member) + "' failed to satisfy constraint: "
                            + "Member must not be null");
                }
                return null;
            }
            if (!node.isString()) {
                throw new ApiError("SerializationException", "Member " + member + " must be a string");
            }
            String value = node.asString();
            String shown = sensitive ? "Value" : "Value '" + value + "'";
            if (value.length() < min) {
                violations.add(shown + " at '" + wireName(member) + "' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to " + min);
            } else if (value.length() > max) {
                violations.add(shown + " at '" + wireName(member) + "' failed to satisfy constraint: "
                        + "Member must have length less than or equal to " + max);
            } else if (!pattern.matcher(value).matches()) {
                violations.add(shown + " at '" + wireName(member) + "' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: " + pattern.pattern());
            }
            return value;
        }

        Integer integer(String member, int min, int max) {
            JsonNode node = members.get(member);
            if (node == null || node.isNull()) {
                return null;
            }
            int value;
            try {
                value = Integer.parseInt(node.isNumber() ? node.asNumber() : "x");
            } catch (NumberFormatException e) {
                throw new ApiError("SerializationException", "Member " + member + " must be an integer");
            }
            if (value < min) {
                violations.add("Value '" + value + "' at '" + wireName(member) + "' failed to satisfy constraint: "
                        + "Member must have value greater than or equal to " + min);
            } else if (value > max) {
                violations.add("Value '" + value + "' at '" + wireName(member) + "' failed to satisfy constraint: "
                        + "Member must have value less than or equal to " + max);
            }
            return value;
        }

        /** An optional list of enum strings inside an optional structure member, e.g. a filter's Operations. */
        List<String> enumList(String structure, String member, Set<String> allowed) {
            JsonNode parent = members.get(structure);
            if (parent == null || parent.isNull()) {
                return List.of();
            }
            if (!parent.isObject()) {
                throw new ApiError("SerializationException", "Member " + structure + " must be a structure");
            }
            JsonNode list = parent.asObject().get(member);
            if (list == null || list.isNull()) {
                return List.of();
            }
            if (!list.isArray()) {
                throw new ApiError("SerializationException", "Member " + structure + "." + member + " must be a list");
            }
            List<String> values = new ArrayList<>();
            for (JsonNode item : list.asArray()) {
                if (!item.isString()) {
                    throw new ApiError("SerializationException", "Members of " + structure + "." + member
                            + " must be strings");
                }
                values.add(item.asString());
            }
            List<String> invalid = values.stream().filter(v -> !allowed.contains(v)).toList();
            if (!invalid.isEmpty()) {
                violations.add("Value '" + values + "' at '" + wireName(structure) + "." + wireName(member)
                        + "' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum "
                        + "value set: " + allowed.stream().sorted().toList() + "]");
            }
            return values;
        }

        /** Throws ValidationException naming every member that broke a constraint, as AWS reports them. */
        void check() {
            if (!violations.isEmpty()) {
                throw new ApiError("ValidationException", violations.size() + " validation error"
                        + (violations.size() == 1 ? "" : "s") + " detected: " + String.join("; ", violations));
            }
        }

        /** AWS's validation messages name members in camelCase: RequestToken -> requestToken. */
        private static String wireName(String member) {
            return Character.toLowerCase(member.charAt(0)) + member.substring(1);
        }
    }

    static String progressEvent(ProgressEvent e) {
        Json.Obj o = new Json.Obj()
                .field("TypeName", e.TypeName())
                .field("Identifier", e.Identifier())
                .field("RequestToken", e.RequestToken())
                .field("HooksRequestToken", e.HooksRequestToken())
                .field("Operation", e.Operation())
                .field("OperationStatus", e.OperationStatus())
                .raw("EventTime", epochSeconds(e.EventTime()))
                .field("ResourceModel", e.ResourceModel())
                .field("StatusMessage", e.StatusMessage())
                .field("ErrorCode", e.ErrorCode());
        if (e.RetryAfter() != null) {
            o.raw("RetryAfter", epochSeconds(e.RetryAfter()));
        }
        return o.close();
    }

    static String progressEventOutput(ProgressEvent e) {
        return new Json.Obj().raw("ProgressEvent", progressEvent(e)).close();
    }

    static String error(String type, String message) {
        return new Json.Obj().field("__type", type).field("Message", message).close();
    }

    /** Epoch seconds with millisecond fractions, as the service writes timestamps: 1632950268.481 */
    static String epochSeconds(Instant instant) {
        long millis = instant.toEpochMilli();
        long fraction = Math.floorMod(millis, 1000);
        return Math.floorDiv(millis, 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
