package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratedAnswerTest {

    @Test
    void groundedWhenItCitesSomething() {
        assertTrue(new GeneratedAnswer("Yes [1].", List.of("p1"), false, "openai:m").grounded());
        assertFalse(new GeneratedAnswer("Nothing found.", List.of(), true, "extractive").grounded());
    }

    @Test
    void rejectsDuplicateOrBlankCitations() {
        assertEquals("passage 'p1' is cited twice: [p1, p1]", assertThrows(IllegalArgumentException.class,
                () -> new GeneratedAnswer("x", List.of("p1", "p1"), true, "extractive")).getMessage());
        assertEquals("cited passage ids must not be null or blank: [ ]", assertThrows(IllegalArgumentException.class,
                () -> new GeneratedAnswer("x", List.of(" "), true, "extractive")).getMessage());
    }

    @Test
    void rejectsBlankTextOrGeneratorId() {
        assertEquals("answer text must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new GeneratedAnswer(" ", List.of(), true, "extractive")).getMessage());
        assertEquals("generator id must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new GeneratedAnswer("x", List.of(), true, "")).getMessage());
    }
}
