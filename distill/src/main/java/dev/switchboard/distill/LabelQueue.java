package dev.switchboard.distill;

import dev.switchboard.models.Prediction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Chooses which unlabelled messages a person should label next: the ones the model is least sure
 * about, spread over different meanings (active learning by uncertainty and diversity).
 *
 * <ul>
 *   <li><b>Uncertainty</b> (margin): {@code u = 1 − (p₁ − p₂)}, with p₁ ≥ p₂ the two highest calibrated
 *       (temperature-scaled) probabilities; 1 when the model cannot tell its top two labels apart, near 0
 *       when it is sure. A model with one label has {@code p₂ = 0}.</li>
 *   <li><b>Diversity</b> (maximal marginal relevance, greedy): items are picked one at a time; the next
 *       is the remaining item i maximising
 *       {@code score(i) = λ·u(i) − (1 − λ)·max_{j picked} cos(e_i, e_j)} (the max is 0 before the first
 *       pick), with {@code e} the encoder's L2-normalised embeddings and λ default
 *       {@value #DEFAULT_LAMBDA}. Two messages that mean the same thing have cosine near 1, so the second
 *       loses 0.3·cos ≈ 0.3 and falls behind other uncertain messages.</li>
 *   <li>Exact duplicates (same {@link Deduplicator#key}: case, whitespace, punctuation ignored) are
 *       dropped before ranking; the first occurrence stays.</li>
 * </ul>
 */
public final class LabelQueue {

    /** Default λ: 0.7 (uncertainty weighs more than novelty). */
    public static final double DEFAULT_LAMBDA = 0.7;

    /**
     * One message to label.
     *
     * @param text        the message (as ranked, i.e. anonymized by the command)
     * @param predicted   the model's most probable label
     * @param confidence  its probability p₁
     * @param uncertainty {@code 1 − (p₁ − p₂)}
     * @param score       its MMR score when it was picked
     */
    public record Item(String text, String predicted, double confidence, double uncertainty, double score) {
        public Item {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(predicted, "predicted");
        }
    }

    private LabelQueue() {
    }

    /** {@code 1 − (p₁ − p₂)} from a prediction's ranking (highest first). */
    public static double uncertainty(Prediction p) {
        double p1 = p.ranking().isEmpty() ? p.confidence() : p.ranking().get(0).score();
        double p2 = p.ranking().size() < 2 ? 0 : p.ranking().get(1).score();
        return Math.max(0, Math.min(1, 1 - (p1 - p2)));
    }

    /**
     * The top {@code top} messages in pick order.
     *
     * @param texts       the candidate messages
     * @param embeddings  their L2-normalised embeddings, same order
     * @param predictions their predictions, same order
     * @param lambda      λ in [0, 1]
     */
    public static List<Item> rank(List<String> texts, float[][] embeddings, List<Prediction> predictions, int top,
            double lambda) {
        if (texts.size() != embeddings.length || texts.size() != predictions.size()) {
            throw new IllegalArgumentException("texts, embeddings and predictions differ in number: " + texts.size() + ", "
                    + embeddings.length + ", " + predictions.size());
        }
        OptionChecks.atLeast("--top", top, 1);
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("--lambda must be in [0, 1], got " + lambda);
        }
        List<Integer> candidates = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < texts.size(); i++) {
            if (seen.add(Deduplicator.key(texts.get(i)))) {
                candidates.add(i);
            }
        }
        double[] u = new double[texts.size()];
        candidates.forEach(i -> u[i] = uncertainty(predictions.get(i)));
        // maxSim[i] = max cosine of i to the items picked so far, updated after each pick: O(n·top·d).
        double[] maxSim = new double[texts.size()];
        List<Item> picked = new ArrayList<>();
        while (picked.size() < top && !candidates.isEmpty()) {
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i : candidates) {
                double s = lambda * u[i] - (1 - lambda) * (picked.isEmpty() ? 0 : maxSim[i]);
                if (s > bestScore) {
                    bestScore = s;
                    best = i;
                }
            }
            int chosen = best;
            candidates.remove(Integer.valueOf(chosen));
            Prediction p = predictions.get(chosen);
            picked.add(new Item(texts.get(chosen), p.label(), p.confidence(), u[chosen], bestScore));
            for (int i : candidates) {
                maxSim[i] = picked.size() == 1 ? cosine(embeddings[i], embeddings[chosen])
                        : Math.max(maxSim[i], cosine(embeddings[i], embeddings[chosen]));
            }
        }
        return picked;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int k = 0; k < a.length; k++) {
            dot += a[k] * b[k];
        }
        return dot; // both are unit length
    }
}
