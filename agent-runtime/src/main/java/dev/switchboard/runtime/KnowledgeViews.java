package dev.switchboard.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.retrieval.SearchHit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the knowledge API's responses (snake_case on the wire). */
final class KnowledgeViews {

    private KnowledgeViews() {
    }

    /**
     * A collection.
     *
     * @param readOnly true for a collection that mirrors a knowledge folder ({@code folder}); its
     *                 content changes with the folder, not through the API
     */
    record Collection(String name, String tenant, String description, String encoder, int documentCount,
                      int chunkCount, Instant createdAt, boolean readOnly, String folder) {
    }

    record CollectionList(List<Collection> collections) {
    }

    /** The answer to a DELETE: what was deleted. */
    record Deleted(String id, String object, boolean deleted) {
    }

    /** A stored document and how many chunks it has in the index now. */
    record Stored(String id, int chunks) {
    }

    /**
     * The answer to a JSON upsert: each document with its chunk count, and over all of them the chunks
     * made searchable and those kept out of search because another document already holds the same
     * text.
     */
    record Upserted(String collection, List<Stored> documents, int chunks, int duplicateChunks) {
    }

    /**
     * What happened to one uploaded file: {@code status} is {@code stored} (with its documents; for a
     * JSONL file, its bad lines in {@code line_failures}) or {@code failed} (with the error: the HTTP
     * status this file alone would have had, a code and a message naming the file and the reason).
     */
    record FileResult(String file, String status, List<Stored> documents,
                      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LineFailure> lineFailures,
                      @JsonInclude(JsonInclude.Include.NON_NULL) FileError error) {

        static FileResult stored(String file, List<Stored> documents, List<LineFailure> lineFailures) {
            return new FileResult(file, "stored", documents, lineFailures, null);
        }

        static FileResult failed(String file, ApiException e) {
            return new FileResult(file, "failed", List.of(), List.of(), new FileError(e.status(), e.code(), e.getMessage()));
        }

        boolean ok() {
            return error == null;
        }
    }

    /** A bad line of a JSONL file: {@code source} is {@code file:line}. */
    record LineFailure(String source, String reason) {
    }

    record FileError(int status, String code, String message) {
    }

    /**
     * The answer to a multipart upload: one entry per file, in request order. {@code error} is set
     * (OpenAI's envelope body) only when no file was stored.
     */
    record Uploaded(String collection, int stored, int failed, List<FileResult> files,
                    @JsonInclude(JsonInclude.Include.NON_NULL) ApiError.Body error) {
    }

    /** One chunk of a stored document, with its offsets in the document's text. */
    record Chunk(String chunkId, String section, int start, int end, String text) {
    }

    record DocumentView(String id, String collection, String title, String source, List<String> tags,
                        Instant updatedAt, Map<String, String> metadata, int chunkCount, List<Chunk> chunks) {
    }

    /**
     * One search hit. {@code start}/{@code end}: the chunk in the document's text; {@code snippet_start}
     * /{@code snippet_end}: the snippet in the document's text. {@code score} ranks the hits (its scale
     * depends on the mode), {@code bm25} and {@code cosine} are given for every hit.
     */
    record Hit(String chunkId, String documentId, String title, String section, String text, int start, int end,
               String snippet, int snippetStart, int snippetEnd, double score, double bm25, double cosine,
               String source, List<String> tags, Instant updatedAt, Map<String, String> metadata) {

        static Hit of(SearchHit h) {
            return new Hit(h.chunkId(), h.documentId(), h.title(), h.section(), h.text(), h.start(), h.end(),
                    h.snippet(), h.snippetStart(), h.snippetEnd(), round6(h.score()), round6(h.bm25Score()),
                    round6(h.cosine()), h.source(), h.tags(), h.updatedAt(), h.metadata());
        }

        /** Six decimals: fused RRF scores are around 0.016, and four would tie distinct ranks. */
        private static double round6(double v) {
            return Math.round(v * 1e6) / 1e6;
        }
    }

    record SearchResult(String collection, String query, String mode, List<Hit> hits, double latencyMs) {
    }
}
