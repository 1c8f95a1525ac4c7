package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CitationsTest {

    private static final List<Passage> PASSAGES = List.of(
            new Passage("a", "A", "text a", 3), new Passage("b", "B", "text b", 2), new Passage("c", "C", "text c", 1));

    @Test
    void renumbersMarkersByFirstAppearance() {
        Citations.Cited cited = Citations.renumber("Do this [3]. Then that [1]. Again [3].", PASSAGES);

        assertEquals("Do this [1]. Then that [2]. Again [1].", cited.text());
        assertEquals(List.of("c", "a"), cited.passageIds());
    }

    @Test
    void understandsGroupedAndAdjacentMarkers() {
        Citations.Cited cited = Citations.renumber("Both apply [2, 1][3].", PASSAGES);

        assertEquals("Both apply [1, 2][3].", cited.text());
        assertEquals(List.of("b", "a", "c"), cited.passageIds());
    }

    @Test
    void ignoresOutOfRangeNumbersAndDropsMarkersLeftEmpty() {
        Citations.Cited cited = Citations.renumber("Yes [4]. No [0, 2]. Maybe [ 7 ].", PASSAGES);

        assertEquals("Yes. No [1]. Maybe.", cited.text());
        assertEquals(List.of("b"), cited.passageIds());
    }

    @Test
    void replyWithoutMarkersCitesNothing() {
        Citations.Cited cited = Citations.renumber("I could not find the answer.", PASSAGES);

        assertEquals("I could not find the answer.", cited.text());
        assertEquals(List.of(), cited.passageIds());
    }
}
