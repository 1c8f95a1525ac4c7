package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * Settings of a {@link KnowledgeIndex}: search defaults a request may not override wholesale, and how
 * vectors are stored.
 *
 * @param fusion       the default hybrid fusion (a request may pass its own)
 * @param reranker     re-orders the best hits of the searches that ask for it ({@link SearchRequest#rerank()},
 *                     by default every HYBRID search); null for none (the default). The measured
 *                     configuration is {@link Rerankers#sameEncoder(dev.switchboard.models.Encoder)}
 *                     (docs/benchmarks.md, "Retrieval quality")
 * @param rerankDepth  how many fused hits the reranker sees (default {@link Rerankers#DEFAULT_DEPTH},
 *                     {@value Rerankers#DEFAULT_DEPTH})
 * @param vectorFormat how the HNSW vectors are stored (default {@link VectorFormat#FLOAT32}); fixed when
 *                     the index is created: reopening with another format fails
 * @param deduplicate  whether a chunk whose normalised text another document of the collection already
 *                     holds is kept out of search (default true; see {@link KnowledgeIndex})
 */
public record IndexOptions(FusionConfig fusion, Reranker reranker, int rerankDepth, VectorFormat vectorFormat,
                           boolean deduplicate) {

    /** Storage of the chunk vectors. */
    public enum VectorFormat {
        /** Lucene's HNSW over 32-bit float vectors: exact scores, 4 bytes per dimension. */
        FLOAT32,
        /**
         * Lucene's scalar-quantized HNSW ({@code Lucene104HnswScalarQuantizedVectorsFormat} with
         * {@code UNSIGNED_BYTE} encoding: 8 bits per dimension, same graph parameters as FLOAT32): the
         * graph is searched on the quantized vectors, about 4× less memory for the search; the float
         * vectors stay on disk, candidates are re-ranked by their exact cosine and hits report it.
         */
        INT8
    }

    public IndexOptions {
        Objects.requireNonNull(fusion, "fusion must not be null");
        Objects.requireNonNull(vectorFormat, "vectorFormat must not be null");
        if (rerankDepth < 1) {
            throw new IllegalArgumentException("rerankDepth must be >= 1, got " + rerankDepth);
        }
    }

    /** Float32 vectors, deduplication on. */
    public IndexOptions(FusionConfig fusion, Reranker reranker, int rerankDepth) {
        this(fusion, reranker, rerankDepth, VectorFormat.FLOAT32, true);
    }

    /** Default fusion, no reranker (depth {@link Rerankers#DEFAULT_DEPTH}), float32 vectors, deduplication on. */
    public static IndexOptions defaults() {
        return new IndexOptions(FusionConfig.defaults(), null, Rerankers.DEFAULT_DEPTH);
    }

    public IndexOptions withFusion(FusionConfig fusion) {
        return new IndexOptions(fusion, reranker, rerankDepth, vectorFormat, deduplicate);
    }

    /** This configuration with {@code reranker} at {@link Rerankers#DEFAULT_DEPTH}. */
    public IndexOptions withReranker(Reranker reranker) {
        return withReranker(reranker, Rerankers.DEFAULT_DEPTH);
    }

    public IndexOptions withReranker(Reranker reranker, int depth) {
        return new IndexOptions(fusion, reranker, depth, vectorFormat, deduplicate);
    }

    public IndexOptions withVectorFormat(VectorFormat format) {
        return new IndexOptions(fusion, reranker, rerankDepth, format, deduplicate);
    }

    public IndexOptions withDeduplicate(boolean deduplicate) {
        return new IndexOptions(fusion, reranker, rerankDepth, vectorFormat, deduplicate);
    }
}
