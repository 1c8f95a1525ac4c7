package dev.switchboard.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads JSON Lines records into documents, in the {@code corpus.jsonl} format of the shared
 * datasets: one object per line with
 *
 * <ul>
 *   <li>{@code id} (required; string or number) → {@link Document#id()};</li>
 *   <li>{@code text} (required, non-blank string; Markdown or plain) → the text;</li>
 *   <li>{@code title} (optional string) → the title, else the text's first {@code # } heading, else
 *       empty;</li>
 *   <li>{@code tags} (optional array of non-blank strings) → tags;</li>
 *   <li>{@code updated_at} (optional ISO-8601 instant, offset date-time, local date-time or date;
 *       local values are UTC) → updatedAt, else the file's time;</li>
 *   <li>{@code source} (optional scalar) → source, else the file;</li>
 *   <li>every other scalar field → metadata, as a string without surrounding whitespace (numbers as
 *       written, booleans as {@code true}/{@code false}); {@code null}, objects and other arrays are
 *       not indexed.</li>
 * </ul>
 *
 * <p>Blank lines are ignored. A line that is not a JSON object, lacks a required field, has a
 * field of the wrong type, uses a reserved field name ({@code document_id}, {@code collection},
 * {@code section}) or repeats an earlier line's id is a failure naming {@code file:line}; the other
 * lines are read regardless.
 */
final class JsonlRecords {

    /** Record fields that map onto {@link Document} components instead of metadata. */
    private static final Set<String> MAPPED = Set.of("id", "title", "text", "tags", "updated_at", "source");

    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*?)'");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    /** A document and the line it came from ({@code file:line}). */
    record Located(Document document, String where) {
    }

    record Result(List<Located> documents, List<IngestFailure> failures) {
    }

    private JsonlRecords() {
    }

    /**
     * @param file      names the file in failures and is the source of records without one
     * @param text      the decoded file
     * @param updatedAt the time of records without {@code updated_at}
     */
    static Result read(String file, String text, Instant updatedAt) {
        List<Located> documents = new ArrayList<>();
        List<IngestFailure> failures = new ArrayList<>();
        Map<String, Integer> lineById = new HashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String where = file + ":" + (i + 1);
            try {
                Document d = record(lines[i], file, updatedAt);
                Integer first = lineById.putIfAbsent(d.id(), i + 1);
                if (first != null) {
                    throw new BadRecord("duplicate id '" + d.id() + "' (first on line " + first + ")");
                }
                documents.add(new Located(d, where));
            } catch (BadRecord e) {
                failures.add(new IngestFailure(where, e.getMessage()));
            }
        }
        return new Result(documents, failures);
    }

    private static Document record(String line, String file, Instant fileTime) throws BadRecord {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
            throw new BadRecord(duplicate.find() ? "field \"" + duplicate.group(1) + "\" appears twice"
                    : "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRecord("not a JSON object");
        }
        String id = id(node.get("id"));
        String text = requiredText(node.get("text"));
        String title = optionalString(node, "title");
        if (title == null || title.isEmpty()) {
            title = Chunker.title(text).orElse("");
        }
        String source = node.hasNonNull("source") && node.get("source").isValueNode() ? node.get("source").asText() : file;
        List<String> tags = tags(node.get("tags"));
        Instant updatedAt = node.hasNonNull("updated_at") ? instant(node.get("updated_at")) : fileTime;
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String key = field.getKey();
            if (MAPPED.contains(key)) {
                continue;
            }
            if (Document.RESERVED.contains(key)) {
                throw new BadRecord("field \"" + key + "\" is reserved (rename it)");
            }
            JsonNode value = field.getValue();
            if (value.isValueNode() && !value.isNull()) {
                metadata.put(key, value.asText().strip()); // exact-match filters should not depend on stray whitespace
            }
        }
        try {
            return new Document(id, title, text, source, metadata, tags, updatedAt);
        } catch (IllegalArgumentException e) {
            throw new BadRecord(e.getMessage());
        }
    }

    private static String id(JsonNode id) throws BadRecord {
        if (id == null || id.isNull()) {
            throw new BadRecord("missing \"id\"");
        }
        if (!(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
            throw new BadRecord("\"id\" must be a non-blank string or an integer, got " + id);
        }
        return id.asText();
    }

    private static String requiredText(JsonNode text) throws BadRecord {
        if (text == null || text.isNull()) {
            throw new BadRecord("missing \"text\"");
        }
        if (!text.isTextual()) {
            throw new BadRecord("\"text\" must be a string");
        }
        if (text.asText().isBlank()) {
            throw new BadRecord("\"text\" is blank");
        }
        return text.asText();
    }

    private static String optionalString(JsonNode node, String field) throws BadRecord {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadRecord("\"" + field + "\" must be a string");
        }
        return value.asText().strip();
    }

    private static List<String> tags(JsonNode tags) throws BadRecord {
        if (tags == null || tags.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (tags.isArray()) {
            for (JsonNode tag : tags) {
                if (!tag.isTextual() || tag.asText().isBlank()) {
                    out = null;
                    break;
                }
                out.add(tag.asText().strip());
            }
        }
        if (!tags.isArray() || out == null) {
            throw new BadRecord("\"tags\" must be an array of non-blank strings");
        }
        return out;
    }

    /** ISO-8601: an instant, an offset date-time, or a local date-time or date (taken as UTC). */
    static Instant instant(JsonNode value) throws BadRecord {
        String text = value.isTextual() ? value.asText().strip() : null;
        Instant parsed = text == null ? null : parseInstant(text);
        if (parsed == null) {
            throw new BadRecord("\"updated_at\" is not an ISO-8601 date or date-time: " + value);
        }
        return parsed;
    }

    /** Parses an ISO-8601 instant, offset date-time, local date-time or date (UTC); null if none. */
    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant(); // also "...Z"
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    private static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecord(String message) {
            super(message);
        }
    }
}
