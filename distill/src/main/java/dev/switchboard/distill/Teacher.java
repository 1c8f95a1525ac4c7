package dev.switchboard.distill;

import java.util.List;

/**
 * A model whose output distribution students learn from: soft labels (probabilities over
 * {@link #labels()}) for a batch of texts. Implementations: {@link EncoderHeadTeacher} (an encoder and a
 * trained head), {@link EnsembleTeacher} (the mean of members) and {@link LlmTeacher} (a chat model asked
 * for JSON). Thread-safety is up to the implementation; {@link Distiller} calls it from one thread.
 */
public interface Teacher extends AutoCloseable {

    /** What the teacher is, for manifests, e.g. {@code bge-small-en-v1.5:banking77-teacher/v1}. */
    String id();

    /** The labels, in the order of each probability row. */
    List<String> labels();

    /**
     * The teacher's probabilities for each text: one row per text, {@code labels().size()} non-negative
     * values summing to 1 (within 1e-6).
     *
     * @throws IllegalArgumentException or a runtime exception from a remote model, naming the text
     */
    double[][] probabilities(List<String> texts);

    /** The index of each text's most probable label (ties: the first). */
    default int[] predict(List<String> texts) {
        return Scores.argmax(probabilities(texts));
    }

    /** The version folder this teacher was loaded from, e.g. {@code banking77-teacher/v1}, or {@code null}. */
    default String version() {
        return null;
    }

    /** Releases what the teacher owns (encoders, connections); nothing by default. */
    @Override
    default void close() {
    }
}
