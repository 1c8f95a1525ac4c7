package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/** Typed access to the YAML nodes of one route file, with errors that name the file and the field. */
record YamlFields(String source) {

    RouteConfigException error(String field, String problem) {
        return new RouteConfigException(source + ": " + field + ": " + problem);
    }

    /** Runs a record constructor, turning its validation error into one that names the file. */
    <T> T build(String at, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            String prefix = at.isEmpty() ? "" : at + ".";
            throw new RouteConfigException(source + ": " + prefix + e.getMessage(), e);
        }
    }

    void requireObject(JsonNode node, String field) {
        if (!node.isObject()) {
            throw error(field, "must be a mapping, got " + kind(node));
        }
    }

    void rejectUnknown(JsonNode node, String prefix, Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                throw error(prefix + key, "unknown field; expected one of " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    String text(JsonNode node, String field) {
        if (node == null || !node.isTextual()) {
            throw error(field, "must be text, got " + kind(node));
        }
        return node.asText();
    }

    List<String> textList(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw error(field, "must be a list, got " + kind(node));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(text(node.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    double number(JsonNode node, String field, double defaultValue) {
        if (node == null) {
            return defaultValue;
        }
        if (!node.isNumber()) {
            throw error(field, "must be a number, got " + kind(node));
        }
        return node.asDouble();
    }

    long integer(JsonNode node, String field, long defaultValue) {
        if (node == null) {
            return defaultValue;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error(field, "must be a whole number, got " + kind(node));
        }
        return node.asLong();
    }

    /** Describes a YAML value for an error message: "a list", "text 'x'", ... */
    static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case STRING -> "text '" + node.asText() + "'";
            case NUMBER -> "number " + node.asText();
            case BOOLEAN -> "boolean " + node.asText();
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
