package dev.switchboard.retrieval;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One retrieved chunk.
 *
 * @param chunkId      {@code <documentId>#<n>}, n counting from 0 in document order (a chunk that
 *                     duplicates another document's chunk is not indexed, so n may have gaps)
 * @param documentId   the document the chunk belongs to
 * @param title        the document's title
 * @param section      heading path of the chunk, e.g. {@code Cards > Lost card}; empty before the
 *                     first section heading
 * @param text         the chunk text, exactly {@code document.text().substring(start, end)}
 * @param snippet      the 1–2 sentences of the chunk that best match the query (at most 300 chars,
 *                     whitespace collapsed, "…" appended when cut)
 * @param start        offset of the chunk's first char in the document text
 * @param end          offset after the chunk's last char (exclusive)
 * @param score        the score hits are ranked by: BM25 score, cosine, the fusion score, or the
 *                     reranker's score
 * @param bm25Score    BM25 score of this chunk for the query, 0 if it does not match lexically
 * @param cosine       cosine similarity of the query embedding and the chunk's vector, for every hit
 *                     whatever the mode (use it as a grounding threshold)
 * @param source       the document's source (file path, URL; may be empty)
 * @param tags         the document's tags
 * @param updatedAt    when the document last changed
 * @param metadata     the document's metadata
 * @param snippetStart offset of the snippet's first char in the document text
 * @param snippetEnd   offset after the snippet's last char in the document text: the citation is
 *                     {@code document.text().substring(snippetStart, snippetEnd)}
 */
public record SearchHit(String chunkId, String documentId, String title, String section, String text,
                        String snippet, int start, int end, double score, double bm25Score, double cosine,
                        String source, List<String> tags, Instant updatedAt, Map<String, String> metadata,
                        int snippetStart, int snippetEnd) {

    public SearchHit {
        Objects.requireNonNull(chunkId, "chunkId must not be null");
        Objects.requireNonNull(documentId, "documentId must not be null");
        Objects.requireNonNull(title, "title must not be null");
        Objects.requireNonNull(section, "section must not be null");
        Objects.requireNonNull(text, "text must not be null");
        Objects.requireNonNull(snippet, "snippet must not be null");
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(tags, "tags must not be null");
        Objects.requireNonNull(updatedAt, "updatedAt must not be null");
        Objects.requireNonNull(metadata, "metadata must not be null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("need 0 <= start <= end, got [" + start + ", " + end + ")");
        }
        if (snippetStart < start || snippetEnd < snippetStart || snippetEnd > end) {
            throw new IllegalArgumentException("need start <= snippetStart <= snippetEnd <= end, got snippet ["
                    + snippetStart + ", " + snippetEnd + ") in chunk [" + start + ", " + end + ")");
        }
        tags = List.copyOf(tags);
        metadata = Map.copyOf(metadata);
    }

    /** This hit with another {@link #score()} (for rerankers); every other component unchanged. */
    public SearchHit withScore(double newScore) {
        return new SearchHit(chunkId, documentId, title, section, text, snippet, start, end, newScore, bm25Score, cosine,
                source, tags, updatedAt, metadata, snippetStart, snippetEnd);
    }
}
