package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScoresTest {

    @Test
    void accuracyAndMacroF1OnAHandComputedExample() {
        // gold  0 0 0 1 1 2 ; predicted 0 0 1 1 3 2 (label 3 only predicted, label 4 never seen)
        int[] gold = {0, 0, 0, 1, 1, 2};
        int[] predicted = {0, 0, 1, 1, 3, 2};
        assertEquals(4.0 / 6, Scores.accuracy(gold, predicted), 1e-12);
        // F1: label 0 P=1 R=2/3 -> 0.8; label 1 P=1/2 R=1/2 -> 0.5; label 2 -> 1; label 3 -> 0
        assertEquals((0.8 + 0.5 + 1 + 0) / 4, Scores.macroF1(gold, predicted, 5), 1e-12);
    }
}
