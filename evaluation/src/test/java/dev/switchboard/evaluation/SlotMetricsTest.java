package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.distill.SlotSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotMetricsTest {

    private static SlotSpan s(int start, int end, String label) {
        return new SlotSpan(start, end, label);
    }

    @Test
    void countsOnlyExactSpanAndLabelMatchesOncePerGoldSpan() {
        List<List<SlotSpan>> gold = List.of(
                List.of(s(0, 4, "time"), s(10, 12, "people")),
                List.of(s(3, 8, "date")),
                List.of(),
                List.of(s(0, 2, "people"), s(0, 2, "people")));
        List<List<SlotSpan>> predicted = List.of(
                List.of(s(0, 4, "time"), s(10, 13, "people")),   // one exact, one boundary error
                List.of(s(3, 8, "time")),                         // right span, wrong label
                List.of(s(1, 2, "date")),                         // spurious
                List.of(s(0, 2, "people"), s(0, 2, "people"), s(0, 2, "people"))); // a duplicate gold span matches twice, not thrice
        SlotMetrics m = SlotMetrics.of(gold, predicted);
        assertEquals(4, m.messages());
        assertEquals(5, m.goldSpans());
        assertEquals(7, m.predictedSpans());
        assertEquals(3, m.truePositives());
        assertEquals(3.0 / 7, m.precision(), 1e-12);
        assertEquals(3.0 / 5, m.recall(), 1e-12);
        assertEquals(2 * (3.0 / 7) * (3.0 / 5) / (3.0 / 7 + 3.0 / 5), m.f1(), 1e-12);

        SlotMetrics.LabelMetrics people = m.perLabel().get("people");
        assertEquals(new SlotMetrics.LabelMetrics("people", 2.0 / 4, 2.0 / 3, 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), 3, 4), people);
        assertEquals(new SlotMetrics.LabelMetrics("date", 0, 0, 0, 1, 1), m.perLabel().get("date"));
        assertEquals(List.of("date", "people", "time"), m.byF1Ascending().stream().map(SlotMetrics.LabelMetrics::label).toList());
        assertEquals(0.5, m.perLabel().get("time").precision(), 1e-12);
        assertEquals(1.0, m.perLabel().get("time").recall(), 1e-12);
    }

    @Test
    void emptyPredictionsScoreZeroAndBadInputIsRejected() {
        SlotMetrics none = SlotMetrics.of(List.of(List.of(s(0, 1, "a"))), List.of(List.of()));
        assertEquals(0.0, none.precision());
        assertEquals(0.0, none.recall());
        assertEquals(0.0, none.f1());
        assertEquals("gold has 1 messages but predicted has 0", assertThrows(IllegalArgumentException.class,
                () -> SlotMetrics.of(List.of(List.of()), List.of())).getMessage());
        assertEquals("no messages to score", assertThrows(IllegalArgumentException.class,
                () -> SlotMetrics.of(List.of(), List.of())).getMessage());
    }
}
