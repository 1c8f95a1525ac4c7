package dev.switchboard.distill;

import dev.switchboard.models.PiiAnonymizer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Carries out a {@link DataPreparation} on one dataset while it loads, counting what it does, then
 * {@link #report()}s it. Not thread-safe: one per load.
 */
final class Deduplicator {

    private static final PiiAnonymizer PII = PiiAnonymizer.standard();

    private final DataPreparation preparation;
    private int textsAnonymized;
    private int spansReplaced;
    private int spansKept;
    private int duplicates;
    private int leaked;
    private int conflictingTexts;
    private int conflictingDropped;
    private final List<String> conflicts = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private int warningCount;

    Deduplicator(DataPreparation preparation) {
        this.preparation = preparation;
    }

    /**
     * The dedupe key of a text: NFKC, lower case, every run of characters that are not letters or digits
     * (whitespace, punctuation, symbols) collapsed to one space, stripped. So "Where is my card?" and
     * "where is  my card" are the same text, and so are SNIPS' original and tokenised forms.
     */
    static String key(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        boolean gap = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isLetterOrDigit(c)) {
                if (gap && !out.isEmpty()) {
                    out.append(' ');
                }
                gap = false;
                out.appendCodePoint(c);
            } else {
                gap = true;
            }
        }
        return out.toString();
    }

    /** The text with personal data replaced (when anonymizing), counted. */
    String anonymize(String text) {
        if (!preparation.anonymize()) {
            return text;
        }
        List<PiiAnonymizer.Span> spans = PII.find(text);
        if (spans.isEmpty()) {
            return text;
        }
        textsAnonymized++;
        spansReplaced += spans.size();
        return PII.anonymize(text);
    }

    /**
     * A slot example with personal data outside its labelled spans replaced and every span moved by the
     * change in length before it; personal data overlapping a labelled span stays (counted as kept).
     */
    SlotExample anonymize(SlotExample example) {
        if (!preparation.anonymize()) {
            return example;
        }
        String text = example.text();
        List<PiiAnonymizer.Span> replaced = new ArrayList<>();
        for (PiiAnonymizer.Span pii : PII.find(text)) {
            if (example.spans().stream().anyMatch(s -> s.start() < pii.end() && pii.start() < s.end())) {
                spansKept++;
            } else {
                replaced.add(pii);
            }
        }
        if (replaced.isEmpty()) {
            return example;
        }
        textsAnonymized++;
        spansReplaced += replaced.size();
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (PiiAnonymizer.Span r : replaced) {
            out.append(text, at, r.start()).append(r.placeholder());
            at = r.end();
        }
        out.append(text, at, text.length());
        List<SlotSpan> spans = new ArrayList<>();
        for (SlotSpan s : example.spans()) {
            // No replaced span overlaps s, so start and end shift by the same amount.
            int shift = 0;
            for (PiiAnonymizer.Span r : replaced) {
                if (r.end() <= s.start()) {
                    shift += r.placeholder().length() - (r.end() - r.start());
                }
            }
            spans.add(new SlotSpan(s.start() + shift, s.end() + shift, s.label()));
        }
        return new SlotExample(out.toString(), spans, example.context());
    }

    /**
     * Train without duplicates, conflicts and texts that occur in {@code heldOut} (when deduping).
     *
     * @param text  an example's text
     * @param label an example's label(s), compared with {@code equals}
     */
    <E> List<E> dedupe(List<E> train, Collection<String> heldOut, Function<E, String> text, Function<E, Object> label) {
        if (!preparation.dedupe()) {
            return train;
        }
        Set<String> held = heldOut.stream().map(Deduplicator::key).collect(Collectors.toCollection(HashSet::new));
        Map<String, List<E>> byKey = new LinkedHashMap<>();
        for (E e : train) {
            byKey.computeIfAbsent(key(text.apply(e)), k -> new ArrayList<>()).add(e);
        }
        List<E> kept = new ArrayList<>();
        for (var group : byKey.entrySet()) {
            List<E> same = group.getValue();
            Set<Object> labels = new LinkedHashSet<>();
            same.forEach(e -> labels.add(label.apply(e)));
            if (labels.size() > 1) {
                conflictingTexts++;
                conflictingDropped += same.size();
                if (conflicts.size() < PreparationReport.EXAMPLES) {
                    conflicts.add("\"" + text.apply(same.getFirst()) + "\" → "
                            + labels.stream().map(String::valueOf).collect(Collectors.joining(" | ")));
                }
            } else if (held.contains(group.getKey())) {
                leaked += same.size();
            } else {
                duplicates += same.size() - 1;
                kept.add(same.getFirst());
            }
        }
        // Keep the input order of the survivors.
        Set<E> survivors = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        survivors.addAll(kept);
        return train.stream().filter(survivors::contains).toList();
    }

    /** Records a problem that is not an error. */
    void warn(String warning) {
        warningCount++;
        if (warnings.size() < PreparationReport.EXAMPLES) {
            warnings.add(warning);
        }
    }

    PreparationReport report() {
        return new PreparationReport(preparation, textsAnonymized, spansReplaced, spansKept, duplicates, leaked,
                conflictingTexts, conflictingDropped, conflicts, warnings, warningCount);
    }
}
