package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntentMetricsTest {

    private static final double EPS = 1e-12;

    @Test
    void handComputedExample() {
        List<String> gold = List.of("card", "card", "card", "rate", "rate", "top_up");
        List<String> pred = List.of("card", "card", "rate", "rate", "refund", "top_up");
        IntentMetrics m = IntentMetrics.of(gold, pred);
        assertEquals(6, m.count());
        assertEquals(4.0 / 6, m.accuracy(), EPS);
        // card: TP 2, predicted 2, support 3 -> P 1, R 2/3, F1 0.8
        assertRow(m.perClass().get("card"), 1.0, 2.0 / 3, 0.8, 3, 2);
        // rate: TP 1, predicted 2, support 2 -> P 0.5, R 0.5, F1 0.5
        assertRow(m.perClass().get("rate"), 0.5, 0.5, 0.5, 2, 2);
        // refund: never gold, predicted once -> P 0, R 0 (0/0), F1 0
        assertRow(m.perClass().get("refund"), 0, 0, 0, 0, 1);
        assertRow(m.perClass().get("top_up"), 1, 1, 1, 1, 1);
        assertEquals((0.8 + 0.5 + 0 + 1) / 4, m.macroF1(), EPS);
        assertEquals(List.of("refund", "rate", "card", "top_up"),
                m.byF1Ascending().stream().map(IntentMetrics.ClassMetrics::label).toList());
    }

    @Test
    void perfectAndAllWrongPredictions() {
        IntentMetrics perfect = IntentMetrics.of(List.of("a", "b"), List.of("a", "b"));
        assertEquals(1.0, perfect.accuracy(), EPS);
        assertEquals(1.0, perfect.macroF1(), EPS);
        IntentMetrics wrong = IntentMetrics.of(List.of("a", "a"), List.of("b", "b"));
        assertEquals(0.0, wrong.accuracy(), EPS);
        assertEquals(0.0, wrong.macroF1(), EPS);
    }

    @Test
    void rejectsMismatchedOrEmptyInput() {
        assertEquals("gold has 1 labels but predicted has 0", assertThrows(IllegalArgumentException.class,
                () -> IntentMetrics.of(List.of("a"), List.of())).getMessage());
        assertEquals("no examples to score", assertThrows(IllegalArgumentException.class,
                () -> IntentMetrics.of(List.of(), List.of())).getMessage());
    }

    private static void assertRow(IntentMetrics.ClassMetrics row, double p, double r, double f1, int support, int predicted) {
        assertEquals(p, row.precision(), EPS, row.label() + " precision");
        assertEquals(r, row.recall(), EPS, row.label() + " recall");
        assertEquals(f1, row.f1(), EPS, row.label() + " f1");
        assertEquals(support, row.support(), row.label() + " support");
        assertEquals(predicted, row.predicted(), row.label() + " predicted");
    }
}
