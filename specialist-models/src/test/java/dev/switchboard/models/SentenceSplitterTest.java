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
}
