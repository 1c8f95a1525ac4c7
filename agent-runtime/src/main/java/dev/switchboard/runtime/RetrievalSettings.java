package dev.switchboard.runtime;

import dev.switchboard.retrieval.FusionConfig;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.Rerankers;

import java.util.Objects;

/**
 * How the runtime's knowledge collections are indexed, searched and fed. The defaults are the
 * configuration measured in docs/benchmarks.md ("Retrieval quality"): encoder
 * {@value KnowledgeIndex#DEFAULT_ENCODER_ID}, {@link FusionConfig#defaults()}, and the same-encoder
 * reranker at depth {@value Rerankers#DEFAULT_DEPTH} on every hybrid search.
 *
 * @param encoderId    encoder of every collection ({@code switchboard.retrieval.encoder}, default
 *                     {@value KnowledgeIndex#DEFAULT_ENCODER_ID}); independent of the classifiers' encoder.
 *                     Changing it re-indexes the knowledge folders at the next start; a collection
 *                     created through the API keeps the encoder it was built with and answers 409
 *                     {@code collection_unavailable} (naming both encoders) until it is re-created
 * @param fusion       default hybrid fusion ({@code switchboard.retrieval.fusion}: {@code rrf},
 *                     {@code rrf:K}, {@code weighted:W} or {@code zscore:W}; absent =
 *                     {@link FusionConfig#defaults()})
 * @param reranker     what re-scores the best hits of a hybrid search, or of one that asks with
 *                     {@code "rerank": true} ({@code switchboard.retrieval.reranker}, see {@link Reranking})
 * @param rerankDepth  how many fused hits the reranker re-scores ({@code switchboard.retrieval.rerank-depth},
 *                     default {@value Rerankers#DEFAULT_DEPTH})
 * @param maxFileBytes largest uploaded file ({@code switchboard.uploads.max-file-size}, default 20 MB)
 */
record RetrievalSettings(String encoderId, FusionConfig fusion, Reranking reranker, int rerankDepth,
                         long maxFileBytes) {

    static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;

    /**
     * The {@code switchboard.retrieval.reranker} setting: {@code none}; {@code same} (the default:
     * {@link Rerankers#sameEncoder}, the collections' own encoder, which reuses each hit's cosine and
     * embeds only the query and titles); or {@code embedding:<encoder id>} ({@link Rerankers#embedding}
     * with another encoder, which re-embeds the passages too).
     *
     * @param kind      which reranker
     * @param encoderId the encoder of {@link Kind#EMBEDDING}; null for the others
     */
    record Reranking(Kind kind, String encoderId) {

        enum Kind { NONE, SAME, EMBEDDING }

        static final Reranking NONE = new Reranking(Kind.NONE, null);
        static final Reranking SAME = new Reranking(Kind.SAME, null);
        /** The default setting's text, as {@code application.properties} spells it. */
        static final String DEFAULT = "same";

        Reranking {
            Objects.requireNonNull(kind, "kind");
            if ((kind == Kind.EMBEDDING) != (encoderId != null)) {
                throw new IllegalArgumentException("a reranker encoder id goes with EMBEDDING only, got " + kind + " and " + encoderId);
            }
            if (encoderId != null && encoderId.isBlank()) {
                throw new IllegalArgumentException("the reranker's encoder id must not be blank");
            }
        }

        static Reranking embedding(String encoderId) {
            return new Reranking(Kind.EMBEDDING, encoderId);
        }

        /**
         * Parses the setting: {@code none}, {@code same} (or blank: the default), {@code embedding:<encoder id>}.
         *
         * @throws IllegalArgumentException naming the accepted forms
         */
        static Reranking parse(String value) {
            String v = value == null ? "" : value.strip();
            if (v.isEmpty() || v.equals(DEFAULT)) {
                return SAME;
            }
            if (v.equals("none")) {
                return NONE;
            }
            if (v.startsWith("embedding:") && !v.substring("embedding:".length()).isBlank()) {
                return embedding(v.substring("embedding:".length()).strip());
            }
            throw new IllegalArgumentException("reranker must be same, none or embedding:<encoder id> "
                    + "(e.g. embedding:bge-small-en-v1.5), got '" + value + "'");
        }
    }

    RetrievalSettings {
        if (encoderId == null || encoderId.isBlank()) {
            throw new IllegalArgumentException("switchboard.retrieval.encoder must not be blank");
        }
        Objects.requireNonNull(fusion, "fusion");
        Objects.requireNonNull(reranker, "reranker");
        if (rerankDepth < 1) {
            throw new IllegalArgumentException("switchboard.retrieval.rerank-depth must be >= 1, got " + rerankDepth);
        }
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("switchboard.uploads.max-file-size must be > 0, got " + maxFileBytes);
        }
    }

    static RetrievalSettings defaults() {
        return new RetrievalSettings(KnowledgeIndex.DEFAULT_ENCODER_ID, FusionConfig.defaults(), Reranking.SAME,
                Rerankers.DEFAULT_DEPTH, DEFAULT_MAX_FILE_BYTES);
    }

    /** These settings with another reranker (tests, and a runtime configured without one). */
    RetrievalSettings withReranker(Reranking reranking) {
        return new RetrievalSettings(encoderId, fusion, reranking, rerankDepth, maxFileBytes);
    }

    /**
     * Parses a fusion setting with {@link FusionConfig#parse}: {@code rrf}, {@code rrf:K},
     * {@code weighted:W}, {@code zscore:W}, optionally followed by {@code @CANDIDATES}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    static FusionConfig parseFusion(String value) {
        return FusionConfig.parse(value == null ? "" : value);
    }
}
