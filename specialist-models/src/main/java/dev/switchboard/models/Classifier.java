package dev.switchboard.models;

import java.util.List;

/** Assigns one of a fixed set of labels to a text, with a confidence. Implementations are thread-safe. */
public interface Classifier {

    /** Classifies one text. */
    Prediction classify(String text);

    /** Classifies many texts, in order. Implementations override this to batch the encoder calls. */
    default List<Prediction> classifyAll(List<String> texts) {
        return texts.stream().map(this::classify).toList();
    }

    /** The labels this classifier can return, in the order of its output layer. */
    List<String> labels();

    /** Where the model came from: name, version, encoder, training data and metrics. */
    ModelManifest manifest();
}
