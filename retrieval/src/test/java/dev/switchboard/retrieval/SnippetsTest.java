package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.junit.jupiter.api.Test;

class SnippetsTest {

    private final Snippets snippets = new Snippets(new EnglishAnalyzer(), ChunkFields.TEXT);

    private static final String TEXT = "Cards arrive by post. Delivery takes 5 working days in the EU. "
            + "Tracking is not available. Contact us if nothing came after 10 days.";

    @Test
    void termsAreStemmedWithoutStopWords() {
        assertEquals(Set.of("card", "deliveri", "dai"), snippets.terms("The cards and the delivery days"));
    }

    @Test
    void bestSentenceIsJoinedWithItsNeighbour() {
        String s = snippets.snippet(TEXT, snippets.terms("how many days for delivery"));

        assertEquals("Delivery takes 5 working days in the EU. Tracking is not available.", s);
    }

    @Test
    void previousSentenceWinsWhenThatPairMatchesMore() {
        String s = snippets.snippet(TEXT, snippets.terms("delivery tracking available"));

        assertEquals("Delivery takes 5 working days in the EU. Tracking is not available.", s);
    }

    @Test
    void nextSentenceWinsTies() {
        String s = snippets.snippet(TEXT, snippets.terms("contact about tracking"));

        assertEquals("Tracking is not available. Contact us if nothing came after 10 days.", s);
    }

    @Test
    void noMatchGivesTheOpeningAndLongTextIsCut() {
        assertEquals("Cards arrive by post. Delivery takes 5 working days in the EU.",
                snippets.snippet(TEXT, snippets.terms("zebra")));
        String longSentence = "word ".repeat(120).strip() + ".";
        String s = snippets.snippet(longSentence, Set.of("word"));
        assertTrue(s.length() <= Snippets.MAX_CHARS && s.endsWith("…"), s);
    }
}
