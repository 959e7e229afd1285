package io.cccancel.sweep;

import io.cccancel.Json;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.errors.InvalidSweepFilterException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Which in-flight requests a sweep cancels. All given criteria must hold; an absent one matches everything.
 * <ul>
 *   <li>{@code MinAgeMinutes}: the request's latest EventTime is at least this old (0..10080, the API keeps
 *       requests seven days);</li>
 *   <li>{@code Operations}: any of CREATE, UPDATE, DELETE;</li>
 *   <li>{@code TypeNames}: exact resource type names ({@code AWS::Logs::LogGroup});</li>
 *   <li>{@code TypeNamePrefixes}: type name prefixes ({@code AWS::RDS::}); with TypeNames, matching either is enough.</li>
 * </ul>
 */
public record SweepFilter(int MinAgeMinutes, List<String> Operations, List<String> TypeNames,
                          List<String> TypeNamePrefixes) {

    static final int MAX_AGE_MINUTES = 7 * 24 * 60;
    private static final Set<String> OPERATIONS = Set.of("CREATE", "UPDATE", "DELETE");
    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}::[A-Za-z0-9]{2,64}");
    private static final int MAX_LIST = 50;

    public static SweepFilter from(Map<String, JsonNode> input) {
        return new SweepFilter(
                minAge(input.get("MinAgeMinutes")),
                strings(input, "Operations", value -> {
                    if (!OPERATIONS.contains(value)) {
                        throw invalid("Operations may only contain CREATE, UPDATE or DELETE, got '" + value + "'");
                    }
                }),
                strings(input, "TypeNames", value -> {
                    if (!TYPE_NAME.matcher(value).matches()) {
                        throw invalid("TypeNames must be resource type names like AWS::Logs::LogGroup, got '" + value + "'");
                    }
                }),
                strings(input, "TypeNamePrefixes", value -> {
                    if (value.isEmpty() || value.length() > 196) {
                        throw invalid("TypeNamePrefixes must be 1 to 196 characters long, got " + value.length());
                    }
                }));
    }

    public boolean matches(ProgressEvent event, Instant now) {
        if (MinAgeMinutes > 0 && (event.EventTime() == null
                || event.EventTime().isAfter(now.minus(Duration.ofMinutes(MinAgeMinutes))))) {
            return false;
        }
        if (!Operations.isEmpty() && !Operations.contains(event.Operation())) {
            return false;
        }
        if (TypeNames.isEmpty() && TypeNamePrefixes.isEmpty()) {
            return true;
        }
        String type = event.TypeName() == null ? "" : event.TypeName();
        return TypeNames.contains(type) || TypeNamePrefixes.stream().anyMatch(type::startsWith);
    }

    private static int minAge(JsonNode node) {
        // Absent means every age; null is refused like any other wrong type (the same goes for the lists): read as
        // absent, a null that was meant to narrow the sweep would widen it.
        if (node == null) {
            return 0;
        }
        if (!node.isNumber()) {
            throw invalid("MinAgeMinutes must be a whole number of minutes, got " + Json.typeOf(node));
        }
        Long minutes = wholeNumber(node, 0, MAX_AGE_MINUTES);
        if (minutes == null) {
            throw invalid("MinAgeMinutes must be a whole number from 0 to " + MAX_AGE_MINUTES + ", got " + node.asNumber());
        }
        return minutes.intValue();
    }

    /** A JSON number as a whole number from min to max; null for anything else (a fraction, 1e2, out of range). */
    static Long wholeNumber(JsonNode number, long min, long max) {
        try {
            long n = Long.parseLong(number.asNumber());
            return n >= min && n <= max ? n : null;
        } catch (NumberFormatException notWhole) {
            return null;
        }
    }

    private static List<String> strings(Map<String, JsonNode> input, String field,
                                        java.util.function.Consumer<String> rule) {
        JsonNode node = input.get(field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(field + " must be an array of strings, got " + Json.typeOf(node));
        }
        if (node.asArray().isEmpty() || node.asArray().size() > MAX_LIST) {
            // Empty would match nothing if read literally, and everything as a missing filter: refused either way,
            // since a sweep that reads [] as "all" cancels every in-flight request.
            throw invalid(field + " must hold 1 to " + MAX_LIST + " entries, got " + node.asArray().size()
                    + (node.asArray().isEmpty() ? ": leave the field out to match every request" : ""));
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node.asArray()) {
            if (!item.isString()) {
                throw invalid(field + " must be an array of strings, found " + Json.typeOf(item));
            }
            rule.accept(item.asString());
            values.add(item.asString());
        }
        return List.copyOf(values);
    }

    static InvalidSweepFilterException invalid(String message) {
        return new InvalidSweepFilterException(message);
    }
}
