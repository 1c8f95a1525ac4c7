package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * How {@link SearchMode#HYBRID} combines the BM25 ranking and the vector ranking.
 *
 * <ul>
 *   <li>{@link Method#RRF}: reciprocal-rank fusion, {@code score(c) = Σ_i 1 / (k + rank_i(c))}, ranks
 *       from 1; only ranks matter.</li>
 *   <li>{@link Method#WEIGHTED}: normalised weighted fusion, {@code score(c) = w·dense'(c) + (1 − w)·bm25'(c)}
 *       where {@code x'} is the score min-max normalised over that ranking's candidates (0 when the
 *       chunk is not among them).</li>
 * </ul>
 *
 * @param method     the fusion method
 * @param k          RRF constant (default 60); ignored by WEIGHTED
 * @param denseWeight w, in [0, 1]; ignored by RRF
 * @param candidates how many candidates each ranking contributes: max(candidates, 5·topK)
 */
public record FusionConfig(Method method, int k, double denseWeight, int candidates) {

    public enum Method { RRF, WEIGHTED }

    /** The conventional RRF constant. */
    public static final int DEFAULT_K = 60;
    public static final int DEFAULT_CANDIDATES = 50;

    public FusionConfig {
        Objects.requireNonNull(method, "fusion method must not be null");
        if (k < 1) {
            throw new IllegalArgumentException("RRF k must be >= 1, got " + k);
        }
        if (!(denseWeight >= 0 && denseWeight <= 1)) {
            throw new IllegalArgumentException("dense weight must be in [0, 1], got " + denseWeight);
        }
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates must be >= 1, got " + candidates);
        }
    }

    public static FusionConfig rrf(int k) {
        return new FusionConfig(Method.RRF, k, 0.5, DEFAULT_CANDIDATES);
    }

    public static FusionConfig weighted(double denseWeight) {
        return new FusionConfig(Method.WEIGHTED, DEFAULT_K, denseWeight, DEFAULT_CANDIDATES);
    }

    /** The default, chosen by measurement (see docs/benchmarks.md, "Retrieval"). */
    public static FusionConfig defaults() {
        return rrf(DEFAULT_K);
    }
}
