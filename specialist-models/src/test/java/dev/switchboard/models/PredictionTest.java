package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionTest {

    @Test
    void acceptsADescendingRankingHeadedByTheLabelAndCopiesIt() {
        List<ScoredLabel> ranking = new ArrayList<>(List.of(new ScoredLabel("a", 0.7), new ScoredLabel("b", 0.2)));
        Prediction p = new Prediction("a", 0.7, ranking);
        ranking.clear();
        assertEquals(2, p.ranking().size());
        assertEquals(false, p.outOfScope(), "the three-argument constructor makes an in-scope prediction");
        assertEquals(true, new Prediction("a", 0.7, List.of(), true).outOfScope());
    }

    @Test
    void rejectsInvalidPredictions() {
        assertEquals("confidence must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Prediction("a", 1.5, List.of())).getMessage());
        assertEquals("ranking starts with 'b' but the predicted label is 'a'", assertThrows(IllegalArgumentException.class,
                () -> new Prediction("a", 0.5, List.of(new ScoredLabel("b", 0.5)))).getMessage());
        assertEquals("ranking must be sorted by descending score, but entry 1 (ScoredLabel[label=b, score=0.6])"
                + " outscores entry 0", assertThrows(IllegalArgumentException.class, () -> new Prediction("a", 0.3,
                        List.of(new ScoredLabel("a", 0.3), new ScoredLabel("b", 0.6)))).getMessage());
        assertEquals("label must not be blank",
                assertThrows(IllegalArgumentException.class, () -> new ScoredLabel(" ", 0.1)).getMessage());
        assertEquals("score of 'a' must be finite, got NaN",
                assertThrows(IllegalArgumentException.class, () -> new ScoredLabel("a", Double.NaN)).getMessage());
    }
}
