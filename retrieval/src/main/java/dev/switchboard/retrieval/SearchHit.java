package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * One retrieved chunk.
 *
 * @param chunkId    {@code <documentId>#<n>}, n counting from 0 in document order
 * @param documentId the document the chunk belongs to
 * @param title      the document's title
 * @param section    heading path of the chunk, e.g. {@code Cards > Lost card}; empty before the
 *                   first section heading
 * @param text       the chunk text, exactly {@code document.text().substring(start, end)}
 * @param snippet    the 1–2 sentences of the chunk that best match the query (at most 300 chars)
 * @param start      offset of the chunk's first char in the document text
 * @param end        offset after the chunk's last char (exclusive)
 * @param score      the score hits are ranked by: BM25 score, cosine, or the fused RRF score
 * @param bm25Score  BM25 score of this chunk for the query, 0 if it does not match lexically
 * @param cosine     cosine similarity of the query embedding and the chunk's vector, for every hit
 *                   whatever the mode (use it as a grounding threshold)
 */
public record SearchHit(String chunkId, String documentId, String title, String section, String text,
                        String snippet, int start, int end, double score, double bm25Score, double cosine) {

    public SearchHit {
        Objects.requireNonNull(chunkId, "chunkId must not be null");
        Objects.requireNonNull(documentId, "documentId must not be null");
        Objects.requireNonNull(title, "title must not be null");
        Objects.requireNonNull(section, "section must not be null");
        Objects.requireNonNull(text, "text must not be null");
        Objects.requireNonNull(snippet, "snippet must not be null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("need 0 <= start <= end, got [" + start + ", " + end + ")");
        }
    }
}
