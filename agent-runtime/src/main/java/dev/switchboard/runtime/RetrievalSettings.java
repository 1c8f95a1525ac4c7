package dev.switchboard.runtime;

import dev.switchboard.retrieval.FusionConfig;

import java.util.Locale;
import java.util.Objects;

/**
 * How the runtime's knowledge collections are indexed, searched and fed.
 *
 * @param encoderId    encoder of every collection ({@code switchboard.retrieval.encoder}, default
 *                     {@value #DEFAULT_ENCODER}); independent of the classifiers' encoder. Changing it
 *                     re-indexes the knowledge folders at the next start; collections created through
 *                     the API keep the encoder they were built with and must be re-created
 * @param fusion       default hybrid fusion ({@code switchboard.retrieval.fusion}: {@code rrf},
 *                     {@code rrf:K}, {@code weighted:W} or {@code zscore:W}; absent =
 *                     {@link FusionConfig#defaults()})
 * @param rerankEncoderId encoder of the embedding reranker a search with {@code "rerank": true} uses
 *                     ({@code switchboard.retrieval.reranker=embedding:<encoder id>}), or null for none
 *                     ({@code none}, the default): such a search is then refused
 * @param rerankDepth  how many fused hits the reranker re-scores ({@code switchboard.retrieval.rerank-depth},
 *                     default 20)
 * @param maxFileBytes largest uploaded file ({@code switchboard.uploads.max-file-size}, default 20 MB)
 */
record RetrievalSettings(String encoderId, FusionConfig fusion, String rerankEncoderId, int rerankDepth,
                         long maxFileBytes) {

    static final String DEFAULT_ENCODER = "all-minilm-l6-v2-q";
    static final long DEFAULT_MAX_FILE_BYTES = 20L * 1024 * 1024;
    static final int DEFAULT_RERANK_DEPTH = 20;

    RetrievalSettings {
        if (encoderId == null || encoderId.isBlank()) {
            throw new IllegalArgumentException("switchboard.retrieval.encoder must not be blank");
        }
        Objects.requireNonNull(fusion, "fusion");
        if (rerankEncoderId != null && rerankEncoderId.isBlank()) {
            throw new IllegalArgumentException("the reranker's encoder id must not be blank");
        }
        if (rerankDepth < 1) {
            throw new IllegalArgumentException("switchboard.retrieval.rerank-depth must be >= 1, got " + rerankDepth);
        }
        if (maxFileBytes <= 0) {
            throw new IllegalArgumentException("switchboard.uploads.max-file-size must be > 0, got " + maxFileBytes);
        }
    }

    static RetrievalSettings defaults() {
        return new RetrievalSettings(DEFAULT_ENCODER, FusionConfig.defaults(), null, DEFAULT_RERANK_DEPTH,
                DEFAULT_MAX_FILE_BYTES);
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

    /**
     * Parses the reranker setting: {@code none} (or blank) → null; {@code embedding:<encoder id>} →
     * that encoder id.
     */
    static String parseReranker(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.equals("none")) {
            return null;
        }
        if (v.startsWith("embedding:") && v.length() > "embedding:".length()) {
            return v.substring("embedding:".length());
        }
        throw new IllegalArgumentException("reranker must be none or embedding:<encoder id> "
                + "(e.g. embedding:bge-small-en-v1.5), got '" + value + "'");
    }
}
