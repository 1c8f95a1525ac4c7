package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultiLabelMetricsTest {

    @Test
    void microMacroAndExactMatchOnAHandComputedExample() {
        List<List<String>> gold = List.of(List.of("a", "b"), List.of("a"), List.of(), List.of("c"));
        List<List<String>> predicted = List.of(List.of("a"), List.of("a", "b"), List.of(), List.of("c"));
        MultiLabelMetrics m = MultiLabelMetrics.of(gold, predicted);
        // TP a:2 c:1 = 3; FP b:1; FN b:1 -> micro = 6 / 8
        assertEquals(0.75, m.microF1(), 1e-12);
        // F1 a = 1, b = 0, c = 1
        assertEquals(2.0 / 3, m.macroF1(), 1e-12);
        assertEquals(0.5, m.exactMatch(), 1e-12, "rows 3 and 4 match (both empty counts)");
        assertArrayEquals(new int[] {0, 1, 1}, m.perLabel().get("b"));
    }
}
