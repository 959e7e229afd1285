package io.cccancel.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state machine definition file as data, before substitution (it stays valid JSON: every {@code ${Name}} sits
 * inside a string). States inside Parallel branches and Map processors are included.
 */
public final class AslDefinition {

    /** CloudFormation's DefinitionSubstitutions placeholder; src/test/js/substitutions.mjs uses the same pattern. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String text;
    private final JsonNode root;

    private AslDefinition(String text, JsonNode root) {
        this.text = text;
        this.root = root;
    }

    public static AslDefinition load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static AslDefinition parse(String text) {
        try {
            return new AslDefinition(text, JSON.readTree(text));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON before substitution: " + e.getOriginalMessage(), e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** The distinct {@code ${Name}} placeholder names, in order of first use. */
    public Set<String> placeholders() {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /** Every state by name, nested ones included. */
    public Map<String, JsonNode> states() {
        Map<String, JsonNode> states = new LinkedHashMap<>();
        collectStates(root, states);
        return states;
    }

    private static void collectStates(JsonNode machine, Map<String, JsonNode> into) {
        machine.path("States").properties().forEach(entry -> {
            into.put(entry.getKey(), entry.getValue());
            entry.getValue().path("Branches").forEach(branch -> collectStates(branch, into));
            collectStates(entry.getValue().path("ItemProcessor"), into);
            collectStates(entry.getValue().path("Iterator"), into);
        });
    }

    public List<String> statesOfType(String type) {
        return states().entrySet().stream()
                .filter(e -> type.equals(e.getValue().path("Type").asText()))
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The error names a state retries, per retrier, in order. */
    public List<List<String>> retriedErrors(String state) {
        return errorNames(states().get(state).path("Retry"));
    }

    /** The error names a state catches, per catcher, in order. */
    public List<List<String>> caughtErrors(String state) {
        return errorNames(states().get(state).path("Catch"));
    }

    /** Every error name any state retries or catches. */
    public Set<String> handledErrors() {
        Set<String> names = new LinkedHashSet<>();
        for (String state : states().keySet()) {
            retriedErrors(state).forEach(names::addAll);
            caughtErrors(state).forEach(names::addAll);
        }
        return names;
    }

    private static List<List<String>> errorNames(JsonNode handlers) {
        List<List<String>> names = new ArrayList<>();
        for (JsonNode handler : handlers) {
            List<String> errors = new ArrayList<>();
            handler.path("ErrorEquals").forEach(name -> errors.add(name.asText()));
            names.add(errors);
        }
        return names;
    }
}
