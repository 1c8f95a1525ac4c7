package dev.switchboard.retrieval;

import java.util.Locale;
import java.util.Objects;

/**
 * How {@link SearchMode#HYBRID} combines the BM25 ranking and the vector ranking.
 *
 * <ul>
 *   <li>{@link Method#RRF}: reciprocal-rank fusion, {@code score(c) = Σ_i 1 / (k + rank_i(c))}, ranks
 *       from 1; only ranks matter.</li>
 *   <li>{@link Method#WEIGHTED}: normalised weighted (convex) fusion,
 *       {@code score(c) = w·dense'(c) + (1 − w)·bm25'(c)}, where {@code x'} is the score normalised over
 *       that ranking's candidates as {@link Normalization} says; a chunk that is not among a ranking's
 *       candidates gets that ranking's lowest normalised value.</li>
 * </ul>
 *
 * @param method        the fusion method
 * @param k             RRF constant (default 60); ignored by WEIGHTED
 * @param denseWeight   w, in [0, 1]; ignored by RRF
 * @param candidates    how many candidates each ranking contributes: max(candidates, 5·topK)
 * @param normalization how WEIGHTED normalises each ranking's scores; ignored by RRF
 */
public record FusionConfig(Method method, int k, double denseWeight, int candidates, Normalization normalization) {

    public enum Method { RRF, WEIGHTED }

    /** Score normalisation of {@link Method#WEIGHTED}, over one ranking's candidates. */
    public enum Normalization {
        /** {@code (x − min) / (max − min)}, 1 for all when max = min; a missing chunk gets 0. */
        MIN_MAX,
        /**
         * {@code (x − mean) / stddev} (population standard deviation), 0 for all when it is 0; a
         * missing chunk gets the lowest z of the ranking. Unlike min-max it does not let one outlier
         * at either end squash the other scores.
         */
        Z_SCORE
    }

    /** The conventional RRF constant. */
    public static final int DEFAULT_K = 60;
    public static final int DEFAULT_CANDIDATES = 50;

    public FusionConfig {
        Objects.requireNonNull(method, "fusion method must not be null");
        Objects.requireNonNull(normalization, "fusion normalization must not be null");
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

    /** A configuration with min-max normalisation for WEIGHTED. */
    public FusionConfig(Method method, int k, double denseWeight, int candidates) {
        this(method, k, denseWeight, candidates, Normalization.MIN_MAX);
    }

    public static FusionConfig rrf(int k) {
        return new FusionConfig(Method.RRF, k, 0.5, DEFAULT_CANDIDATES);
    }

    /** WEIGHTED with min-max normalisation. */
    public static FusionConfig weighted(double denseWeight) {
        return weighted(denseWeight, Normalization.MIN_MAX);
    }

    public static FusionConfig weighted(double denseWeight, Normalization normalization) {
        return new FusionConfig(Method.WEIGHTED, DEFAULT_K, denseWeight, DEFAULT_CANDIDATES, normalization);
    }

    /** This configuration with another candidate depth. */
    public FusionConfig withCandidates(int candidates) {
        return new FusionConfig(method, k, denseWeight, candidates, normalization);
    }

    /** Dense weight of {@link #defaults()}. */
    public static final double DEFAULT_DENSE_WEIGHT = 0.55;

    /**
     * The default: z-score weighted fusion with w = {@value #DEFAULT_DENSE_WEIGHT}, 50 candidates per
     * ranking. Chosen on the dev half of the queries of emanual_qa and covid_faq (highest mean nDCG@10
     * of the two, jointly with the reranker's mix and depth, see {@link Rerankers}): 0.795 with the
     * reranker against 0.774 for RRF (k = 60) with it; fusion alone 0.757 against 0.750 for RRF.
     * Table and commands: docs/benchmarks.md, "Retrieval quality".
     */
    public static FusionConfig defaults() {
        return weighted(DEFAULT_DENSE_WEIGHT, Normalization.Z_SCORE);
    }

    /**
     * Parses the command-line form: {@code rrf}, {@code rrf:K}, {@code weighted:W} (min-max),
     * {@code zscore:W} (z-score), each optionally followed by {@code @N} for the candidate depth, e.g.
     * {@code zscore:0.7@100}. Inverse of {@link #spec()}.
     *
     * @throws IllegalArgumentException naming the problem when {@code text} is not of that form
     */
    public static FusionConfig parse(String text) {
        Objects.requireNonNull(text, "fusion must not be null");
        String s = text.strip().toLowerCase(Locale.ROOT);
        int candidates = DEFAULT_CANDIDATES;
        int at = s.indexOf('@');
        if (at >= 0) {
            candidates = parseInt(s.substring(at + 1), text, "candidates");
            s = s.substring(0, at);
        }
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        FusionConfig base = switch (name) {
            case "rrf" -> rrf(arg == null ? DEFAULT_K : parseInt(arg, text, "k"));
            case "weighted", "minmax" -> weighted(parseWeight(arg, text), Normalization.MIN_MAX);
            case "zscore" -> weighted(parseWeight(arg, text), Normalization.Z_SCORE);
            default -> throw new IllegalArgumentException("unknown fusion '" + text
                    + "': expected rrf, rrf:K, weighted:W or zscore:W, optionally followed by @CANDIDATES");
        };
        return base.withCandidates(candidates);
    }

    /** The {@link #parse(String)} form of this configuration, e.g. {@code rrf:60@50}. */
    public String spec() {
        String head = switch (method) {
            case RRF -> "rrf:" + k;
            case WEIGHTED -> (normalization == Normalization.Z_SCORE ? "zscore:" : "weighted:") + weightText(denseWeight);
        };
        return head + "@" + candidates;
    }

    private static String weightText(double w) {
        String s = String.format(Locale.ROOT, "%.4f", w);
        return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }

    private static double parseWeight(String arg, String text) {
        if (arg == null) {
            throw new IllegalArgumentException("fusion '" + text + "' needs a dense weight, e.g. weighted:0.7");
        }
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fusion '" + text + "': dense weight '" + arg + "' is not a number");
        }
    }

    private static int parseInt(String arg, String text, String what) {
        try {
            return Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("fusion '" + text + "': " + what + " '" + arg + "' is not an integer");
        }
    }
}
