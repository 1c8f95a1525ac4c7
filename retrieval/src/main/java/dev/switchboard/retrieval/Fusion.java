package dev.switchboard.retrieval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses a lexical and a dense ranking (see {@link FusionConfig}).
 *
 * <p>Reciprocal-rank fusion (Cormack et al., 2009): {@code score(d) = Σ_i 1 / (k + rank_i(d))} over the
 * rankings that contain {@code d}, ranks counted from 1. Ties go to the item with the better best
 * rank, then to the smaller key, so the order is deterministic.
 *
 * <p>Weighted fusion: {@code score(d) = w·dense'(d) + (1 − w)·bm25'(d)} over normalised scores, see
 * {@link #weighted(double, FusionConfig.Normalization, List, List)}.
 */
final class Fusion {

    /** The usual constant, which damps the weight of the very top ranks. */
    static final int DEFAULT_K = FusionConfig.DEFAULT_K;

    record Fused<T>(T key, double score, int bestRank) {
    }

    /** One candidate of a ranking: a Lucene doc id and its raw score (BM25, or cosine). */
    record Ranked(int doc, double score) {
    }

    private Fusion() {
    }

    /** Fuses best-first BM25 and dense candidate lists as {@code config} says; best first. */
    static List<Fused<Integer>> fuse(FusionConfig config, List<Ranked> lexical, List<Ranked> dense) {
        return switch (config.method()) {
            case RRF -> reciprocalRank(List.of(docs(lexical), docs(dense)), config.k());
            case WEIGHTED -> weighted(config.denseWeight(), config.normalization(), lexical, dense);
        };
    }

    /** {@link #weighted(double, FusionConfig.Normalization, List, List)} with min-max normalisation. */
    static List<Fused<Integer>> weighted(double denseWeight, List<Ranked> lexical, List<Ranked> dense) {
        return weighted(denseWeight, FusionConfig.Normalization.MIN_MAX, lexical, dense);
    }

    /**
     * {@code score(d) = w·dense'(d) + (1 − w)·bm25'(d)}, each x' normalised over its own candidates
     * (see {@link FusionConfig.Normalization}); a d absent from a ranking gets that ranking's floor:
     * 0 for min-max, the lowest z for z-score.
     */
    static List<Fused<Integer>> weighted(double denseWeight, FusionConfig.Normalization normalization,
                                         List<Ranked> lexical, List<Ranked> dense) {
        double[] lex = normalise(lexical, normalization);
        double[] den = normalise(dense, normalization);
        double lexFloor = floor(lex, normalization);
        double denFloor = floor(den, normalization);
        Map<Integer, double[]> acc = new HashMap<>(); // {lexical', dense', bestRank}
        collect(acc, lexical, lex, 0, lexFloor, denFloor);
        collect(acc, dense, den, 1, lexFloor, denFloor);
        Map<Integer, double[]> scored = new HashMap<>(acc.size() * 2);
        acc.forEach((doc, a) -> scored.put(doc, new double[] {denseWeight * a[1] + (1 - denseWeight) * a[0], a[2]}));
        return sorted(scored);
    }

    private static void collect(Map<Integer, double[]> acc, List<Ranked> ranking, double[] normalised, int slot,
                                double lexFloor, double denFloor) {
        for (int r = 0; r < ranking.size(); r++) {
            double[] a = acc.computeIfAbsent(ranking.get(r).doc(), x -> new double[] {lexFloor, denFloor, Integer.MAX_VALUE});
            a[slot] = normalised[r];
            a[2] = Math.min(a[2], r + 1);
        }
    }

    /** The ranking's scores normalised, in ranking order. */
    static double[] normalise(List<Ranked> ranking, FusionConfig.Normalization normalization) {
        double[] x = ranking.stream().mapToDouble(Ranked::score).toArray();
        if (x.length == 0) {
            return x;
        }
        switch (normalization) {
            case MIN_MAX -> {
                double min = Arrays.stream(x).min().getAsDouble();
                double max = Arrays.stream(x).max().getAsDouble();
                for (int i = 0; i < x.length; i++) {
                    x[i] = max > min ? (x[i] - min) / (max - min) : 1.0;
                }
            }
            case Z_SCORE -> {
                double mean = Arrays.stream(x).average().getAsDouble();
                double variance = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length;
                double sd = Math.sqrt(variance);
                for (int i = 0; i < x.length; i++) {
                    x[i] = sd > 0 ? (x[i] - mean) / sd : 0.0;
                }
            }
        }
        return x;
    }

    private static double floor(double[] normalised, FusionConfig.Normalization normalization) {
        return normalization == FusionConfig.Normalization.MIN_MAX || normalised.length == 0
                ? 0.0 : Arrays.stream(normalised).min().getAsDouble();
    }

    private static List<Integer> docs(List<Ranked> ranking) {
        return ranking.stream().map(Ranked::doc).toList();
    }

    /** Fuses best-first rankings (each without duplicates) into one best-first list. */
    static <T extends Comparable<T>> List<Fused<T>> reciprocalRank(List<List<T>> rankings, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        Map<T, double[]> acc = new HashMap<>(); // {score, bestRank}
        for (List<T> ranking : rankings) {
            for (int r = 0; r < ranking.size(); r++) {
                double[] a = acc.computeIfAbsent(ranking.get(r), x -> new double[] {0, Integer.MAX_VALUE});
                a[0] += 1.0 / (k + r + 1);
                a[1] = Math.min(a[1], r + 1);
            }
        }
        return sorted(acc);
    }

    private static <T extends Comparable<T>> List<Fused<T>> sorted(Map<T, double[]> acc) {
        List<Fused<T>> out = new ArrayList<>(acc.size());
        acc.forEach((key, a) -> out.add(new Fused<>(key, a[0], (int) a[1])));
        out.sort(Comparator.<Fused<T>>comparingDouble(f -> -f.score())
                .thenComparingInt(Fused::bestRank)
                .thenComparing(Fused::key));
        return out;
    }
}
