package dev.switchboard.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion (Cormack et al., 2009): {@code score(d) = Σ_i 1 / (k + rank_i(d))} over the
 * rankings that contain {@code d}, ranks counted from 1. Ties go to the item with the better best
 * rank, then to the smaller key, so the order is deterministic.
 */
final class Fusion {

    /** The usual constant, which damps the weight of the very top ranks. */
    static final int DEFAULT_K = 60;

    record Fused<T>(T key, double score, int bestRank) {
    }

    private Fusion() {
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
        List<Fused<T>> out = new ArrayList<>(acc.size());
        acc.forEach((key, a) -> out.add(new Fused<>(key, a[0], (int) a[1])));
        out.sort(Comparator.<Fused<T>>comparingDouble(f -> -f.score())
                .thenComparingInt(Fused::bestRank)
                .thenComparing(Fused::key));
        return out;
    }
}
