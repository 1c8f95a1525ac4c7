package dev.switchboard.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A search.
 *
 * @param query    the user's words (free text: no query syntax is interpreted)
 * @param topK     how many hits to return at most, 1..{@value #MAX_TOP_K}
 * @param mode     how to rank
 * @param filters  metadata conditions, AND-ed (see {@link Filter}); empty for none
 * @param minScore hits whose {@link SearchHit#score()} is below this are dropped; negative infinity
 *                 (the default) keeps all. Score scales differ by mode: cosine for DENSE, BM25 for
 *                 BM25, the fusion score for HYBRID (see {@link FusionConfig})
 * @param fusion   how HYBRID fuses, or null for the index's default
 * @param rerank   whether the index's {@link Reranker} re-orders the best hits (ignored if the index
 *                 has none); the builder and {@link #SearchRequest(String, int, SearchMode)} set it for
 *                 HYBRID searches unless told otherwise, so that an index opened with a reranker
 *                 serves the measured configuration (hybrid + rerank) by default
 */
public record SearchRequest(String query, int topK, SearchMode mode, List<Filter> filters, double minScore,
                            FusionConfig fusion, boolean rerank) {

    /** Upper bound of {@link #topK()}. */
    public static final int MAX_TOP_K = 1000;

    public SearchRequest {
        Objects.requireNonNull(query, "query must not be null");
        Objects.requireNonNull(mode, "mode must not be null");
        Objects.requireNonNull(filters, "filters must not be null");
        if (query.isBlank()) {
            throw new IllegalArgumentException("query must not be blank");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("topK must be in 1.." + MAX_TOP_K + ", got " + topK);
        }
        if (Double.isNaN(minScore)) {
            throw new IllegalArgumentException("minScore must be a number");
        }
        filters = List.copyOf(filters);
    }

    /**
     * A search without filters, minimum score or fusion override; reranked (if the index has a
     * reranker) when HYBRID.
     */
    public SearchRequest(String query, int topK, SearchMode mode) {
        this(query, topK, mode, List.of(), Double.NEGATIVE_INFINITY, null, mode == SearchMode.HYBRID);
    }

    /** A {@link SearchMode#HYBRID} search. */
    public static SearchRequest hybrid(String query, int topK) {
        return new SearchRequest(query, topK, SearchMode.HYBRID);
    }

    public static Builder builder(String query) {
        return new Builder(query);
    }

    /**
     * Builds a {@link SearchRequest}; defaults: top 5, HYBRID, no filters, no minimum, index fusion, and
     * rerank for HYBRID only.
     */
    public static final class Builder {
        private final String query;
        private int topK = 5;
        private SearchMode mode = SearchMode.HYBRID;
        private final List<Filter> filters = new ArrayList<>();
        private double minScore = Double.NEGATIVE_INFINITY;
        private FusionConfig fusion;
        /** Null: {@code mode == HYBRID}. */
        private Boolean rerank;

        private Builder(String query) {
            this.query = query;
        }

        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder mode(SearchMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder filter(Filter filter) {
            filters.add(Objects.requireNonNull(filter, "filter must not be null"));
            return this;
        }

        public Builder filters(List<Filter> filters) {
            filters.forEach(this::filter);
            return this;
        }

        public Builder minScore(double minScore) {
            this.minScore = minScore;
            return this;
        }

        public Builder fusion(FusionConfig fusion) {
            this.fusion = fusion;
            return this;
        }

        public Builder rerank(boolean rerank) {
            this.rerank = rerank;
            return this;
        }

        public SearchRequest build() {
            return new SearchRequest(query, topK, mode, filters, minScore, fusion,
                    rerank != null ? rerank : mode == SearchMode.HYBRID);
        }
    }
}
