package dev.switchboard.retrieval;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document to index: one help-center article, FAQ entry, file or record. The index splits it into
 * chunks (see {@link KnowledgeIndex}); every chunk keeps the document's id, title, source, tags,
 * update time and metadata, and each of them can be filtered on (see {@link Filter}).
 *
 * @param id        stable identifier; {@link KnowledgeIndex#upsert(Document)} replaces every chunk of a
 *                  document with the same id. For ingested files: the path relative to the ingested
 *                  folder, without extension, with {@code /} separators (e.g. {@code cards/lost-card})
 * @param title     display title (may be empty, never null)
 * @param text      the full text, Markdown or plain; chunk offsets point into it
 * @param source    where the text came from (a relative file path, a URL; may be empty)
 * @param metadata  free-form string pairs, stored with every chunk (copied, never null); keys must not
 *                  be one of the reserved field names {@link #RESERVED}
 * @param tags      labels to filter on (copied; no blank tag)
 * @param updatedAt when the content last changed (a file's modification time, a record's
 *                  {@code updated_at}), millisecond precision
 */
public record Document(String id, String title, String text, String source, Map<String, String> metadata,
                       List<String> tags, Instant updatedAt) {

    public static final String DOCUMENT_ID = "document_id";
    public static final String SOURCE = "source";
    public static final String TAGS = "tags";
    public static final String UPDATED_AT = "updated_at";
    public static final String COLLECTION = "collection";
    /** Field names that metadata keys may not take. */
    public static final List<String> RESERVED = List.of(DOCUMENT_ID, SOURCE, TAGS, UPDATED_AT, COLLECTION, "title", "text", "section");

    public Document {
        Objects.requireNonNull(id, "document id must not be null");
        Objects.requireNonNull(title, "document title must not be null");
        Objects.requireNonNull(text, "document text must not be null");
        Objects.requireNonNull(source, "document source must not be null");
        Objects.requireNonNull(metadata, "document metadata must not be null");
        Objects.requireNonNull(tags, "document tags must not be null");
        Objects.requireNonNull(updatedAt, "document updatedAt must not be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("document text must not be blank: " + id);
        }
        for (String key : metadata.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException("document " + id + ": metadata key '" + key + "' is reserved");
            }
        }
        for (String tag : tags) {
            if (tag == null || tag.isBlank()) {
                throw new IllegalArgumentException("document " + id + ": tags must not be blank");
            }
        }
        metadata = Map.copyOf(metadata);
        tags = List.copyOf(tags);
        updatedAt = updatedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A document without tags, updated now. */
    public Document(String id, String title, String text, String source, Map<String, String> metadata) {
        this(id, title, text, source, metadata, List.of(), Instant.now());
    }

    /** A document without source, metadata or tags, updated now. */
    public static Document of(String id, String title, String text) {
        return new Document(id, title, text, "", Map.of());
    }
}
