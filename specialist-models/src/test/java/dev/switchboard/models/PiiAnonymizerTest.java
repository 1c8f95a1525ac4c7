package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PiiAnonymizerTest {

    private final PiiAnonymizer anonymizer = PiiAnonymizer.standard();

    @Test
    void replacesEachKindOfPersonalData() {
        assertEquals("mail me at <EMAIL> please", anonymizer.anonymize("mail me at Jane.Doe+bank@example.co.uk please"));
        assertEquals("my card <CARD> was stolen", anonymizer.anonymize("my card 4111 1111 1111 1111 was stolen"));
        assertEquals("card <CARD>", anonymizer.anonymize("card 5500-0000-0000-0004"));
        assertEquals("send it to <IBAN> today", anonymizer.anonymize("send it to GB82 WEST 1234 5698 7654 32 today"));
        assertEquals("iban <IBAN>", anonymizer.anonymize("iban DE89370400440532013000"));
        assertEquals("call <PHONE> now", anonymizer.anonymize("call +44 20 7946 0958 now"));
        assertEquals("call <PHONE>", anonymizer.anonymize("call (555) 123-4567"));
        assertEquals("my number is <PHONE>", anonymizer.anonymize("my number is 07700 900123"));
    }

    @Test
    void keepsWhatASupportBotNeeds() {
        for (String kept : new String[] {
                "I was charged $1,200.50 twice on 2026-11-22",
                "the card ending in 4821 is blocked",
                "where is order #A12-3456?",
                "transfer of 250 EUR on 03/11/2026 is pending",
                "I'm 17, can I open an account?",
                "ref 4111111111111112 failed" }) { // 16 digits that fail Luhn: not a card, too long for a phone
            assertEquals(kept, anonymizer.anonymize(kept), kept);
        }
    }

    @Test
    void checksumsRejectLookalikes() {
        assertTrue(PiiAnonymizer.luhn("4111111111111111"));
        assertFalse(PiiAnonymizer.luhn("4111111111111112"));
        assertTrue(PiiAnonymizer.validIban("GB82WEST12345698765432"));
        assertFalse(PiiAnonymizer.validIban("GB83WEST12345698765432"));
        // a wrong check digit is no IBAN; its long digit run is still masked as phone-like
        assertEquals("iban GB83 WEST <PHONE>", anonymizer.anonymize("iban GB83 WEST 1234 5698 7654 32"));
    }

    @Test
    void randomValidCardNumbersInRandomContextAreAlwaysRemoved() {
        Random random = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            String card = luhnValid(random, 13 + random.nextInt(7));
            String text = "word" + random.nextInt(100) + " " + card + " tail";
            String out = anonymizer.anonymize(text);
            assertFalse(out.contains(card), out);
            assertTrue(out.contains(PiiAnonymizer.CARD), out);
        }
    }

    @Test
    void spansAreSortedAndDisjoint() {
        String text = "a@b.io, +1 415 555 0100 and 4111 1111 1111 1111";
        var spans = anonymizer.find(text);
        assertEquals(3, spans.size());
        for (int i = 1; i < spans.size(); i++) {
            assertTrue(spans.get(i - 1).end() <= spans.get(i).start());
        }
        assertEquals("<EMAIL>, <PHONE> and <CARD>", anonymizer.anonymize(text));
    }

    private static String luhnValid(Random random, int length) {
        int[] d = new int[length];
        for (int i = 0; i < length - 1; i++) {
            d[i] = i == 0 ? 1 + random.nextInt(9) : random.nextInt(10);
        }
        for (int check = 0; check < 10; check++) {
            d[length - 1] = check;
            StringBuilder s = new StringBuilder();
            for (int x : d) {
                s.append(x);
            }
            if (PiiAnonymizer.luhn(s.toString())) {
                return s.toString();
            }
        }
        throw new AssertionError("no Luhn check digit");
    }
}
