package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

    @Test
    void itemsFoundByBothRankingsBeatATopHitOfOnlyOne() {
        List<String> lexical = List.of("a", "b", "c", "d");
        List<String> dense = List.of("d", "c", "x");

        List<Fusion.Fused<String>> fused = Fusion.reciprocalRank(List.of(lexical, dense), 60);

        assertEquals(List.of("d", "c", "a", "b", "x"), fused.stream().map(Fusion.Fused::key).toList());
        assertEquals(1.0 / 64 + 1.0 / 61, fused.get(0).score(), 1e-12);
        assertEquals(1.0 / 63 + 1.0 / 62, fused.get(1).score(), 1e-12);
        assertEquals(1.0 / 61, fused.get(2).score(), 1e-12);
        assertEquals(1.0 / 62, fused.get(3).score(), 1e-12);
        assertEquals(1.0 / 63, fused.get(4).score(), 1e-12);
    }

    @Test
    void equalScoresAreOrderedByBestRankThenKey() {
        List<Fusion.Fused<String>> fused = Fusion.reciprocalRank(List.of(List.of("b", "a"), List.of("a", "b"), List.of("z")), 60);

        // a = b = 1/61 + 1/62, both best at rank 1: the key decides; z = 1/61 comes last.
        assertEquals(List.of("a", "b", "z"), fused.stream().map(Fusion.Fused::key).toList());
        assertEquals(fused.get(0).score(), fused.get(1).score(), 0.0);
    }

    @Test
    void kMustBePositive() {
        assertEquals("k must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> Fusion.reciprocalRank(List.<List<String>>of(), 0)).getMessage());
    }

    @Test
    void weightedFusionNormalisesEachRankingThenMixes() {
        // lexical: doc1 10 → 1.0, doc2 4 → 0.0; dense: doc2 0.9 → 1.0, doc3 0.5 → 0.0
        List<Fusion.Ranked> lexical = List.of(new Fusion.Ranked(1, 10), new Fusion.Ranked(2, 4));
        List<Fusion.Ranked> dense = List.of(new Fusion.Ranked(2, 0.9), new Fusion.Ranked(3, 0.5));
        List<Fusion.Fused<Integer>> fused = Fusion.fuse(FusionConfig.weighted(0.7), lexical, dense);
        assertEquals(List.of(2, 1, 3), fused.stream().map(Fusion.Fused::key).toList());
        assertEquals(0.7, fused.get(0).score(), 1e-12);
        assertEquals(0.3, fused.get(1).score(), 1e-12);
        assertEquals(0.0, fused.get(2).score(), 1e-12);
    }

    @Test
    void rrfThroughTheConfigEqualsTheRankFormula() {
        List<Fusion.Ranked> lexical = List.of(new Fusion.Ranked(1, 10), new Fusion.Ranked(2, 4));
        List<Fusion.Ranked> dense = List.of(new Fusion.Ranked(2, 0.9));
        List<Fusion.Fused<Integer>> fused = Fusion.fuse(FusionConfig.rrf(60), lexical, dense);
        assertEquals(2, fused.get(0).key());
        assertEquals(1.0 / 62 + 1.0 / 61, fused.get(0).score(), 1e-12);
        assertEquals(1.0 / 61, fused.get(1).score(), 1e-12);
    }

    @Test
    void zScoreFusionStandardisesEachRankingAndGivesAbsentItemsTheLowestZ() {
        // lexical: mean 7, sd 3 → z(1) = 1, z(2) = −1. dense: mean 0.7, sd √(0.08/3) → z = ±√1.5, 0.
        List<Fusion.Ranked> lexical = List.of(new Fusion.Ranked(1, 10), new Fusion.Ranked(2, 4));
        List<Fusion.Ranked> dense = List.of(new Fusion.Ranked(2, 0.9), new Fusion.Ranked(4, 0.7), new Fusion.Ranked(3, 0.5));
        List<Fusion.Fused<Integer>> fused = Fusion.fuse(FusionConfig.weighted(0.5, FusionConfig.Normalization.Z_SCORE), lexical, dense);
        double z = Math.sqrt(1.5);
        assertEquals(List.of(2, 1, 4, 3), fused.stream().map(Fusion.Fused::key).toList());
        assertEquals(0.5 * z - 0.5, fused.get(0).score(), 1e-9);
        assertEquals(0.5 * -z + 0.5, fused.get(1).score(), 1e-9); // doc 1 not in dense: its lowest z
        assertEquals(0.5 * 0 - 0.5, fused.get(2).score(), 1e-9);   // doc 4 not in lexical: z = −1
        assertEquals(0.5 * -z - 0.5, fused.get(3).score(), 1e-9);
    }

    @Test
    void normalisationOfConstantOrEmptyRankings() {
        List<Fusion.Ranked> same = List.of(new Fusion.Ranked(1, 3), new Fusion.Ranked(2, 3));
        assertArrayEquals(new double[] {1, 1}, Fusion.normalise(same, FusionConfig.Normalization.MIN_MAX), 0);
        assertArrayEquals(new double[] {0, 0}, Fusion.normalise(same, FusionConfig.Normalization.Z_SCORE), 0);
        assertArrayEquals(new double[0], Fusion.normalise(List.of(), FusionConfig.Normalization.Z_SCORE), 0);
        // Only one ranking has candidates (e.g. a query of stop words has no BM25 list): dense order wins.
        List<Fusion.Fused<Integer>> fused = Fusion.fuse(FusionConfig.weighted(0.3, FusionConfig.Normalization.Z_SCORE), List.of(),
                List.of(new Fusion.Ranked(5, 0.8), new Fusion.Ranked(6, 0.6)));
        assertEquals(List.of(5, 6), fused.stream().map(Fusion.Fused::key).toList());
    }

    @Test
    void denseWeightOneIsTheDenseOrderAndZeroTheLexicalOrder() {
        List<Fusion.Ranked> lexical = List.of(new Fusion.Ranked(1, 9), new Fusion.Ranked(2, 5), new Fusion.Ranked(3, 1));
        List<Fusion.Ranked> dense = List.of(new Fusion.Ranked(3, 0.9), new Fusion.Ranked(2, 0.8), new Fusion.Ranked(1, 0.1));
        for (FusionConfig.Normalization n : FusionConfig.Normalization.values()) {
            assertEquals(List.of(3, 2, 1), Fusion.fuse(FusionConfig.weighted(1, n), lexical, dense).stream().map(Fusion.Fused::key).toList());
            assertEquals(List.of(1, 2, 3), Fusion.fuse(FusionConfig.weighted(0, n), lexical, dense).stream().map(Fusion.Fused::key).toList());
        }
    }
}
