package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationRequestTest {

    private static final Passage A = new Passage("a", "", "text", 1.0);

    @Test
    void copiesItsListsAndDefaultsToNoHistory() {
        List<Passage> passages = new ArrayList<>(List.of(A));
        GenerationRequest request = new GenerationRequest("question?", passages);
        passages.clear();

        assertEquals(List.of(A), request.passages());
        assertEquals(List.of(), request.history());
    }

    @Test
    void rejectsABlankQuestion() {
        assertEquals("question must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new GenerationRequest("  ", List.of(A))).getMessage());
    }

    @Test
    void rejectsNullElementsNamingTheirIndex() {
        assertEquals("passages[1] must not be null", assertThrows(IllegalArgumentException.class,
                () -> new GenerationRequest("q", Arrays.asList(A, null))).getMessage());
        assertEquals("history[0] must not be null", assertThrows(IllegalArgumentException.class,
                () -> new GenerationRequest("q", List.of(A), Arrays.asList((ChatTurn) null))).getMessage());
    }

    @Test
    void rejectsDuplicatePassageIds() {
        assertEquals("duplicate passage id 'a' at passages[1]", assertThrows(IllegalArgumentException.class,
                () -> new GenerationRequest("q", List.of(A, new Passage("a", "", "other", 0.5)))).getMessage());
    }

    @Test
    void passageAndChatTurnAreValidated() {
        assertEquals("passage id must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new Passage(" ", "", "text", 1)).getMessage());
        assertEquals("passage 'p' has a blank text", assertThrows(IllegalArgumentException.class,
                () -> new Passage("p", "", "\n", 1)).getMessage());
        assertEquals("passage 'p' has a non-finite score NaN", assertThrows(IllegalArgumentException.class,
                () -> new Passage("p", "", "text", Double.NaN)).getMessage());
        assertEquals("chat turn role must be \"user\" or \"assistant\", got \"system\"",
                assertThrows(IllegalArgumentException.class, () -> new ChatTurn("system", "hi")).getMessage());
    }
}
