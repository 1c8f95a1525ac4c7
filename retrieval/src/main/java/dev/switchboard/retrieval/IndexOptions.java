package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * Search settings of a {@link KnowledgeIndex} that a request may not override wholesale.
 *
 * @param fusion      the default hybrid fusion (a request may pass its own)
 * @param reranker    re-orders the best hits when a request asks for it; null for none
 * @param rerankDepth how many fused hits the reranker sees (default {@value #DEFAULT_RERANK_DEPTH})
 */
public record IndexOptions(FusionConfig fusion, Reranker reranker, int rerankDepth) {

    public static final int DEFAULT_RERANK_DEPTH = 20;

    public IndexOptions {
        Objects.requireNonNull(fusion, "fusion must not be null");
        if (rerankDepth < 1) {
            throw new IllegalArgumentException("rerankDepth must be >= 1, got " + rerankDepth);
        }
    }

    /** Default fusion, no reranker. */
    public static IndexOptions defaults() {
        return new IndexOptions(FusionConfig.defaults(), null, DEFAULT_RERANK_DEPTH);
    }

    public IndexOptions withFusion(FusionConfig fusion) {
        return new IndexOptions(fusion, reranker, rerankDepth);
    }

    public IndexOptions withReranker(Reranker reranker, int depth) {
        return new IndexOptions(fusion, reranker, depth);
    }
}
