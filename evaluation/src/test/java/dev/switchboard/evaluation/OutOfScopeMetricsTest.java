package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutOfScopeMetricsTest {

    @Test
    void aRejectedInScopeQueryCountsAsWrong() {
        List<String> gold = List.of("card", "card", "rate", "oos", "oos", "oos");
        List<String> predicted = List.of("card", "card", "card", "rate", "card", "oos");
        List<Boolean> rejected = List.of(false, true, false, true, false, true);
        OutOfScopeMetrics m = OutOfScopeMetrics.of(gold, predicted, rejected, "oos");
        assertEquals(3, m.inScope());
        assertEquals(3, m.outOfScope());
        assertEquals(3, m.rejected());
        assertEquals(1.0 / 3, m.inScopeAccuracy(), 1e-12, "row 1 right, row 2 rejected, row 3 wrong");
        assertEquals(2.0 / 3, m.oosRecall(), 1e-12);
        assertEquals(2.0 / 3, m.oosPrecision(), 1e-12);
    }

    @Test
    void needsBothKindsOfExamples() {
        assertEquals("out-of-scope metrics need in-scope and 'oos' examples, got 1 and 0", assertThrows(IllegalArgumentException.class,
                () -> OutOfScopeMetrics.of(List.of("a"), List.of("a"), List.of(false), "oos")).getMessage());
    }
}
