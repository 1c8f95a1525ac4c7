package dev.switchboard.evaluation;

import dev.switchboard.distill.SlotSpan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Slot-filling metrics with exact span matching (the CoNLL convention): a predicted span is a true
 * positive when a gold span of the same message has the same start, end and label; each gold span
 * can be matched once.
 *
 * <ul>
 *   <li>micro: precision = TP / predicted spans, recall = TP / gold spans, F1 = 2PR / (P + R), all
 *       counted over every message and label; an undefined ratio (0 / 0) counts as 0;</li>
 *   <li>per label: the same counts restricted to one label.</li>
 * </ul>
 */
public final class SlotMetrics {

    /** One label's row; {@code support} = gold spans, {@code predicted} = predicted spans. */
    public record LabelMetrics(String label, double precision, double recall, double f1, int support, int predicted) {
    }

    private final int messages;
    private final int goldSpans;
    private final int predictedSpans;
    private final int truePositives;
    private final Map<String, LabelMetrics> perLabel;

    private SlotMetrics(int messages, int goldSpans, int predictedSpans, int truePositives, Map<String, LabelMetrics> perLabel) {
        this.messages = messages;
        this.goldSpans = goldSpans;
        this.predictedSpans = predictedSpans;
        this.truePositives = truePositives;
        this.perLabel = perLabel;
    }

    /**
     * @param gold      per message, its gold spans
     * @param predicted per message, the predicted spans
     * @throws IllegalArgumentException if the lists are empty or differ in length
     */
    public static SlotMetrics of(List<List<SlotSpan>> gold, List<List<SlotSpan>> predicted) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predicted, "predicted");
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " messages but predicted has " + predicted.size());
        }
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("no messages to score");
        }
        Map<String, int[]> counts = new TreeMap<>(); // label -> {tp, gold, predicted}
        int tp = 0;
        int goldCount = 0;
        int predictedCount = 0;
        for (int i = 0; i < gold.size(); i++) {
            Map<SlotSpan, Integer> remaining = new HashMap<>();
            for (SlotSpan g : gold.get(i)) {
                remaining.merge(g, 1, Integer::sum);
                counts.computeIfAbsent(g.label(), k -> new int[3])[1]++;
                goldCount++;
            }
            for (SlotSpan p : predicted.get(i)) {
                counts.computeIfAbsent(p.label(), k -> new int[3])[2]++;
                predictedCount++;
                Integer left = remaining.get(p);
                if (left != null && left > 0) {
                    remaining.put(p, left - 1);
                    counts.get(p.label())[0]++;
                    tp++;
                }
            }
        }
        Map<String, LabelMetrics> perLabel = new TreeMap<>();
        for (var e : counts.entrySet()) {
            int[] c = e.getValue();
            double precision = ratio(c[0], c[2]);
            double recall = ratio(c[0], c[1]);
            perLabel.put(e.getKey(), new LabelMetrics(e.getKey(), precision, recall, f1(precision, recall), c[1], c[2]));
        }
        return new SlotMetrics(gold.size(), goldCount, predictedCount, tp, Collections.unmodifiableMap(perLabel));
    }

    public int messages() {
        return messages;
    }

    public int goldSpans() {
        return goldSpans;
    }

    public int predictedSpans() {
        return predictedSpans;
    }

    public int truePositives() {
        return truePositives;
    }

    public double precision() {
        return ratio(truePositives, predictedSpans);
    }

    public double recall() {
        return ratio(truePositives, goldSpans);
    }

    public double f1() {
        return f1(precision(), recall());
    }

    /** Every label in gold or predicted, by name. */
    public Map<String, LabelMetrics> perLabel() {
        return perLabel;
    }

    /** The per-label rows, worst F1 first (ties by label name). */
    public List<LabelMetrics> byF1Ascending() {
        List<LabelMetrics> rows = new ArrayList<>(perLabel.values());
        rows.sort(Comparator.comparingDouble(LabelMetrics::f1).thenComparing(LabelMetrics::label));
        return rows;
    }

    private static double f1(double precision, double recall) {
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
