package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextAugmenterTest {

    private static final List<String> TEXTS = List.of("my card has not arrived yet after two weeks",
            "how do I top up my account with a cheque", "hello");

    @Test
    void isSeededAndOnlyDeletesOrReordersWords() {
        List<String> a = new TextAugmenter(0.2, 7).augment(TEXTS, 3);
        assertEquals(a, new TextAugmenter(0.2, 7).augment(TEXTS, 3));
        assertNotEquals(a, new TextAugmenter(0.2, 8).augment(TEXTS, 3));
        assertEquals(9, a.size());
        for (int i = 0; i < a.size(); i++) {
            Map<String, Integer> source = counts(TEXTS.get(i / 3));
            Map<String, Integer> variant = counts(a.get(i));
            assertTrue(variant.entrySet().stream().allMatch(e -> e.getValue() <= source.getOrDefault(e.getKey(), 0)),
                    a.get(i) + " has words " + TEXTS.get(i / 3) + " does not");
            assertTrue(!a.get(i).isBlank());
        }
        assertEquals(List.of("hello", "hello", "hello"), a.subList(6, 9));
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> m = new HashMap<>();
        Arrays.stream(text.split("\\s+")).forEach(w -> m.merge(w, 1, Integer::sum));
        return m;
    }
}
