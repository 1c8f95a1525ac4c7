package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.distill.SlotSpan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanErrorsTest {

    @Test
    void classifiesEverySpanIntoOneCategory() {
        List<List<SlotSpan>> gold = List.of(
                List.of(new SlotSpan(0, 5, "city"), new SlotSpan(10, 15, "time"), new SlotSpan(20, 30, "date")),
                List.of(new SlotSpan(0, 4, "city"), new SlotSpan(8, 12, "party"), new SlotSpan(20, 25, "time")));
        List<List<SlotSpan>> predicted = List.of(
                List.of(new SlotSpan(0, 5, "city"), new SlotSpan(10, 15, "date"), new SlotSpan(22, 30, "date"),
                        new SlotSpan(40, 44, "city")),
                List.of(new SlotSpan(0, 6, "party")));
        SpanErrors e = SpanErrors.of(gold, predicted);
        // correct: city 0-5; label error: time->date 10-15; boundary: date 20-30 vs 22-30; spurious: city 40-44;
        // message 2: label and boundary: city 0-4 vs party 0-6; missed: party 8-12, time 20-25.
        assertEquals(Map.of("correct", 1, "label error", 1, "boundary error", 1, "label and boundary error", 1,
                "missed", 2, "spurious", 1), e.categories());
        assertEquals(SlotMetrics.of(gold, predicted).truePositives(), e.correct());
        assertEquals(Map.of("city", 1, "party", 1), e.confusion().get("city"));
        assertEquals(Map.of("date", 1), e.confusion().get("time").entrySet().stream().filter(x -> !x.getKey().equals(SpanErrors.NONE))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        assertEquals(1, e.confusion().get("time").get(SpanErrors.NONE));
        assertEquals(Map.of("city", 1), e.confusion().get(SpanErrors.NONE));
        int gold_ = gold.stream().mapToInt(List::size).sum();
        assertEquals(gold_, e.correct() + e.labelErrors() + e.boundaryErrors() + e.labelBoundaryErrors() + e.missed());
        int pred = predicted.stream().mapToInt(List::size).sum();
        assertEquals(pred, e.correct() + e.labelErrors() + e.boundaryErrors() + e.labelBoundaryErrors() + e.spurious());
    }
}
