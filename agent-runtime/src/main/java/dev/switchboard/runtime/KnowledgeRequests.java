package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.Filter;
import dev.switchboard.retrieval.FusionConfig;
import dev.switchboard.retrieval.SearchMode;
import dev.switchboard.retrieval.SearchRequest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the knowledge API's request bodies and headers into retrieval values, refusing anything
 * malformed with a 400 that names the field ({@code param}): unknown fields are errors too.
 *
 * <p>Document: {@code {"id", "text", "title"?, "source"?, "tags"?: [..], "metadata"?: {k: scalar},
 * "updated_at"?}} (metadata values become strings; {@code updated_at} defaults to now). Search:
 * {@code {"query", "top_k"? (default 5, 1..100), "mode"? (hybrid|bm25|dense, default hybrid),
 * "filters"?, "min_score"?, "rerank"? (default: true for hybrid, when the server has a reranker),
 * "fusion"? (rrf, rrf:K, weighted:W, zscore:W)}}. Filters, AND-ed:
 * {@code tags}, {@code source}, {@code document_id} or any metadata key, each a string (equals) or a
 * list of strings (any of); {@code updated_after} (at or after) and {@code updated_before} (strictly
 * before), each an ISO-8601 date ({@code 2024-05-01}, midnight UTC) or date-time.
 */
final class KnowledgeRequests {

    static final String TENANT_HEADER = "X-Tenant-Id";
    static final int DEFAULT_TOP_K = 5;
    static final int MAX_TOP_K = 100;
    static final int MAX_QUERY_CHARS = 4000;
    static final int MAX_DESCRIPTION_CHARS = 1000;
    static final int MAX_ID_CHARS = 512;

    static final List<String> COLLECTION_FIELDS = List.of("name", "description");
    static final List<String> DOCUMENT_FIELDS = List.of("id", "title", "text", "source", "tags", "metadata", "updated_at");
    static final List<String> SEARCH_FIELDS = List.of("query", "top_k", "mode", "filters", "min_score", "rerank", "fusion");
    static final String UPDATED_AFTER = "updated_after";
    static final String UPDATED_BEFORE = "updated_before";
    /** Document fields that cannot be filtered on (or only through updated_after/before). */
    private static final Set<String> NOT_FILTERABLE = Set.of("title", "text", "section", Document.COLLECTION, Document.UPDATED_AT);

    private KnowledgeRequests() {
    }

    /** A new collection's name (validated with its tenant later) and description. */
    record NewCollection(String name, String description) {
    }

    /** The tenant named by the {@value #TENANT_HEADER} header; {@code default} when absent or blank. */
    static String tenant(String header) {
        if (header == null || header.isBlank()) {
            return CollectionId.DEFAULT_TENANT;
        }
        try {
            return CollectionId.of(header.strip(), CollectionId.DEFAULT_TENANT).tenant();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid_tenant", TENANT_HEADER + ": " + e.getMessage(), null);
        }
    }

    /** {@code tenant/name}, or a 400 naming the problem with the name. */
    static CollectionId collection(String tenant, String name) {
        try {
            return CollectionId.of(tenant, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.invalid("invalid_collection_name", e.getMessage(), "name");
        }
    }

    static NewCollection newCollection(JsonNode body) {
        JsonBodies.rejectUnknown(body, "", COLLECTION_FIELDS);
        String name = JsonBodies.requiredText(body, "name");
        String description = JsonBodies.optionalText(body, "description");
        if (description != null && description.length() > MAX_DESCRIPTION_CHARS) {
            throw ApiException.invalid("invalid_value", "'description' is " + description.length()
                    + " characters; the limit is " + MAX_DESCRIPTION_CHARS, "description");
        }
        return new NewCollection(name, description == null ? "" : description);
    }

    /**
     * The documents of an upsert body: one document object, or {@code {"documents": [...]}}.
     *
     * @param now the update time of documents without {@code updated_at}
     */
    static List<Document> documents(JsonNode body, Instant now) {
        if (!body.has("documents")) {
            return List.of(document(body, "", now));
        }
        JsonBodies.rejectUnknown(body, "", List.of("documents"));
        JsonNode list = body.get("documents");
        if (!list.isArray()) {
            throw ApiException.invalid("invalid_type", "'documents' must be an array, got " + JsonBodies.kind(list), "documents");
        }
        if (list.isEmpty()) {
            throw ApiException.invalid("empty_field", "'documents' must contain at least one document", "documents");
        }
        List<Document> documents = new ArrayList<>(list.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "documents[" + i + "]";
            JsonNode node = list.get(i);
            if (!node.isObject()) {
                throw ApiException.invalid("invalid_type", "'" + at + "' must be an object, got " + JsonBodies.kind(node), at);
            }
            Document d = document(node, at, now);
            if (!ids.add(d.id())) {
                throw ApiException.invalid("duplicate_document_id", "'" + at + ".id': document id '" + d.id()
                        + "' appears more than once in this request", at + ".id");
            }
            documents.add(d);
        }
        return documents;
    }

    /** One document object; {@code at} is its path in the body ({@code ""} for the body itself). */
    static Document document(JsonNode node, String at, Instant now) {
        String p = at.isEmpty() ? "" : at + ".";
        JsonBodies.rejectUnknown(node, at, DOCUMENT_FIELDS);
        String id = JsonBodies.requiredText(node, "id", p + "id");
        if (id.length() > MAX_ID_CHARS) {
            throw ApiException.invalid("invalid_value", "'" + p + "id' is " + id.length() + " characters; the limit is "
                    + MAX_ID_CHARS, p + "id");
        }
        String text = JsonBodies.requiredText(node, "text", p + "text");
        String title = JsonBodies.optionalText(node, "title", p + "title");
        String source = JsonBodies.optionalText(node, "source", p + "source");
        List<String> tags = strings(node.get("tags"), p + "tags", false);
        Map<String, String> metadata = metadata(node.get("metadata"), p + "metadata");
        String updated = JsonBodies.optionalText(node, "updated_at", p + "updated_at");
        Instant updatedAt = updated == null ? now : instant(updated, p + "updated_at");
        try {
            return new Document(id, title == null ? "" : title, text, source == null ? "" : source, metadata, tags, updatedAt);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid_document", e.getMessage(), at.isEmpty() ? null : at);
        }
    }

    private static Map<String, String> metadata(JsonNode node, String param) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw ApiException.invalid("invalid_type", "'" + param + "' must be an object, got " + JsonBodies.kind(node), param);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String key = param + "." + e.getKey();
            if (e.getKey().isBlank()) {
                throw ApiException.invalid("invalid_value", "'" + param + "' keys must not be blank", param);
            }
            if (Document.RESERVED.contains(e.getKey())) {
                throw ApiException.invalid("invalid_value", "'" + key + "': '" + e.getKey()
                        + "' is a reserved field name; reserved: " + String.join(", ", Document.RESERVED), key);
            }
            out.put(e.getKey(), scalar(e.getValue(), key));
        }
        return out;
    }

    /** A string, number or boolean as text. */
    private static String scalar(JsonNode v, String param) {
        if (v == null || !v.isValueNode() || v.isNull()) {
            throw ApiException.invalid("invalid_type", "'" + param + "' must be a string, number or boolean, got "
                    + JsonBodies.kind(v), param);
        }
        return v.asText();
    }

    /** A list of non-blank strings (absent: empty; {@code scalarAllowed}: a single string is a list of one). */
    private static List<String> strings(JsonNode node, String param, boolean scalarAllowed) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (scalarAllowed && node.isValueNode()) {
            return List.of(scalar(node, param));
        }
        if (!node.isArray()) {
            throw ApiException.invalid("invalid_type", "'" + param + "' must be an array of strings, got " + JsonBodies.kind(node), param);
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode v = node.get(i);
            if (!v.isTextual() || v.asText().isBlank()) {
                throw ApiException.invalid("invalid_type", "'" + param + "[" + i + "]' must be a non-empty string, got "
                        + (v.isTextual() ? "an empty string" : JsonBodies.kind(v)), param);
            }
            out.add(v.asText());
        }
        return out;
    }

    /** A search body; {@code fusion} overrides the collection's default fusion for this request. */
    static SearchRequest search(JsonNode body) {
        JsonBodies.rejectUnknown(body, "", SEARCH_FIELDS);
        String query = JsonBodies.requiredText(body, "query");
        int length = query.codePointCount(0, query.length());
        if (length > MAX_QUERY_CHARS) {
            throw ApiException.tooLarge("query_too_long", "query is " + length + " characters; the limit is " + MAX_QUERY_CHARS, "query");
        }
        int topK = JsonBodies.optionalInt(body, "top_k", DEFAULT_TOP_K);
        if (topK < 1 || topK > MAX_TOP_K) {
            throw ApiException.invalid("invalid_value", "'top_k' must be between 1 and " + MAX_TOP_K + ", got " + topK, "top_k");
        }
        String mode = JsonBodies.optionalText(body, "mode");
        double minScore = JsonBodies.optionalNumber(body, "min_score", Double.NEGATIVE_INFINITY);
        boolean rerank = JsonBodies.optionalBoolean(body, "rerank", false);
        String fusion = JsonBodies.optionalText(body, "fusion");
        SearchRequest.Builder b = SearchRequest.builder(query)
                .topK(topK)
                .mode(mode == null ? SearchMode.HYBRID : mode(mode))
                .filters(filters(body.get("filters")))
                .minScore(minScore)
                .fusion(fusion == null ? null : fusion(fusion));
        if (body.hasNonNull("rerank")) {
            b.rerank(rerank);
        }
        return b.build(); // without "rerank": the builder's default, hybrid searches rerank
    }

    static SearchMode mode(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "hybrid" -> SearchMode.HYBRID;
            case "bm25" -> SearchMode.BM25;
            case "dense" -> SearchMode.DENSE;
            default -> throw ApiException.invalid("invalid_value", "'mode' must be one of hybrid, bm25, dense, got '"
                    + value + "'", "mode");
        };
    }

    private static FusionConfig fusion(String value) {
        try {
            return RetrievalSettings.parseFusion(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid_value", "'fusion': " + e.getMessage(), "fusion");
        }
    }

    /** The filters object of a search (absent or null: none). */
    static List<Filter> filters(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isObject()) {
            throw ApiException.invalid("invalid_type", "'filters' must be an object, got " + JsonBodies.kind(node), "filters");
        }
        List<Filter> filters = new ArrayList<>();
        Instant after = null;
        Instant before = null;
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            String field = e.getKey();
            String param = "filters." + field;
            if (field.equals(UPDATED_AFTER) || field.equals(UPDATED_BEFORE)) {
                JsonNode v = e.getValue();
                if (!v.isTextual()) {
                    throw ApiException.invalid("invalid_type", "'" + param + "' must be a date string, got " + JsonBodies.kind(v), param);
                }
                Instant t = instant(v.asText(), param);
                if (field.equals(UPDATED_AFTER)) {
                    after = t;
                } else {
                    before = t;
                }
                continue;
            }
            if (field.isBlank() || NOT_FILTERABLE.contains(field)) {
                throw ApiException.invalid("invalid_filter", "cannot filter on '" + field + "'; filter on tags, source, "
                        + "document_id, updated_after, updated_before or a metadata key", param);
            }
            List<String> values = strings(e.getValue(), param, true);
            if (values.isEmpty()) {
                throw ApiException.invalid("invalid_filter", "'" + param + "' needs at least one value", param);
            }
            filters.add(values.size() == 1 ? Filter.equalTo(field, values.get(0)) : Filter.anyOf(field, values));
        }
        if (after != null || before != null) {
            try {
                filters.add(new Filter.DateRange(Document.UPDATED_AT, after, before));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("invalid_filter", "'filters': updated_after must be before updated_before: "
                        + e.getMessage(), "filters." + UPDATED_BEFORE);
            }
        }
        return filters;
    }

    /** An ISO-8601 instant ({@code 2024-05-01T10:00:00Z}), date-time with offset, or date (midnight UTC). */
    static Instant instant(String value, String param) {
        String v = value.strip();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            // not a date-time with offset: try a plain date
        }
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("invalid_date", "'" + param + "' must be an ISO-8601 date or date-time "
                    + "(2024-05-01 or 2024-05-01T10:00:00Z), got '" + value + "'", param);
        }
    }
}
