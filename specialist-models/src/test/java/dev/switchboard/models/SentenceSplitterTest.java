package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    @Test
    void splitsAtSentenceEndsFollowedByANewSentence() {
        assertEquals(List.of("Open Settings.", "Tap Security!", "Is it on?", "Good."),
                SentenceSplitter.split("Open Settings. Tap Security! Is it on? Good."));
    }

    @Test
    void keepsAbbreviationsInitialsAcronymsAndDecimalsIntact() {
        String text = "Use a strong password, e.g. Mr. Smith's Example. Dr. J. Doe lives in the U.S. and pays 1.5% "
                + "fees, i.e. The fee is approx. 3 dollars. Then stop.";

        assertEquals(List.of(
                        "Use a strong password, e.g. Mr. Smith's Example.",
                        "Dr. J. Doe lives in the U.S. and pays 1.5% fees, i.e. The fee is approx. 3 dollars.",
                        "Then stop."),
                SentenceSplitter.split(text));
    }

    @Test
    void doesNotSplitBeforeALowerCaseWord() {
        assertEquals(List.of("Click Save. then wait a moment."), SentenceSplitter.split("Click Save. then wait a moment."));
    }

    @Test
    void listItemsAreSentencesWithoutTheirMarkers() {
        String text = "To reset your PIN:\n- Open the app\n* Tap Card\n• Choose Reset PIN\n1. Enter the code\n2) Confirm";

        assertEquals(List.of("To reset your PIN:", "Open the app", "Tap Card", "Choose Reset PIN", "Enter the code", "Confirm"),
                SentenceSplitter.split(text));
    }

    @Test
    void joinsHardWrappedLinesAndSplitsOtherLines() {
        String text = "Refunds are issued to the original\npayment method. They take 5 days.\n\nDelivery\nWe ship worldwide.";

        assertEquals(List.of("Refunds are issued to the original payment method.", "They take 5 days.", "Delivery",
                "We ship worldwide."), SentenceSplitter.split(text));
    }

    @Test
    void keepsClosingQuotesAndBracketsWithTheirSentence() {
        assertEquals(List.of("Tap \"Forgot password?\"", "Then check your inbox (and spam.)", "Done."),
                SentenceSplitter.split("Tap \"Forgot password?\" Then check your inbox (and spam.) Done."));
    }

    @Test
    void blankTextHasNoSentences() {
        assertEquals(List.of(), SentenceSplitter.split(" \n\n  "));
    }

    // Spans (offsets into the text), as retrieval's chunker and snippets use them.

    @Test
    void spansSplitAtSentenceEndsButNotAtAbbreviations() {
        String text = "Call Dr. Who, e.g. at 3 p.m. today! Is it free? Yes (mostly). Done";

        assertEquals(List.of("Call Dr. Who, e.g. at 3 p.m. today!", "Is it free?", "Yes (mostly).", "Done"), texts(text));
    }

    @Test
    void spansOfListItemsKeepTheirMarkersAndWrappedLinesStayOneSentence() {
        String text = "To freeze a card\nopen the app and follow these steps:\n- open Cards\n- tap Freeze\n1. confirm";

        assertEquals(List.of("To freeze a card\nopen the app and follow these steps:", "- open Cards", "- tap Freeze",
                "1. confirm"), texts(text));
        assertEquals(List.of("To freeze a card open the app and follow these steps:", "open Cards", "tap Freeze", "confirm"),
                SentenceSplitter.split(text));
    }

    @Test
    void spansAreTrimmedAndRespectTheRange() {
        String text = "xx  One. Two.  yy";

        assertEquals(List.of(new SentenceSplitter.Span(4, 8), new SentenceSplitter.Span(9, 13)),
                SentenceSplitter.spans(text, 2, 15));
    }

    @Test
    void spansAndTextsAgreeOnWindowsLineEndsAndIndentedItems() {
        String text = "Refunds take\r\n  five days.\r\n\r\n  * Keep the receipt. It helps.\r\nDelivery is free.";

        assertEquals(List.of("Refunds take\r\n  five days.", "* Keep the receipt.", "It helps.", "Delivery is free."), texts(text));
        assertEquals(List.of("Refunds take five days.", "Keep the receipt.", "It helps.", "Delivery is free."),
                SentenceSplitter.split(text));
    }

    private static List<String> texts(String text) {
        return SentenceSplitter.spans(text).stream().map(s -> s.of(text)).toList();
    }
}
