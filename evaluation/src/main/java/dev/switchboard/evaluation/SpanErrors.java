package dev.switchboard.evaluation;

import dev.switchboard.distill.SlotSpan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where a slot tagger's spans go wrong. Per message, gold and predicted spans are paired in this order,
 * each span used at most once:
 * <ol>
 *   <li><b>correct</b>: same start, end and label (the true positives of {@link SlotMetrics});</li>
 *   <li><b>label error</b>: same start and end, another label;</li>
 *   <li><b>boundary error</b>: same label, overlapping characters, other start or end;</li>
 *   <li><b>label and boundary error</b>: overlapping characters, another label and other boundaries;</li>
 *   <li><b>missed</b>: a gold span left unpaired (no predicted span overlaps it);</li>
 *   <li><b>spurious</b>: a predicted span left unpaired (it overlaps no gold span).</li>
 * </ol>
 * {@code confusion} counts the paired spans by (gold label, predicted label), with {@link #NONE} as the
 * predicted label of a missed span and as the gold label of a spurious one.
 *
 * @param correct             exact matches
 * @param labelErrors         see above
 * @param boundaryErrors      see above
 * @param labelBoundaryErrors see above
 * @param missed              see above
 * @param spurious            see above
 * @param confusion           gold label → predicted label → spans
 */
public record SpanErrors(int correct, int labelErrors, int boundaryErrors, int labelBoundaryErrors, int missed, int spurious,
        Map<String, Map<String, Integer>> confusion) {

    /** The label of "no span" in {@link #confusion}. */
    public static final String NONE = "(none)";

    public SpanErrors {
        Map<String, Map<String, Integer>> copy = new TreeMap<>();
        confusion.forEach((g, row) -> copy.put(g, Collections.unmodifiableMap(new TreeMap<>(row))));
        confusion = Collections.unmodifiableMap(copy);
    }

    /** The categories by name, in the order of the class comment. */
    public Map<String, Integer> categories() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("correct", correct);
        m.put("label error", labelErrors);
        m.put("boundary error", boundaryErrors);
        m.put("label and boundary error", labelBoundaryErrors);
        m.put("missed", missed);
        m.put("spurious", spurious);
        return m;
    }

    /**
     * @param gold      per message, its gold spans
     * @param predicted per message, its predicted spans
     * @throws IllegalArgumentException if the lists differ in length
     */
    public static SpanErrors of(List<List<SlotSpan>> gold, List<List<SlotSpan>> predicted) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predicted, "predicted");
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " messages but predicted has " + predicted.size());
        }
        int[] counts = new int[6];
        Map<String, Map<String, Integer>> confusion = new TreeMap<>();
        for (int i = 0; i < gold.size(); i++) {
            List<SlotSpan> g = new ArrayList<>(gold.get(i));
            List<SlotSpan> p = new ArrayList<>(predicted.get(i));
            pair(g, p, 0, confusion, counts, (a, b) -> a.equals(b));
            pair(g, p, 1, confusion, counts, (a, b) -> a.start() == b.start() && a.end() == b.end());
            pair(g, p, 2, confusion, counts, (a, b) -> a.label().equals(b.label()) && overlap(a, b));
            pair(g, p, 3, confusion, counts, SpanErrors::overlap);
            for (SlotSpan s : g) {
                counts[4]++;
                add(confusion, s.label(), NONE);
            }
            for (SlotSpan s : p) {
                counts[5]++;
                add(confusion, NONE, s.label());
            }
        }
        return new SpanErrors(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], confusion);
    }

    private interface Match {
        boolean test(SlotSpan gold, SlotSpan predicted);
    }

    /** Removes each gold span and the first unpaired predicted span it matches, counting the pair. */
    private static void pair(List<SlotSpan> gold, List<SlotSpan> predicted, int category,
            Map<String, Map<String, Integer>> confusion, int[] counts, Match match) {
        for (var it = gold.iterator(); it.hasNext(); ) {
            SlotSpan g = it.next();
            for (int j = 0; j < predicted.size(); j++) {
                if (match.test(g, predicted.get(j))) {
                    add(confusion, g.label(), predicted.remove(j).label());
                    counts[category]++;
                    it.remove();
                    break;
                }
            }
        }
    }

    private static boolean overlap(SlotSpan a, SlotSpan b) {
        return a.start() < b.end() && b.start() < a.end();
    }

    private static void add(Map<String, Map<String, Integer>> confusion, String gold, String predicted) {
        confusion.computeIfAbsent(gold, k -> new TreeMap<>()).merge(predicted, 1, Integer::sum);
    }
}
