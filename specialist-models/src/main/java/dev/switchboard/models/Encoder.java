package dev.switchboard.models;

import java.util.List;

/**
 * Turns texts into sentence embeddings: one L2-normalised {@code float[info().dimension()]} per
 * text, so that the dot product of two embeddings is their cosine similarity.
 *
 * <p>Implementations are thread-safe and batch internally: call {@link #embed(List)} with as many
 * texts as you have. An encoder owns native resources; close it when done.
 */
public interface Encoder extends AutoCloseable {

    /** What this encoder is: id, dimension, pooling, token limit and query prefix. */
    EncoderInfo info();

    /**
     * Embeds passages (documents, training texts, messages to classify), in order. Texts longer
     * than {@link EncoderInfo#maxTokens()} tokens are truncated.
     *
     * @throws IllegalArgumentException if {@code texts} or one of its elements is null
     */
    float[][] embed(List<String> texts);

    /** Embeds one passage. */
    default float[] embed(String text) {
        return embed(List.of(text))[0];
    }

    /**
     * Embeds retrieval queries: like {@link #embed(List)} but each text is first prefixed with
     * {@link EncoderInfo#queryPrefix()} (empty for MiniLM, an instruction for bge).
     */
    default float[][] embedQueries(List<String> queries) {
        String prefix = info().queryPrefix();
        if (prefix.isEmpty()) {
            return embed(queries);
        }
        return embed(queries.stream().map(q -> prefix + q).toList());
    }

    /** Embeds one retrieval query. */
    default float[] embedQuery(String query) {
        return embedQueries(List.of(query))[0];
    }

    /**
     * The token-level states of {@code text} (truncated to {@link EncoderInfo#maxTokens()}), for token
     * classification. Encoders that cannot expose them throw {@link UnsupportedOperationException}.
     */
    default TokenEncoding encodeTokens(String text) {
        throw new UnsupportedOperationException("encoder " + info().id() + " does not expose token states");
    }

    /** Releases the native session. Further calls fail with {@link IllegalStateException}. */
    @Override
    void close();
}
