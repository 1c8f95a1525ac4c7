package dev.switchboard.models;

import java.util.Objects;

/**
 * Describes an encoder.
 *
 * @param id          stable identifier, stored in every model manifest and index that uses it
 *                    (e.g. {@code all-minilm-l6-v2-q}); a mismatch at load time is an error
 * @param dimension   length of each embedding (384 for MiniLM and bge-small)
 * @param pooling     how token states become one vector
 * @param maxTokens   token limit per text including the special tokens; longer texts are truncated
 * @param queryPrefix prepended to retrieval queries (not to passages); empty when none
 */
public record EncoderInfo(String id, int dimension, Pooling pooling, int maxTokens, String queryPrefix) {

    public EncoderInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pooling, "pooling");
        Objects.requireNonNull(queryPrefix, "queryPrefix");
        if (id.isBlank()) {
            throw new IllegalArgumentException("encoder id must not be blank");
        }
        if (dimension <= 0) {
            throw new IllegalArgumentException("dimension must be > 0, got " + dimension);
        }
        if (maxTokens < 3) {
            throw new IllegalArgumentException("maxTokens must be >= 3, got " + maxTokens);
        }
    }
}
