package dev.switchboard.distill;

import dev.switchboard.models.IntentModel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Multi-label scores from parallel lists of gold and predicted label sets:
 * <ul>
 *   <li>micro-F1 = 2·TP / (2·TP + FP + FN), counted over every (example, label) decision;</li>
 *   <li>macro-F1 = unweighted mean of per-label F1 over the labels occurring in gold or predicted
 *       (a label's F1 is 0 when it has no true positive);</li>
 *   <li>exact match = share of examples whose predicted set equals the gold set (both empty counts).</li>
 * </ul>
 *
 * @param count      examples
 * @param microF1    micro-averaged F1
 * @param macroF1    macro-averaged F1
 * @param exactMatch exact-match ratio
 * @param perLabel   label → {tp, fp, fn}
 */
public record MultiLabelMetrics(int count, double microF1, double macroF1, double exactMatch, Map<String, int[]> perLabel) {

    /** @throws IllegalArgumentException if the lists are empty or differ in length */
    public static MultiLabelMetrics of(List<List<String>> gold, List<List<String>> predicted) {
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(predicted, "predicted");
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " label sets but predicted has " + predicted.size());
        }
        if (gold.isEmpty()) {
            throw new IllegalArgumentException("no examples to score");
        }
        Map<String, int[]> counts = new TreeMap<>();
        long tp = 0;
        long fp = 0;
        long fn = 0;
        int exact = 0;
        for (int i = 0; i < gold.size(); i++) {
            Set<String> g = new HashSet<>(gold.get(i));
            Set<String> p = new HashSet<>(predicted.get(i));
            exact += g.equals(p) ? 1 : 0;
            for (String label : p) {
                int[] c = counts.computeIfAbsent(label, k -> new int[3]);
                if (g.contains(label)) {
                    c[0]++;
                    tp++;
                } else {
                    c[1]++;
                    fp++;
                }
            }
            for (String label : g) {
                if (!p.contains(label)) {
                    counts.computeIfAbsent(label, k -> new int[3])[2]++;
                    fn++;
                }
            }
        }
        double macro = counts.values().stream().mapToDouble(c -> f1(c[0], c[1], c[2])).average().orElse(0);
        return new MultiLabelMetrics(gold.size(), f1(tp, fp, fn), macro, (double) exact / gold.size(), counts);
    }

    /**
     * The scores of a multi-label model on examples: label k is predicted iff {@code p_k ≥ θ_k}
     * ({@link IntentModel#labelsOn}, the rule {@link dev.switchboard.models.MultiLabelClassifier} serves with).
     *
     * @param labels     the model's output labels, in order
     * @param embeddings the examples' embeddings, in order
     */
    public static MultiLabelMetrics of(IntentModel model, List<String> labels, List<MultiLabelExample> examples,
            float[][] embeddings) {
        List<List<String>> predicted = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            int[] on = model.labelsOn(model.probabilities(embeddings[i], examples.get(i).text()));
            predicted.add(java.util.Arrays.stream(on).mapToObj(labels::get).toList());
        }
        return of(examples.stream().map(MultiLabelExample::intents).toList(), predicted);
    }

    /** F1 = 2·TP / (2·TP + FP + FN); 0 if TP = 0. */
    static double f1(long tp, long fp, long fn) {
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
