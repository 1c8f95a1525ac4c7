package dev.switchboard.models;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link Classifier} says about one text.
 *
 * @param label      the most likely label
 * @param confidence its probability, in [0, 1]; callers escalate below their own threshold
 * @param ranking    the best labels with their scores, highest first (the {@link IntentClassifier}
 *                   gives the top {@value IntentClassifier#RANKING_SIZE}); when non-empty its first
 *                   entry is {@code (label, confidence)}
 * @param outOfScope true when the classifier's calibrated rejection rule says the text belongs to none
 *                   of its intents (see {@link ModelManifest.Rejection}); {@code label} then still names the
 *                   most probable label (which may be the model's own out-of-scope label), so callers that
 *                   ignore the flag behave as before
 */
public record Prediction(String label, double confidence, List<ScoredLabel> ranking, boolean outOfScope) {

    /** An in-scope prediction ({@code outOfScope = false}). */
    public Prediction(String label, double confidence, List<ScoredLabel> ranking) {
        this(label, confidence, ranking, false);
    }

    public Prediction {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(ranking, "ranking");
        if (label.isBlank()) {
            throw new IllegalArgumentException("label must not be blank");
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
        ranking = List.copyOf(ranking);
        for (int i = 1; i < ranking.size(); i++) {
            if (ranking.get(i).score() > ranking.get(i - 1).score()) {
                throw new IllegalArgumentException("ranking must be sorted by descending score, but entry "
                        + i + " (" + ranking.get(i) + ") outscores entry " + (i - 1));
            }
        }
        if (!ranking.isEmpty() && !ranking.get(0).label().equals(label)) {
            throw new IllegalArgumentException("ranking starts with '" + ranking.get(0).label()
                    + "' but the predicted label is '" + label + "'");
        }
    }
}
