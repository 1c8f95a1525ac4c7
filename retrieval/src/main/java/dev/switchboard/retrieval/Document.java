package dev.switchboard.retrieval;

import java.util.Map;
import java.util.Objects;

/**
 * A document to index: one help-center article, FAQ entry or text file. The index splits it into
 * chunks (see {@link KnowledgeIndex}); every chunk keeps the document's id, title and source.
 *
 * @param id       stable identifier; {@link KnowledgeIndex#upsert(Document)} replaces every chunk of a
 *                 document with the same id. For ingested files: the path relative to the ingested
 *                 folder, without extension, with {@code /} separators (e.g. {@code cards/lost-card})
 * @param title    display title (may be empty, never null)
 * @param text     the full text, Markdown or plain; chunk offsets point into it
 * @param source   where the text came from (a relative file path, a URL; may be empty)
 * @param metadata free-form string pairs, stored with every chunk (copied, never null)
 */
public record Document(String id, String title, String text, String source, Map<String, String> metadata) {

    public Document {
        Objects.requireNonNull(id, "document id must not be null");
        Objects.requireNonNull(title, "document title must not be null");
        Objects.requireNonNull(text, "document text must not be null");
        Objects.requireNonNull(source, "document source must not be null");
        Objects.requireNonNull(metadata, "document metadata must not be null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("document text must not be blank: " + id);
        }
        metadata = Map.copyOf(metadata);
    }

    /** A document without source or metadata. */
    public static Document of(String id, String title, String text) {
        return new Document(id, title, text, "", Map.of());
    }
}
