package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TextAugmenterTest {

    private static final List<IntentExample> TRAIN = List.of(
            new IntentExample("my card has still not arrived after two weeks", "card_arrival"),
            new IntentExample("how do I cancel a transfer I made yesterday", "cancel_transfer"),
            new IntentExample("why was I charged a fee for this top up", "top_up_fee"));

    @Test
    void copiesOnlyDeleteAndSwapWordsOfTheOriginal() {
        TextAugmenter a = new TextAugmenter(0.3, 2, 1);
        Random random = new Random(3);
        String text = "my card has still not arrived after two weeks";
        Set<String> words = new HashSet<>(Arrays.asList(text.split(" ")));
        for (int i = 0; i < 50; i++) {
            String copy = a.copy(text, random);
            List<String> w = Arrays.asList(copy.split(" "));
            assertTrue(!w.isEmpty() && w.size() <= 9 && words.containsAll(w), copy);
        }
        assertEquals("hello", a.copy("hello", random), "a single word survives deletion");
        assertEquals("b a", new TextAugmenter(0, 1, 1).copy("a b", new Random(1)), "one swap of two words");
    }

    @Test
    void augmentationIsSeededLabelledLikeItsSourceAndNeverRepeatsOrLeaksAText() {
        List<IntentExample> a = new TextAugmenter(0.2, 1, 7).augment(TRAIN, 2, List.of());
        assertEquals(a, new TextAugmenter(0.2, 1, 7).augment(TRAIN, 2, List.of()), "same seed, same copies");
        assertNotEquals(a, new TextAugmenter(0.2, 1, 8).augment(TRAIN, 2, List.of()), "another seed, other copies");
        assertTrue(a.size() >= 4 && a.size() <= 6, a.toString());
        Set<String> keys = new HashSet<>();
        TRAIN.forEach(e -> keys.add(Deduplicator.key(e.text())));
        for (IntentExample e : a) {
            assertTrue(keys.add(Deduplicator.key(e.text())), "no repeats: " + e);
            String source = TRAIN.stream().filter(t -> t.label().equals(e.label())).findFirst().orElseThrow().text();
            assertTrue(new HashSet<>(Arrays.asList(source.split(" "))).containsAll(Arrays.asList(e.text().split(" "))), e.toString());
        }
        // With no edits every copy equals its source; a copy equal to a held-out text is dropped too.
        assertEquals(List.of(), new TextAugmenter(0, 0, 1).augment(TRAIN, 3, List.of()));
        List<IntentExample> ab = List.of(new IntentExample("open account", "x"));
        assertEquals(List.of(new IntentExample("account open", "x")), new TextAugmenter(0, 1, 1).augment(ab, 1, List.of()));
        assertEquals(List.of(), new TextAugmenter(0, 1, 1).augment(ab, 1, List.of("Account, open!")));
        assertThrows(IllegalArgumentException.class, () -> new TextAugmenter(1.0, 1, 1));
        assertEquals("augment swaps must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new TextAugmenter(0.1, -1, 1)).getMessage());
    }
}
