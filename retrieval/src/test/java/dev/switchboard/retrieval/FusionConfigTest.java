package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FusionConfigTest {

    @Test
    void parsesEveryCommandLineForm() {
        assertEquals(FusionConfig.rrf(60), FusionConfig.parse("rrf"));
        assertEquals(FusionConfig.rrf(20), FusionConfig.parse("RRF:20"));
        assertEquals(FusionConfig.weighted(0.7), FusionConfig.parse("weighted:0.7"));
        assertEquals(FusionConfig.weighted(0.7, FusionConfig.Normalization.Z_SCORE).withCandidates(100),
                FusionConfig.parse("zscore:0.7@100"));
    }

    @Test
    void specIsTheInverseOfParse() {
        for (FusionConfig c : new FusionConfig[] {FusionConfig.rrf(60), FusionConfig.weighted(0.25).withCandidates(30),
                FusionConfig.weighted(1, FusionConfig.Normalization.Z_SCORE), FusionConfig.defaults()}) {
            assertEquals(c, FusionConfig.parse(c.spec()), c.spec());
        }
        assertEquals("zscore:0.65@50", FusionConfig.weighted(0.65, FusionConfig.Normalization.Z_SCORE).spec());
        assertEquals("rrf:60@50", FusionConfig.rrf(60).spec());
    }

    @Test
    void badFormsNameTheProblem() {
        assertEquals("unknown fusion 'max:3': expected rrf, rrf:K, weighted:W or zscore:W, optionally followed by @CANDIDATES",
                assertThrows(IllegalArgumentException.class, () -> FusionConfig.parse("max:3")).getMessage());
        assertEquals("fusion 'weighted' needs a dense weight, e.g. weighted:0.7",
                assertThrows(IllegalArgumentException.class, () -> FusionConfig.parse("weighted")).getMessage());
        assertEquals("fusion 'rrf:x': k 'x' is not an integer",
                assertThrows(IllegalArgumentException.class, () -> FusionConfig.parse("rrf:x")).getMessage());
        assertEquals("dense weight must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> FusionConfig.parse("zscore:1.5")).getMessage());
        assertEquals("candidates must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> FusionConfig.parse("rrf@0")).getMessage());
        assertEquals("RRF k must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> FusionConfig.rrf(0)).getMessage());
    }
}
