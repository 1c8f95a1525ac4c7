package dev.switchboard.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads JSONL data files line by line, one object a line, blank lines skipped (they still count in the
 * line numbers). Every problem becomes an {@link IllegalArgumentException} with the message
 * {@code <file> line <n>: field "<name>": <problem>} (or {@code <file> line <n>: bad JSON (...)} when the
 * line does not parse), so a person can open the file at that line and fix that field.
 */
final class JsonlReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Turns one parsed line into a value; throws {@link FieldException} (or IllegalArgumentException) on bad input. */
    @FunctionalInterface
    interface LineParser<T> {
        T parse(JsonNode node, int line);
    }

    /** A problem with one field of the line being parsed; {@link #read} adds the file and line. */
    static final class FieldException extends IllegalArgumentException {
        FieldException(String field, String problem) {
            super("field \"" + field + "\": " + problem);
        }
    }

    private JsonlReader() {
    }

    /**
     * Parses every non-blank line of {@code file}.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: ..."} for the first bad line
     * @throws UncheckedIOException     if the file cannot be read
     */
    static <T> List<T> read(Path file, LineParser<T> parser) {
        List<T> values = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    values.add(parser.parse(object(line), n));
                } catch (IllegalArgumentException e) {
                    String message = String.valueOf(e.getMessage());
                    // A parser may already have named the place (e.g. an overlap turned into an error).
                    throw message.startsWith(at(file, n)) ? e : new IllegalArgumentException(at(file, n) + message, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
        return values;
    }

    /**
     * The {@code "text"} of every line (other fields ignored): texts to label or to learn from, such as
     * {@code distill --unlabeled} files and the runtime's decision logs.
     */
    static List<String> texts(Path file) {
        return read(file, (node, line) -> text(node, "text"));
    }

    /** {@code "<file> line <n>: "}. */
    static String at(Path file, int line) {
        return file + " line " + line + ": ";
    }

    /** The error for a field found bad after parsing (e.g. a fold outside the split). */
    static IllegalArgumentException error(Path file, int line, String field, String problem) {
        return new IllegalArgumentException(at(file, line) + new FieldException(field, problem).getMessage());
    }

    /** The first non-blank line of {@code file} as an object, or null for an empty file. */
    static JsonNode firstObject(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                n++;
                if (!line.isBlank()) {
                    try {
                        return object(line);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(at(file, n) + e.getMessage(), e);
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    private static JsonNode object(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("bad JSON (expected an object)");
        }
        return node;
    }

    /** A required non-blank string field: "missing", "must be a string, got ..." or "empty". */
    static String text(JsonNode node, String field) {
        return text(node, field, field);
    }

    /** The same, with the field called {@code name} in errors (e.g. {@code entities[2].label}). */
    static String text(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new FieldException(name, "missing");
        }
        if (!value.isTextual()) {
            throw new FieldException(name, "must be a string, got " + value);
        }
        if (value.asText().isBlank()) {
            throw new FieldException(name, "empty");
        }
        return value.asText();
    }

    /** An optional non-blank string field, null when absent or JSON null. */
    static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : text(node, field);
    }

    /** A required array of strings; {@code name} is how the field is named in errors. */
    static List<String> strings(JsonNode value, String name) {
        if (value == null || value.isNull()) {
            throw new FieldException(name, "missing");
        }
        if (!value.isArray()) {
            throw new FieldException(name, "must be an array of strings, got " + value);
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new FieldException(name + "[" + i + "]", "must be a string, got " + value.get(i));
            }
            values.add(value.get(i).asText());
        }
        return values;
    }

    /** A required integer field of {@code node}, named {@code name} in errors. */
    static int integer(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new FieldException(name, "missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new FieldException(name, "must be an integer, got " + value);
        }
        return value.intValue();
    }
}
