package dev.switchboard.retrieval;

import dev.langchain4j.model.scoring.ScoringModel;
import dev.switchboard.models.Encoder;
import java.util.Objects;

/**
 * The rerankers a {@link KnowledgeIndex} can use (see {@link IndexOptions#withReranker(Reranker, int)}).
 *
 * <p>The embedding rerankers judge a hit by two views, its document title and its passage
 * {@code "title. section. text"} (the text the index embeds), and keep the better one:
 * {@code view(h) = max(cos(q, title), cos(q, passage))} — a help-center title is often the very
 * question a user paraphrases, which the passage's vector dilutes. The new score mixes that view with
 * the score the index ranked the hit by: {@code score(h) = mix·view'(h) + (1 − mix)·prior'(h)}, each
 * x' min-max normalised over the reranked hits ({@code (x − min) / (max − min)}, 1 when all equal);
 * with {@code mix = 1} the score is {@code view(h)} itself, a cosine. A hit without a title has only
 * the passage view. Query, title and passage vectors are cached (LRU, 4096 texts). Measured on
 * emanual_qa and covid_faq in docs/benchmarks.md ("Retrieval quality").
 */
public final class Rerankers {

    /**
     * The mix of {@link #sameEncoder(Encoder)} and {@link #embedding(Encoder)}: chosen with
     * {@link #DEFAULT_DEPTH} and {@link FusionConfig#defaults()} on the dev queries (docs/benchmarks.md).
     */
    public static final double DEFAULT_MIX = 0.5;
    /**
     * The rerank depth measured with {@link #DEFAULT_MIX}; the default {@link IndexOptions#rerankDepth()}
     * and what {@link IndexOptions#withReranker(Reranker)} uses.
     */
    public static final int DEFAULT_DEPTH = 30;

    private Rerankers() {
    }

    /**
     * Reranks with the index's own encoder: the passage view is the hit's {@link SearchHit#cosine()}
     * (no passage is re-embedded) and the query vector is the one the index searched with (not
     * embedded again), so a search costs at most one embedding per title not seen before (LRU of
     * 4,096 texts). {@code indexEncoder} must be the encoder the index was
     * opened with, else the two views are cosines of different models.
     *
     * @throws IllegalArgumentException if mix is not in [0, 1]
     */
    public static Reranker sameEncoder(Encoder indexEncoder, double mix) {
        return new EmbeddingReranker(Objects.requireNonNull(indexEncoder, "encoder must not be null"), mix, true);
    }

    /** {@link #sameEncoder(Encoder, double)} with {@link #DEFAULT_MIX}. */
    public static Reranker sameEncoder(Encoder indexEncoder) {
        return sameEncoder(indexEncoder, DEFAULT_MIX);
    }

    /**
     * Reranks with another encoder (e.g. full-precision bge-small over an int8 index): both views are
     * embedded with {@code encoder}.
     *
     * @throws IllegalArgumentException if mix is not in [0, 1]
     */
    public static Reranker embedding(Encoder encoder, double mix) {
        return new EmbeddingReranker(Objects.requireNonNull(encoder, "encoder must not be null"), mix, false);
    }

    /** {@link #embedding(Encoder, double)} with {@link #DEFAULT_MIX}. */
    public static Reranker embedding(Encoder encoder) {
        return embedding(encoder, DEFAULT_MIX);
    }

    /**
     * Re-scores hits with a LangChain4j {@link ScoringModel} (e.g. a cross-encoder a user supplies):
     * each hit's score becomes the model's score of its passage {@code "title. section. text"} for the
     * query ({@code scoreAll}, one call per search); equal scores keep the index's order.
     */
    public static Reranker scoringModel(ScoringModel model) {
        return new ScoringModelReranker(Objects.requireNonNull(model, "scoring model must not be null"));
    }
}
