package dev.switchboard.retrieval;

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
}
