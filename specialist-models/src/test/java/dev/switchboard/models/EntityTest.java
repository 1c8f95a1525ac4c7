package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EntityTest {

    @Test
    void acceptsAValidEntity() {
        Entity e = new Entity("money", "$20", 7, 10, "20.00 USD", "pattern", 0.95);

        assertEquals(3, e.length());
    }

    @Test
    void rejectsAnEmptyOrReversedSpan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "", 5, 5, "20.00 USD", "pattern", 0.9));

        assertEquals("entity span must satisfy 0 <= start < end, got [5, 5)", e.getMessage());
    }

    @Test
    void rejectsANegativeStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "$20", -1, 2, "20.00 USD", "pattern", 0.9));

        assertEquals("entity span must satisfy 0 <= start < end, got [-1, 2)", e.getMessage());
    }

    @Test
    void rejectsTextThatDoesNotFitTheSpan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "$20", 0, 4, "20.00 USD", "pattern", 0.9));

        assertEquals("entity text '$20' has length 3 but its span [0, 4) has length 4", e.getMessage());
    }

    @Test
    void rejectsConfidenceOutsideTheUnitInterval() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "$20", 0, 3, "20.00 USD", "pattern", 1.01));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "$20", 0, 3, "20.00 USD", "pattern", Double.NaN));

        assertEquals("entity confidence must be in [0, 1], got 1.01", high.getMessage());
        assertEquals("entity confidence must be in [0, 1], got NaN", nan.getMessage());
    }

    @Test
    void rejectsBlankTypeValueAndSource() {
        assertEquals("entity type must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new Entity(" ", "$20", 0, 3, "20.00 USD", "pattern", 0.9)).getMessage());
        assertEquals("entity value must not be blank (type money)", assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "$20", 0, 3, "", "pattern", 0.9)).getMessage());
        assertEquals("entity source must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new Entity("money", "$20", 0, 3, "20.00 USD", "", 0.9)).getMessage());
    }

    @Test
    void rejectsNulls() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> new Entity("money", null, 0, 3, "20.00 USD", "pattern", 0.9));

        assertEquals("text", e.getMessage());
    }

    @Test
    void overlapsOnlyWhenSpansShareAChar() {
        Entity a = new Entity("date", "abc", 0, 3, "v", "pattern", 0.9);
        Entity touching = new Entity("money", "de", 3, 5, "v", "pattern", 0.9);
        Entity crossing = new Entity("money", "cd", 2, 4, "v", "pattern", 0.9);

        assertFalse(a.overlaps(touching));
        assertTrue(a.overlaps(crossing));
        assertTrue(crossing.overlaps(a));
    }
}
