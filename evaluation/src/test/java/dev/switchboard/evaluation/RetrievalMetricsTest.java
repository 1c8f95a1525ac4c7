package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    // a, b, c, z relevant (b twice as much); z is never retrieved.
    private static final Map<String, Double> GAINS = Map.of("a", 1.0, "b", 2.0, "c", 1.0, "z", 1.0, "n", 0.0);
    private static final List<String> RANKING = List.of("a", "x", "b", "n", "c");

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void recallCountsRelevantDocumentsWithinTheCutoff() {
        assertEquals(3.0 / 4, RetrievalMetrics.recall(RANKING, GAINS, 5), 1e-12);
        assertEquals(1.0 / 4, RetrievalMetrics.recall(RANKING, GAINS, 2), 1e-12);
        assertEquals(3.0 / 4, RetrievalMetrics.recall(RANKING, GAINS, 10), 1e-12); // shorter ranking than k
    }

    @Test
    void reciprocalRankIsOneOverTheFirstRelevantRank() {
        assertEquals(1.0, RetrievalMetrics.reciprocalRank(RANKING, GAINS, 10), 1e-12);
        assertEquals(1.0 / 3, RetrievalMetrics.reciprocalRank(List.of("x", "n", "b", "a"), GAINS, 10), 1e-12);
        assertEquals(0.0, RetrievalMetrics.reciprocalRank(List.of("x", "n", "b"), GAINS, 2), 1e-12);
    }

    @Test
    void ndcgUsesGradedGainsAndALog2Discount() {
        // DCG@5 = 1/log2(2) + 2/log2(4) + 1/log2(6) ("n" has gain 0); ideal order b, a, c, z.
        double dcg = 1 + 2 / log2(4) + 1 / log2(6);
        double idcg = 2 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5);
        assertEquals(dcg / idcg, RetrievalMetrics.ndcg(RANKING, GAINS, 5), 1e-12);
        assertEquals(0.670162, RetrievalMetrics.ndcg(RANKING, GAINS, 5), 1e-6);
        // Cut at 2: only "a" counts; the ideal DCG@2 is 2 + 1/log2(3).
        assertEquals(1 / (2 + 1 / log2(3)), RetrievalMetrics.ndcg(RANKING, GAINS, 2), 1e-12);
        assertEquals(1.0, RetrievalMetrics.ndcg(List.of("b", "a", "c", "z"), GAINS, 10), 1e-12);
    }

    @Test
    void summaryAveragesOverQueries() {
        Map<String, Double> one = Map.of("d1", 1.0);
        RetrievalMetrics m = RetrievalMetrics.of(
                List.of(List.of("d1", "d2"), List.of("d2", "d3", "d4", "d5", "d6", "d1")),
                List.of(one, one));
        assertEquals(2, m.count());
        assertEquals((1.0 + 0.0) / 2, m.recallAt5(), 1e-12);
        assertEquals((1.0 + 1.0) / 2, m.recallAt10(), 1e-12);
        assertEquals((1.0 + 1.0 / 6) / 2, m.mrrAt10(), 1e-12);
        assertEquals((1.0 + 1 / log2(7)) / 2, m.ndcgAt10(), 1e-12);
    }

    @Test
    void badInputIsRejectedWithTheReason() {
        assertEquals("ranking lists document a twice", assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.recall(List.of("a", "a"), GAINS, 5)).getMessage());
        assertEquals("query has no relevant document", assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.ndcg(List.of("a"), Map.of("a", 0.0), 5)).getMessage());
        assertEquals("gain of document a must be a finite number >= 0, got -1.0", assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.ndcg(List.of("a"), Map.of("a", -1.0), 5)).getMessage());
        assertEquals("k must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.recall(List.of("a"), GAINS, 0)).getMessage());
        assertEquals("there are 1 rankings but 0 judgments", assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.of(List.of(List.of("a")), List.of())).getMessage());
        assertEquals("no queries to score", assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.of(List.of(), List.of())).getMessage());
    }
}
