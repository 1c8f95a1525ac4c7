package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * A search.
 *
 * @param query the user's words (free text: no query syntax is interpreted)
 * @param topK  how many hits to return at most, 1..{@value #MAX_TOP_K}
 * @param mode  how to rank
 */
public record SearchRequest(String query, int topK, SearchMode mode) {

    /** Upper bound of {@link #topK()}. */
    public static final int MAX_TOP_K = 1000;

    public SearchRequest {
        Objects.requireNonNull(query, "query must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        if (query.isBlank()) {
            throw new IllegalArgumentException("query must not be blank");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("topK must be in 1.." + MAX_TOP_K + ", got " + topK);
        }
    }

    /** A {@link SearchMode#HYBRID} search. */
    public static SearchRequest hybrid(String query, int topK) {
        return new SearchRequest(query, topK, SearchMode.HYBRID);
    }
}
