package dev.switchboard.retrieval;

import java.util.ArrayList;
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
            case WEIGHTED -> weighted(config.denseWeight(), lexical, dense);
        };
    }

    /**
     * {@code score(d) = w·dense'(d) + (1 − w)·bm25'(d)}, each x' min-max normalised over its own
     * candidates ({@code (x − min) / (max − min)}, 1 when all are equal), 0 when d is absent.
     */
    static List<Fused<Integer>> weighted(double denseWeight, List<Ranked> lexical, List<Ranked> dense) {
        Map<Integer, double[]> acc = new HashMap<>(); // {score, bestRank}
        accumulate(acc, lexical, 1 - denseWeight);
        accumulate(acc, dense, denseWeight);
        return sorted(acc);
    }

    private static void accumulate(Map<Integer, double[]> acc, List<Ranked> ranking, double weight) {
        double min = ranking.stream().mapToDouble(Ranked::score).min().orElse(0);
        double max = ranking.stream().mapToDouble(Ranked::score).max().orElse(0);
        for (int r = 0; r < ranking.size(); r++) {
            Ranked c = ranking.get(r);
            double normalised = max > min ? (c.score() - min) / (max - min) : 1.0;
            double[] a = acc.computeIfAbsent(c.doc(), x -> new double[] {0, Integer.MAX_VALUE});
            a[0] += weight * normalised;
            a[1] = Math.min(a[1], r + 1);
        }
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
