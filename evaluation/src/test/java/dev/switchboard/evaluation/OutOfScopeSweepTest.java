package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OutOfScopeSweepTest {

    // Texts 0-3 in scope (3 named wrongly), 4-7 out of scope (7 predicted 'oos' outright).
    private final OutOfScopeSweep sweep = new OutOfScopeSweep(
            new double[] {0.9, 0.8, 0.3, 0.7, 0.2, 0.4, 0.85, 0.99},
            new boolean[] {false, false, false, false, false, false, false, true},
            new boolean[] {true, true, true, false, false, false, false, false},
            new boolean[] {false, false, false, false, true, true, true, true});

    @Test
    void withoutAThresholdOnlyTheOutOfScopeArgmaxRejects() {
        double t = Double.NEGATIVE_INFINITY;
        assertEquals(0.25, sweep.recallAt(t));
        assertEquals(0.75, sweep.inScopeAccuracyAt(t));
    }

    @Test
    void theLowestThresholdReachingARecallIsChosen() {
        // Recall 0.5 needs the 0.2 text below t; 0.75 also the 0.4 one, which rejects the right in-scope 0.3.
        assertEquals(Math.nextUp(0.2), sweep.thresholdForRecall(0.5));
        assertEquals(0.75, sweep.inScopeAccuracyAtRecall(0.5));
        assertEquals(0.75, sweep.recallAtRecall(0.7));
        assertEquals(0.5, sweep.inScopeAccuracyAtRecall(0.7));
        // Full recall puts t above 0.85: only the in-scope 0.9 survives.
        assertEquals(1.0, sweep.recallAtRecall(1.0));
        assertEquals(0.25, sweep.inScopeAccuracyAtRecall(1.0));
    }

    @Test
    void textsScoredPlusInfinityAreRejectedOnlyByTheirArgmax() {
        // A cascade's fast-answered texts: out-of-scope text 3 is answered in scope by the fast member, so no
        // threshold on the large member's rule reaches it and recall stops at 2 of 3.
        OutOfScopeSweep cascade = new OutOfScopeSweep(
                new double[] {0.9, Double.POSITIVE_INFINITY, 0.1, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                new boolean[] {false, false, false, false, true},
                new boolean[] {true, true, false, false, false},
                new boolean[] {false, false, true, true, true});
        assertEquals(2.0 / 3, cascade.recallAtRecall(2.0 / 3), 1e-12);
        assertEquals(1.0, cascade.inScopeAccuracyAtRecall(2.0 / 3), "t just above 0.1 keeps both in-scope texts");
        // Recall 1 is out of reach: the lowest threshold reaching the best recall (2/3) is used.
        assertEquals(Math.nextUp(0.1), cascade.thresholdForRecall(1.0));
        assertEquals(2.0 / 3, cascade.recallAtRecall(1.0), 1e-12);
        assertEquals(1.0, cascade.inScopeAccuracyAtRecall(1.0));
        assertEquals(0.5, cascade.inScopeAccuracyAt(Double.POSITIVE_INFINITY), "the fast-answered text survives any t");
    }

    @Test
    void arraysMustDescribeTheSameTexts() {
        assertThrows(IllegalArgumentException.class, () -> new OutOfScopeSweep(new double[2], new boolean[2],
                new boolean[1], new boolean[2]));
    }
}
