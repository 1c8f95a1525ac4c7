package dev.switchboard.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded text augmentation by random word deletion and swap (EDA, Wei &amp; Zou 2019, without the
 * thesaurus operations). A text is split at whitespace; each variant applies, with equal probability,
 * either deletion (every word dropped independently with probability {@code p}, at least one word
 * kept) or {@code max(1, round(p·n))} swaps of two random positions. Texts of one word are returned
 * unchanged by deletion and swap alike. The same seed and inputs give the same variants.
 *
 * @param probability p in (0, 0.5]; default {@value #DEFAULT_PROBABILITY}
 * @param seed        the seed of every random choice
 */
public record TextAugmenter(double probability, long seed) {

    public static final double DEFAULT_PROBABILITY = 0.1;

    public TextAugmenter {
        if (!(probability > 0 && probability <= 0.5)) {
            throw new IllegalArgumentException("augmentation probability must be in (0, 0.5], got " + probability);
        }
    }

    /**
     * {@code copies} variants of each text, in order (text 0's variants first); variants equal to their
     * source text are kept (they still carry the teacher's soft label).
     */
    public List<String> augment(List<String> texts, int copies) {
        if (copies < 0) {
            throw new IllegalArgumentException("copies must be >= 0, got " + copies);
        }
        Random random = new Random(seed);
        List<String> out = new ArrayList<>(texts.size() * copies);
        for (String text : texts) {
            for (int c = 0; c < copies; c++) {
                out.add(variant(text, random));
            }
        }
        return out;
    }

    private String variant(String text, Random random) {
        String[] words = text.strip().split("\\s+");
        if (words.length < 2) {
            return text;
        }
        if (random.nextBoolean()) {
            List<String> kept = new ArrayList<>();
            for (String w : words) {
                if (random.nextDouble() >= probability) {
                    kept.add(w);
                }
            }
            if (kept.isEmpty()) {
                kept.add(words[random.nextInt(words.length)]);
            }
            return String.join(" ", kept);
        }
        String[] swapped = Arrays.copyOf(words, words.length);
        int swaps = Math.max(1, (int) Math.round(probability * words.length));
        for (int s = 0; s < swaps; s++) {
            int i = random.nextInt(swapped.length);
            int j = random.nextInt(swapped.length);
            String t = swapped[i];
            swapped[i] = swapped[j];
            swapped[j] = t;
        }
        return String.join(" ", swapped);
    }
}
