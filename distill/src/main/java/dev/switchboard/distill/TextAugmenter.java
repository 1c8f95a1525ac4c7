package dev.switchboard.distill;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Seeded "easy data augmentation" of training texts (Wei and Zou, 2019), for train examples only:
 * each copy of a text first deletes every word independently with probability {@code deletion} (at
 * least one word always survives), then swaps {@code swaps} random pairs of adjacent words. Words are
 * whitespace-separated; a copy is re-joined with single spaces. Placeholders such as {@code <EMAIL>}
 * are words like any other.
 *
 * <p>Deterministic: the same seed, texts and order give the same copies. Immutable; {@link #augment}
 * draws from its own {@link Random} per call, so it is thread-safe.
 *
 * @param deletion per-word deletion probability in [0, 1)
 * @param swaps    adjacent swaps per copy, {@code >= 0}
 * @param seed     seeds every choice
 */
public record TextAugmenter(double deletion, int swaps, long seed) {

    /** Default deletion probability: 0.1 (the EDA paper's α for small data). */
    public static final double DEFAULT_DELETION = 0.1;
    /** Default adjacent swaps per copy: 1. */
    public static final int DEFAULT_SWAPS = 1;

    public TextAugmenter {
        if (!(deletion >= 0 && deletion < 1)) {
            throw new IllegalArgumentException("augment deletion probability must be in [0, 1), got " + deletion);
        }
        OptionChecks.atLeast("augment swaps", swaps, 0);
    }

    /** One augmented copy of {@code text}, drawing from {@code random}. */
    public String copy(String text, Random random) {
        List<String> words = new ArrayList<>(Arrays.asList(text.strip().split("\\s+")));
        if (words.size() > 1 && deletion > 0) {
            List<String> kept = new ArrayList<>();
            for (String w : words) {
                if (random.nextDouble() >= deletion) {
                    kept.add(w);
                }
            }
            words = kept.isEmpty() ? List.of(words.get(random.nextInt(words.size()))) : kept;
            words = new ArrayList<>(words);
        }
        for (int s = 0; s < swaps && words.size() > 1; s++) {
            int i = random.nextInt(words.size() - 1);
            String w = words.get(i);
            words.set(i, words.get(i + 1));
            words.set(i + 1, w);
        }
        return String.join(" ", words);
    }

    /**
     * Up to {@code copies} augmented copies of each example, labelled like it, in example order. A copy
     * whose {@link Deduplicator#key} equals that of an original, of an earlier copy or of any text in
     * {@code avoid} (pass validation and test texts) is dropped, so augmentation neither repeats a text
     * nor leaks one.
     */
    public List<IntentExample> augment(List<IntentExample> train, int copies, Collection<String> avoid) {
        OptionChecks.atLeast("augment copies", copies, 0);
        Random random = new Random(seed);
        Set<String> seen = new HashSet<>();
        train.forEach(e -> seen.add(Deduplicator.key(e.text())));
        avoid.forEach(t -> seen.add(Deduplicator.key(t)));
        List<IntentExample> out = new ArrayList<>();
        for (IntentExample e : train) {
            for (int c = 0; c < copies; c++) {
                String text = copy(e.text(), random);
                if (!text.isBlank() && seen.add(Deduplicator.key(text))) {
                    out.add(new IntentExample(text, e.label(), e.domain()));
                }
            }
        }
        return out;
    }
}
