package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Ranking metrics of a retrieval run, averaged over queries. For one query with ranking
 * {@code d_1, d_2, …} (best first, no duplicates) and graded judgments {@code gain(d) ≥ 0} (a
 * document is relevant when its gain is &gt; 0; unjudged documents have gain 0):
 *
 * <ul>
 *   <li>recall@k = |{relevant d_i : i ≤ k}| / |relevant|</li>
 *   <li>RR@k = 1 / i for the first relevant d_i with i ≤ k, else 0; MRR@k is its mean</li>
 *   <li>DCG@k = Σ_{i ≤ k} gain(d_i) / log2(i + 1); nDCG@k = DCG@k / IDCG@k, where IDCG@k is the DCG
 *       of the judged gains sorted descending (linear gains, as trec_eval's {@code ndcg_cut})</li>
 * </ul>
 *
 * Every query must have at least one relevant document (skip the others before scoring).
 */
public final class RetrievalMetrics {

    private final int count;
    private final double recallAt5;
    private final double recallAt10;
    private final double mrrAt10;
    private final double ndcgAt10;

    private RetrievalMetrics(int count, double recallAt5, double recallAt10, double mrrAt10, double ndcgAt10) {
        this.count = count;
        this.recallAt5 = recallAt5;
        this.recallAt10 = recallAt10;
        this.mrrAt10 = mrrAt10;
        this.ndcgAt10 = ndcgAt10;
    }

    /**
     * @param rankings  per query, document ids best first
     * @param judgments per query (same order), document id → gain
     * @throws IllegalArgumentException if the lists are empty or differ in length, a ranking repeats
     *                                  a document, a gain is negative or not a number, or a query has
     *                                  no relevant document
     */
    public static RetrievalMetrics of(List<List<String>> rankings, List<Map<String, Double>> judgments) {
        Objects.requireNonNull(rankings, "rankings");
        Objects.requireNonNull(judgments, "judgments");
        if (rankings.size() != judgments.size()) {
            throw new IllegalArgumentException("there are " + rankings.size() + " rankings but " + judgments.size() + " judgments");
        }
        if (rankings.isEmpty()) {
            throw new IllegalArgumentException("no queries to score");
        }
        double r5 = 0;
        double r10 = 0;
        double mrr = 0;
        double ndcg = 0;
        for (int q = 0; q < rankings.size(); q++) {
            List<String> ranking = rankings.get(q);
            Map<String, Double> gains = judgments.get(q);
            r5 += recall(ranking, gains, 5);
            r10 += recall(ranking, gains, 10);
            mrr += reciprocalRank(ranking, gains, 10);
            ndcg += ndcg(ranking, gains, 10);
        }
        int n = rankings.size();
        return new RetrievalMetrics(n, r5 / n, r10 / n, mrr / n, ndcg / n);
    }

    /** recall@k of one query (see the class comment). */
    public static double recall(List<String> ranking, Map<String, Double> gains, int k) {
        int relevant = check(ranking, gains, k);
        int found = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (gain(gains, ranking.get(i)) > 0) {
                found++;
            }
        }
        return (double) found / relevant;
    }

    /** RR@k of one query: 1 / rank of the first relevant document within the top k, else 0. */
    public static double reciprocalRank(List<String> ranking, Map<String, Double> gains, int k) {
        check(ranking, gains, k);
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (gain(gains, ranking.get(i)) > 0) {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }

    /** nDCG@k of one query, linear gains and log2(rank + 1) discount. */
    public static double ndcg(List<String> ranking, Map<String, Double> gains, int k) {
        check(ranking, gains, k);
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            dcg += gain(gains, ranking.get(i)) / log2(i + 2);
        }
        List<Double> ideal = new ArrayList<>(gains.values());
        ideal.sort((a, b) -> Double.compare(b, a));
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return dcg / idcg;
    }

    public int count() {
        return count;
    }

    public double recallAt5() {
        return recallAt5;
    }

    public double recallAt10() {
        return recallAt10;
    }

    public double mrrAt10() {
        return mrrAt10;
    }

    public double ndcgAt10() {
        return ndcgAt10;
    }

    private static double gain(Map<String, Double> gains, String doc) {
        return gains.getOrDefault(doc, 0.0);
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }

    /** Validates one query's input; returns its number of relevant documents. */
    private static int check(List<String> ranking, Map<String, Double> gains, int k) {
        Objects.requireNonNull(ranking, "ranking");
        Objects.requireNonNull(gains, "gains");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        Set<String> seen = new HashSet<>();
        for (String d : ranking) {
            if (!seen.add(Objects.requireNonNull(d, "document id in ranking"))) {
                throw new IllegalArgumentException("ranking lists document " + d + " twice");
            }
        }
        int relevant = 0;
        for (Map.Entry<String, Double> e : gains.entrySet()) {
            Double g = e.getValue();
            if (g == null || !(g >= 0) || g.isInfinite()) {
                throw new IllegalArgumentException("gain of document " + e.getKey() + " must be a finite number >= 0, got " + g);
            }
            if (g > 0) {
                relevant++;
            }
        }
        if (relevant == 0) {
            throw new IllegalArgumentException("query has no relevant document");
        }
        return relevant;
    }
}
