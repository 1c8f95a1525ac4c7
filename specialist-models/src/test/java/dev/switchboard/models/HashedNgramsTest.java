package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HashedNgramsTest {

    @Test
    void hashIsFnv1aOverUtf8() {
        // Reference values of 32-bit FNV-1a.
        assertEquals(0x811c9dc5, HashedNgrams.hash(""));
        assertEquals(0xe40c292c, HashedNgrams.hash("a"));
        assertEquals(0xbf9cf968, HashedNgrams.hash("foobar"));
    }

    @Test
    void featuresAreTheDistinctSortedBucketsOfWordsPairsAndCharGrams() {
        HashedNgrams words = new HashedNgrams(16, 0, 0);
        int mask = (1 << 16) - 1;
        int[] expected = java.util.stream.IntStream.of(HashedNgrams.hash("w:top") & mask, HashedNgrams.hash("w:up") & mask,
                HashedNgrams.hash("b:top up") & mask).distinct().sorted().toArray();
        assertArrayEquals(expected, words.features("Top-up!"));
        assertArrayEquals(words.features("top up"), words.features("  TOP   up? "), "case and punctuation are ignored");
        assertEquals(0, words.features("?!").length);

        HashedNgrams all = HashedNgrams.withBits(10);
        int[] f = all.features("my card is lost");
        assertTrue(f.length > 10, "words, pairs and char n-grams: " + f.length);
        for (int i = 1; i < f.length; i++) {
            assertTrue(f[i - 1] < f[i], "sorted and distinct: " + Arrays.toString(f));
        }
        assertTrue(Arrays.stream(f).allMatch(x -> x >= 0 && x < 1024));
        assertArrayEquals(f, all.features("my card is lost"), "deterministic");
        assertTrue(all.features("é café").length > 0, "letters outside ASCII are words too");
    }

    @Test
    void specRoundTripsAndBadValuesAreNamed() {
        assertEquals(HashedNgrams.withBits(13), HashedNgrams.parse(HashedNgrams.withBits(13).spec()));
        assertEquals("n-gram hash bits must be in 8..24, got 30",
                assertThrows(IllegalArgumentException.class, () -> HashedNgrams.withBits(30)).getMessage());
        assertEquals("n-gram spec must be bits/min-max, e.g. 13/3-5, got 'x'",
                assertThrows(IllegalArgumentException.class, () -> HashedNgrams.parse("x")).getMessage());
    }
}
