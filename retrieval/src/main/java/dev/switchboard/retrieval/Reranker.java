package dev.switchboard.retrieval;

import java.util.List;

/**
 * Re-orders the best hits of a search with a more expensive relevance model. Implementations:
 * {@link Rerankers#embedding} (re-scores with a sentence encoder) and {@link Rerankers#scoringModel}
 * (any LangChain4j {@code ScoringModel}, e.g. a cross-encoder a user supplies).
 */
public interface Reranker {

    /**
     * Returns {@code hits} (best first, as the index ranked them) re-ordered best first, with
     * {@link SearchHit#score()} replaced by the reranker's score. Must not add or drop hits.
     */
    List<SearchHit> rerank(String query, List<SearchHit> hits);

    /**
     * Like {@link #rerank(String, List)}, given also the query's vector as the index embedded it
     * ({@code Encoder.embedQuery} of the index's encoder), which a reranker using that same encoder
     * takes instead of embedding the query a second time. The index calls this one; by default it
     * ignores the vector.
     */
    default List<SearchHit> rerank(String query, float[] indexQueryVector, List<SearchHit> hits) {
        return rerank(query, hits);
    }

    /** Short id for traces, e.g. {@code embedding:bge-small-en-v1.5}. */
    String id();
}
