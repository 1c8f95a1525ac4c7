package dev.switchboard.runtime;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads request bodies ourselves (rather than letting the framework bind them) so that every
 * problem becomes a precise 400: where the JSON is broken, which field is missing or has the wrong
 * type.
 */
final class JsonBodies {

    /** Trailing tokens after the object ({@code {...} x}) are an error too, not silently ignored. */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonBodies() {
    }

    /** Parses a body that must be one JSON object. */
    static JsonNode object(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.invalid("empty_body", "request body is empty; expected a JSON object", null);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw ApiException.invalid("invalid_json", "request body is not valid JSON" + where + ": "
                    + firstLine(e.getOriginalMessage()), null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("invalid_json", "request body must be a JSON object, got " + kind(node), null);
        }
        return node;
    }

    /** A required, non-blank string field. */
    static String requiredText(JsonNode body, String field) {
        return requiredText(body, field, field);
    }

    /** A required, non-blank string field; {@code param} names it in errors (e.g. {@code documents[2].id}). */
    static String requiredText(JsonNode body, String field, String param) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.invalid("missing_field", "'" + param + "' is required", param);
        }
        if (!v.isTextual()) {
            throw ApiException.invalid("invalid_type", "'" + param + "' must be a string, got " + kind(v), param);
        }
        if (v.asText().isBlank()) {
            throw ApiException.invalid("empty_field", "'" + param + "' must not be empty", param);
        }
        return v.asText();
    }

    /** An optional string field: null when absent or JSON null. */
    static String optionalText(JsonNode body, String field) {
        return optionalText(body, field, field);
    }

    /** An optional string field: null when absent or JSON null; {@code param} names it in errors. */
    static String optionalText(JsonNode body, String field, String param) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalid("invalid_type", "'" + param + "' must be a string, got " + kind(v), param);
        }
        return v.asText();
    }

    /** An optional integer field, {@code defaultValue} when absent or null. */
    static int optionalInt(JsonNode body, String field, int defaultValue) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw ApiException.invalid("invalid_type", "'" + field + "' must be an integer, got " + kind(v), field);
        }
        return v.intValue();
    }

    /** An optional number field, {@code defaultValue} when absent or null. */
    static double optionalNumber(JsonNode body, String field, double defaultValue) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw ApiException.invalid("invalid_type", "'" + field + "' must be a number, got " + kind(v), field);
        }
        return v.doubleValue();
    }

    /** An optional boolean field, {@code defaultValue} when absent or null. */
    static boolean optionalBoolean(JsonNode body, String field, boolean defaultValue) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalid("invalid_type", "'" + field + "' must be true or false, got " + kind(v), field);
        }
        return v.booleanValue();
    }

    /**
     * Refuses fields not in {@code known} (a typo must not be silently ignored). {@code at} is the
     * object's path for the error ({@code ""} for the body itself, else e.g. {@code documents[1]}).
     */
    static void rejectUnknown(JsonNode object, String at, java.util.List<String> known) {
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                String param = at.isEmpty() ? name : at + "." + name;
                throw ApiException.invalid("unknown_field", "unknown field '" + param + "'; expected "
                        + String.join(", ", known), param);
            }
        }
    }

    /** Describes a JSON value for an error message: "an array", "a number", ... */
    static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "null";
        }
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** Jackson messages continue with a source excerpt on later lines; the first line is the problem. */
    private static String firstLine(String s) {
        if (s == null) {
            return "unknown problem";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
