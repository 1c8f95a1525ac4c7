package dev.switchboard.models;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link MultiLabelClassifier} says about one text.
 *
 * @param labels  the labels whose probability reached their threshold, most probable first (empty: the
 *                text expresses none of the intents)
 * @param ranking every label with its sigmoid probability, most probable first
 */
public record MultiLabelPrediction(List<ScoredLabel> labels, List<ScoredLabel> ranking) {

    public MultiLabelPrediction {
        labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
        ranking = List.copyOf(Objects.requireNonNull(ranking, "ranking"));
    }

    /** The names of {@link #labels()}. */
    public List<String> names() {
        return labels.stream().map(ScoredLabel::label).toList();
    }
}
