package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BioTagSetTest {

    @Test
    void laysOutOutsideThenBeginInsidePairsInLabelOrder() {
        BioTagSet tags = BioTagSet.ofLabels(List.of("time", "date", "time"));
        assertEquals(List.of("date", "time"), tags.labels());
        assertEquals(List.of("O", "B-date", "I-date", "B-time", "I-time"), tags.tags());
        assertEquals(3, tags.begin("time"));
        assertEquals(4, tags.inside("time"));
        assertEquals("date", tags.labelOf(2));
        assertNull(tags.labelOf(0));
        assertTrue(tags.isBegin(1) && tags.isInside(2) && !tags.isBegin(0) && !tags.isInside(0));
        assertEquals(tags, BioTagSet.ofTags(tags.tags()));
    }

    @Test
    void allowsInsideOnlyAfterTheSameLabel() {
        BioTagSet tags = BioTagSet.ofLabels(List.of("date", "time"));
        assertTrue(tags.allowed(1, 2) && tags.allowed(2, 2) && tags.allowed(0, 1) && tags.allowed(2, 3) && tags.allowed(4, 0));
        assertFalse(tags.allowed(0, 2), "O -> I-date");
        assertFalse(tags.allowed(3, 2), "B-time -> I-date");
        assertFalse(tags.allowed(4, 2), "I-time -> I-date");
        assertFalse(tags.allowedFirst(2));
        assertTrue(tags.isValid(new int[] {0, 1, 2, 2, 3, 0}));
        assertFalse(tags.isValid(new int[] {2, 2}));
        assertFalse(tags.isValid(new int[] {1, 4}));
        assertEquals(Double.NEGATIVE_INFINITY, tags.transitionMask()[0][2]);
        assertEquals(0.0, tags.transitionMask()[1][2]);
        assertEquals(Double.NEGATIVE_INFINITY, tags.startMask()[4]);
    }

    @Test
    void rejectsMalformedLabelsAndTagLists() {
        assertEquals("a tag set needs at least one entity label",
                assertThrows(IllegalArgumentException.class, () -> BioTagSet.ofLabels(List.of())).getMessage());
        assertEquals("entity label 'party size' must be non-blank without whitespace",
                assertThrows(IllegalArgumentException.class, () -> BioTagSet.ofLabels(List.of("party size"))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BioTagSet.ofTags(List.of("O", "I-a", "B-a")))
                .getMessage().startsWith("tag 1 must be a B- tag"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BioTagSet.ofTags(List.of("O", "B-b", "I-b", "B-a", "I-a")))
                .getMessage().startsWith("tags must be O then B-x, I-x per label in sorted order"));
        assertEquals("unknown tag 'B-x'", assertThrows(IllegalArgumentException.class,
                () -> BioTagSet.ofLabels(List.of("a")).indexOf("B-x")).getMessage());
    }
}
