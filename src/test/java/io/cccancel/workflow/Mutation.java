package io.cccancel.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Breaks a copy of a real file on purpose, to show a check catches it. */
final class Mutation {

    private Mutation() {
    }

    /** A real file's text, the original a test breaks copies of. */
    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real JSON file (a sample event), parsed. */
    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's text with its one occurrence of {@code from} replaced, parsed. */
    static SamTemplate template(String templateText, String from, String to) {
        return SamTemplate.parse(replaceOnce(templateText, from, to));
    }

    /** A definition's text with its one occurrence of {@code from} replaced, parsed. */
    static AslDefinition definition(String definitionText, String from, String to) {
        return AslDefinition.parse(replaceOnce(definitionText, from, to));
    }

    /** {@code text} with its one occurrence of {@code from} replaced: a mutation that matches nothing proves nothing. */
    static String replaceOnce(String text, String from, String to) {
        int first = text.indexOf(from);
        if (first < 0 || text.indexOf(from, first + 1) >= 0) {
            throw new IllegalArgumentException("The mutation needs exactly one occurrence of: " + from);
        }
        return text.substring(0, first) + to + text.substring(first + from.length());
    }
}
