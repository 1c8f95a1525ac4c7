package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Classification metrics from parallel lists of gold and predicted labels.
 *
 * <ul>
 *   <li>accuracy = correct / count</li>
 *   <li>per label: precision = TP / predicted, recall = TP / support (gold count),
 *       F1 = 2PR / (P + R); an undefined ratio (0 / 0) counts as 0</li>
 *   <li>macro-F1 = unweighted mean of F1 over every label that occurs in gold or predicted
 *       (scikit-learn's {@code f1_score(average="macro", zero_division=0)})</li>
 * </ul>
 */
public final class IntentMetrics {

    /** One label's row. {@code predicted} is how often the classifier said this label. */
    public record ClassMetrics(String label, double precision, double recall, double f1, int support, int predicted) {
    }

    private final int count;
    private final double accuracy;
    private final double macroF1;
    private final Map<String, ClassMetrics> perClass;

    private IntentMetrics(int count, double accuracy, double macroF1, Map<String, ClassMetrics> perClass) {
        this.count = count;
        this.accuracy = accuracy;
        this.macroF1 = macroF1;
        this.perClass = perClass;
    }

    /**
     * @throws IllegalArgumentException if the lists are empty or differ in length
     */
    public static IntentMetrics of(List<String> gold, List<String> predicted) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predicted, "predicted");
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " labels but predicted has " + predicted.size());
        }
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("no examples to score");
        }
        Map<String, int[]> counts = new TreeMap<>(); // label -> {tp, support, predicted}
        int correct = 0;
        for (int i = 0; i < gold.size(); i++) {
            String g = Objects.requireNonNull(gold.get(i), "gold label " + i);
            String p = Objects.requireNonNull(predicted.get(i), "predicted label " + i);
            counts.computeIfAbsent(g, k -> new int[3])[1]++;
            counts.computeIfAbsent(p, k -> new int[3])[2]++;
            if (g.equals(p)) {
                counts.get(g)[0]++;
                correct++;
            }
        }
        Map<String, ClassMetrics> perClass = new TreeMap<>();
        double f1Sum = 0;
        for (var e : counts.entrySet()) {
            int[] c = e.getValue();
            double precision = ratio(c[0], c[2]);
            double recall = ratio(c[0], c[1]);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.put(e.getKey(), new ClassMetrics(e.getKey(), precision, recall, f1, c[1], c[2]));
            f1Sum += f1;
        }
        return new IntentMetrics(gold.size(), (double) correct / gold.size(), f1Sum / counts.size(),
                java.util.Collections.unmodifiableMap(perClass));
    }

    public int count() {
        return count;
    }

    public double accuracy() {
        return accuracy;
    }

    public double macroF1() {
        return macroF1;
    }

    /** Every label in gold or predicted, by label name. */
    public Map<String, ClassMetrics> perClass() {
        return perClass;
    }

    /** The per-label rows, worst F1 first (ties by label name). */
    public List<ClassMetrics> byF1Ascending() {
        List<ClassMetrics> rows = new ArrayList<>(perClass.values());
        rows.sort(Comparator.comparingDouble(ClassMetrics::f1).thenComparing(ClassMetrics::label));
        return rows;
    }

    private static double ratio(int numerator, int denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
