package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SearchRequestTest {

    @Test
    void hybridFactory() {
        assertEquals(new SearchRequest("lost card", 4, SearchMode.HYBRID), SearchRequest.hybrid("lost card", 4));
    }

    @Test
    void rejectsBlankQueriesAndBadTopK() {
        assertEquals("query must not be blank",
                assertThrows(IllegalArgumentException.class, () -> SearchRequest.hybrid("  ", 3)).getMessage());
        assertEquals("topK must be in 1..1000, got 0",
                assertThrows(IllegalArgumentException.class, () -> SearchRequest.hybrid("card", 0)).getMessage());
        assertEquals("topK must be in 1..1000, got 1001",
                assertThrows(IllegalArgumentException.class, () -> SearchRequest.hybrid("card", 1001)).getMessage());
        assertEquals("mode must not be null",
                assertThrows(NullPointerException.class, () -> new SearchRequest("card", 3, null)).getMessage());
    }
}
