package dev.switchboard.models;

import java.util.Objects;

/**
 * One label with its score, as found in a {@link Prediction#ranking()}.
 *
 * @param label a label of the classifier, never blank
 * @param score the classifier's probability for it (the {@link IntentClassifier} gives
 *              temperature-scaled softmax probabilities in [0, 1]); must be finite
 */
public record ScoredLabel(String label, double score) {

    public ScoredLabel {
        Objects.requireNonNull(label, "label");
        if (label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("score of '" + label + "' must be finite, got " + score);
        }
    }
}
