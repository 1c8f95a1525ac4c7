package dev.switchboard.models;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a text into hashed lexical features (fastText-style): the text is lower-cased and split into
 * words at every character that is not a letter, digit or apostrophe; the features are the words
 * ({@code "w:" + word}), adjacent word pairs ({@code "b:" + w1 + " " + w2}) and the character n-grams
 * of length {@link #minChars()}..{@link #maxChars()} of {@code " " + words joined by " " + " "}
 * ({@code "c:" + gram}); each is hashed with 32-bit FNV-1a over its UTF-8 bytes and kept modulo
 * {@code 2^bits}. {@link #features} returns the distinct indices, sorted; a text is the binary bag of
 * them, scaled by {@code 1/sqrt(count)} in {@link NgramHead}. Immutable and thread-safe.
 *
 * @param bits     log2 of the number of hash buckets, 8..24
 * @param minChars shortest character n-gram (0 together with maxChars 0: no character n-grams)
 * @param maxChars longest character n-gram
 */
public record HashedNgrams(int bits, int minChars, int maxChars) {

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}']+");
    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    public HashedNgrams {
        if (bits < 8 || bits > 24) {
            throw new IllegalArgumentException("n-gram hash bits must be in 8..24, got " + bits);
        }
        if (minChars < 0 || maxChars < minChars || (minChars == 0) != (maxChars == 0)) {
            throw new IllegalArgumentException("character n-gram lengths must be 0..0 (none) or 1 <= min <= max, got "
                    + minChars + ".." + maxChars);
        }
    }

    /** Words, word pairs and character 3- to 5-grams in {@code 2^bits} buckets. */
    public static HashedNgrams withBits(int bits) {
        return new HashedNgrams(bits, 3, 5);
    }

    /** Number of buckets, {@code 2^bits}. */
    public int size() {
        return 1 << bits;
    }

    /** The distinct bucket indices of the text's features, ascending (empty for a text without words). */
    public int[] features(String text) {
        List<String> words = new ArrayList<>();
        for (String w : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        int mask = size() - 1;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            out.add(hash("w:" + words.get(i)) & mask);
            if (i + 1 < words.size()) {
                out.add(hash("b:" + words.get(i) + " " + words.get(i + 1)) & mask);
            }
        }
        if (maxChars > 0 && !words.isEmpty()) {
            String padded = " " + String.join(" ", words) + " ";
            int[] cps = padded.codePoints().toArray();
            for (int n = minChars; n <= maxChars; n++) {
                for (int i = 0; i + n <= cps.length; i++) {
                    out.add(hash("c:" + new String(cps, i, n)) & mask);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    }

    /** 32-bit FNV-1a of the UTF-8 bytes. */
    static int hash(String s) {
        int h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** {@code bits/min-max}, e.g. {@code 13/3-5}: how the safetensors metadata records it. */
    String spec() {
        return bits + "/" + minChars + "-" + maxChars;
    }

    /** @throws IllegalArgumentException if {@code spec} is not {@code bits/min-max} */
    static HashedNgrams parse(String spec) {
        try {
            String[] parts = spec.split("[/-]");
            if (parts.length != 3) {
                throw new NumberFormatException();
            }
            return new HashedNgrams(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("n-gram spec must be bits/min-max, e.g. 13/3-5, got '" + spec + "'");
        }
    }

    @Override
    public String toString() {
        return "HashedNgrams" + Arrays.toString(new int[] {bits, minChars, maxChars});
    }
}
