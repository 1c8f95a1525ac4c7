package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentencesTest {

    @Test
    void splitsAtSentenceEndsButNotAtAbbreviationsOrNumbers() {
        String text = "Call Dr. Who, e.g. at 3 p.m. today! Is it free? Yes (mostly). Done";

        assertEquals(List.of("Call Dr. Who, e.g. at 3 p.m. today!", "Is it free?", "Yes (mostly).", "Done"), split(text));
    }

    @Test
    void listItemsAndColonLinesEndSentencesButSoftWrapsDoNot() {
        String text = "To freeze a card\nopen the app and follow these steps:\n- open Cards\n- tap Freeze\n1. confirm";

        assertEquals(List.of("To freeze a card\nopen the app and follow these steps:", "- open Cards", "- tap Freeze",
                "1. confirm"), split(text));
    }

    @Test
    void spansAreTrimmedAndRespectTheRange() {
        String text = "xx  One. Two.  yy";
        List<Span> spans = Sentences.split(text, 2, 15);

        assertEquals(List.of(new Span(4, 8), new Span(9, 13)), spans);
    }

    private static List<String> split(String text) {
        return Sentences.split(text, 0, text.length()).stream().map(s -> text.substring(s.start(), s.end())).toList();
    }
}
