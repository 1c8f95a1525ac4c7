package dev.switchboard.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * An intent classifier: a frozen {@link Encoder} followed by a {@link ClassifierHead}. Probabilities
 * are {@code softmax(head.logits(encoder.embed(text)) / T)}; the prediction is their argmax, its
 * confidence the maximum probability, and the ranking the {@value #RANKING_SIZE} most probable labels.
 *
 * <p>A model folder (immutable once written) holds {@value #MANIFEST_FILE} and {@value #HEAD_FILE}.
 * The classifier does not own the encoder: close the encoder yourself when done.
 */
public final class IntentClassifier implements Classifier {

    /** The {@link ModelManifest#kind()} of intent classifiers. */
    public static final String KIND = "intent-classifier";
    public static final String MANIFEST_FILE = "manifest.json";
    public static final String HEAD_FILE = "head.safetensors";
    /** How many labels {@link Prediction#ranking()} holds (fewer if the model has fewer labels). */
    public static final int RANKING_SIZE = 5;

    private final ModelManifest manifest;
    private final ClassifierHead head;
    private final Encoder encoder;

    private IntentClassifier(ModelManifest manifest, ClassifierHead head, Encoder encoder) {
        this.manifest = manifest;
        this.head = head;
        this.encoder = encoder;
    }

    /**
     * Loads a model version folder, e.g. {@code models/intent/banking77/v1}.
     *
     * @throws IllegalArgumentException naming the problem: a missing {@value #MANIFEST_FILE} or
     *                                  {@value #HEAD_FILE}, shapes that disagree with the labels or the
     *                                  encoder, or a manifest written for another encoder
     */
    public static IntentClassifier load(Path modelDir, Encoder encoder) {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(encoder, "encoder");
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("model folder " + modelDir + " does not exist");
        }
        Path manifestFile = modelDir.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException("model folder " + modelDir + " has no " + MANIFEST_FILE
                    + versionHint(modelDir));
        }
        Path headFile = modelDir.resolve(HEAD_FILE);
        if (!Files.isRegularFile(headFile)) {
            throw new IllegalArgumentException("model folder " + modelDir + " has no " + HEAD_FILE);
        }
        try {
            return of(ModelManifest.read(manifestFile), ClassifierHead.read(headFile), encoder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Assembles a classifier from parts already in memory (the trainer uses this before writing).
     *
     * @throws IllegalArgumentException if the manifest is not an intent classifier's, names another
     *                                  encoder, or the head's shapes disagree with the labels or encoder
     */
    public static IntentClassifier of(ModelManifest manifest, ClassifierHead head, Encoder encoder) {
        String loaded = encoder.info().id();
        if (!manifest.kind().equals(KIND)) {
            throw new IllegalArgumentException("manifest kind is '" + manifest.kind() + "', expected '" + KIND + "'");
        }
        if (!manifest.encoder().equals(loaded)) {
            throw new IllegalArgumentException("model " + manifest.name() + "/" + manifest.version()
                    + " was trained on encoder " + manifest.encoder() + " but " + loaded + " is loaded");
        }
        if (head.inputDimension() != encoder.info().dimension()) {
            throw new IllegalArgumentException("the head takes " + head.inputDimension() + "-dimensional input but encoder "
                    + loaded + " gives " + encoder.info().dimension());
        }
        if (head.outputDimension() != manifest.labels().size()) {
            throw new IllegalArgumentException("the head has " + head.outputDimension() + " outputs but the manifest lists "
                    + manifest.labels().size() + " labels");
        }
        return new IntentClassifier(manifest, head, encoder);
    }

    @Override
    public Prediction classify(String text) {
        Objects.requireNonNull(text, "text");
        return classifyEmbedding(encoder.embed(text));
    }

    /** Embeds all texts in one encoder call, then classifies each. */
    @Override
    public List<Prediction> classifyAll(List<String> texts) {
        return Stream.of(encoder.embed(texts)).map(this::classifyEmbedding).toList();
    }

    /**
     * Classifies an embedding already computed with this model's encoder.
     *
     * @throws IllegalArgumentException if its length is not the encoder's dimension
     */
    public Prediction classifyEmbedding(float[] embedding) {
        double[] p = head.probabilities(embedding);
        List<Integer> order = new ArrayList<>(p.length);
        for (int i = 0; i < p.length; i++) {
            order.add(i);
        }
        // Stable: ties keep the label order of the output layer.
        order.sort((a, b) -> Double.compare(p[b], p[a]));
        List<String> labels = manifest.labels();
        List<ScoredLabel> ranking = order.stream().limit(RANKING_SIZE)
                .map(i -> new ScoredLabel(labels.get(i), p[i])).toList();
        return new Prediction(ranking.get(0).label(), Math.min(1.0, ranking.get(0).score()), ranking);
    }

    @Override
    public List<String> labels() {
        return manifest.labels();
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    /** The trained head (layers and temperature). */
    public ClassifierHead head() {
        return head;
    }

    private static String versionHint(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            List<String> versions = children.filter(Files::isDirectory).map(c -> c.getFileName().toString())
                    .filter(n -> n.matches("v\\d+")).sorted().toList();
            return versions.isEmpty() ? "" : " (it holds versions " + versions + "; pass a version folder such as "
                    + dir.resolve(versions.get(versions.size() - 1)) + ")";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
