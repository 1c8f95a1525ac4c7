package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentTest {

    @Test
    void rejectsMissingIdOrText() {
        assertEquals("document id must not be blank",
                assertThrows(IllegalArgumentException.class, () -> Document.of(" ", "T", "text")).getMessage());
        assertEquals("document text must not be blank: faq/1",
                assertThrows(IllegalArgumentException.class, () -> Document.of("faq/1", "T", "\n\n")).getMessage());
        assertEquals("document title must not be null",
                assertThrows(NullPointerException.class, () -> Document.of("a", null, "text")).getMessage());
    }

    @Test
    void metadataIsCopied() {
        Map<String, String> meta = new HashMap<>(Map.of("lang", "en"));
        Document d = new Document("a", "A", "Text.", "a.md", meta);
        meta.put("lang", "de");

        assertEquals(Map.of("lang", "en"), d.metadata());
        assertThrows(UnsupportedOperationException.class, () -> d.metadata().put("x", "y"));
    }
}
