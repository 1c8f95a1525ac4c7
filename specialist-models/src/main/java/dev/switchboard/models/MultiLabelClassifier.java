package dev.switchboard.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A multi-label intent classifier (NLU++ style: one message may carry several intents, or none): an
 * {@link Encoder} and an {@link IntentModel} with sigmoid outputs {@code p_k = sigmoid(z_k / T)};
 * label k is on iff {@code p_k ≥ θ_k}, with per-label thresholds θ tuned on validation data. As a
 * {@link Classifier} it reports its most probable label, flagged {@link Prediction#outOfScope()} when no
 * label is on. Model folders have kind {@value #KIND}. Thread-safe; the encoder is not owned.
 */
public final class MultiLabelClassifier implements Classifier {

    public static final String KIND = "multi-label-intent-classifier";

    private final ModelManifest manifest;
    private final IntentModel model;
    private final Encoder encoder;

    private MultiLabelClassifier(ModelManifest manifest, IntentModel model, Encoder encoder) {
        this.manifest = manifest;
        this.model = model;
        this.encoder = encoder;
    }

    /**
     * Loads a model version folder.
     *
     * @throws IllegalArgumentException naming the problem (missing files, another kind or encoder, shapes)
     */
    public static MultiLabelClassifier load(Path modelDir, Encoder encoder) {
        Objects.requireNonNull(modelDir, "modelDir");
        Path manifestFile = modelDir.resolve(IntentClassifier.MANIFEST_FILE);
        Path headFile = modelDir.resolve(IntentClassifier.HEAD_FILE);
        if (!Files.isRegularFile(manifestFile) || !Files.isRegularFile(headFile)) {
            throw new IllegalArgumentException("model folder " + modelDir + " needs " + IntentClassifier.MANIFEST_FILE
                    + " and " + IntentClassifier.HEAD_FILE + IntentClassifier.versionHint(modelDir));
        }
        try {
            return of(ModelManifest.read(manifestFile), IntentModel.read(headFile), encoder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException if the parts disagree or the model has no thresholds */
    public static MultiLabelClassifier of(ModelManifest manifest, IntentModel model, Encoder encoder) {
        IntentClassifier.checkParts(manifest, model, encoder, KIND);
        if (!model.multiLabel()) {
            throw new IllegalArgumentException("the model has no per-label thresholds; it is single-label");
        }
        return new MultiLabelClassifier(manifest, model, encoder);
    }

    /** The labels on for this text, and every label's probability. */
    public MultiLabelPrediction classifyLabels(String text) {
        Objects.requireNonNull(text, "text");
        return classifyLabels(text, encoder.embed(text));
    }

    /** Embeds all texts in one encoder call, then classifies each. */
    public List<MultiLabelPrediction> classifyLabelsAll(List<String> texts) {
        float[][] e = encoder.embed(texts);
        List<MultiLabelPrediction> out = new ArrayList<>(texts.size());
        for (int i = 0; i < e.length; i++) {
            out.add(classifyLabels(texts.get(i), e[i]));
        }
        return out;
    }

    /** Classifies a text whose embedding was computed with this model's encoder. */
    public MultiLabelPrediction classifyLabels(String text, float[] embedding) {
        double[] p = model.probabilities(embedding, text);
        List<ScoredLabel> all = new ArrayList<>(p.length);
        for (int k = 0; k < p.length; k++) {
            all.add(new ScoredLabel(manifest.labels().get(k), p[k]));
        }
        List<ScoredLabel> on = new ArrayList<>();
        for (int k : model.labelsOn(p)) {
            on.add(all.get(k));
        }
        Comparator<ScoredLabel> byScore = Comparator.comparingDouble(ScoredLabel::score).reversed();
        all.sort(byScore);
        on.sort(byScore);
        return new MultiLabelPrediction(on, all);
    }

    @Override
    public Prediction classify(String text) {
        MultiLabelPrediction m = classifyLabels(text);
        ScoredLabel top = m.ranking().get(0);
        return new Prediction(top.label(), Math.min(1.0, top.score()),
                m.ranking().subList(0, Math.min(IntentClassifier.RANKING_SIZE, m.ranking().size())), m.labels().isEmpty());
    }

    @Override
    public List<String> labels() {
        return manifest.labels();
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    public IntentModel model() {
        return model;
    }
}
