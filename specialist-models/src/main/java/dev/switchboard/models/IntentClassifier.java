package dev.switchboard.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * A single-label intent classifier: a frozen {@link Encoder} followed by an {@link IntentModel} (a
 * {@link ClassifierHead}, optionally with a {@link ResidualAdapter} before it and an {@link NgramHead}
 * beside it). Probabilities are {@code softmax(z / T)} over the model's logits {@code z}; the
 * prediction is their argmax, its confidence the maximum probability, and the ranking the
 * {@value #RANKING_SIZE} most probable labels. When the manifest has a {@link ModelManifest.Rejection}
 * rule, {@link Prediction#outOfScope()} applies it.
 *
 * <p>A model folder (immutable once written) holds {@value #MANIFEST_FILE} and {@value #HEAD_FILE}.
 * The classifier does not own the encoder: close the encoder yourself when done. Thread-safe.
 */
public final class IntentClassifier implements Classifier {

    /** The {@link ModelManifest#kind()} of intent classifiers. */
    public static final String KIND = "intent-classifier";
    public static final String MANIFEST_FILE = "manifest.json";
    public static final String HEAD_FILE = "head.safetensors";
    /** How many labels {@link Prediction#ranking()} holds (fewer if the model has fewer labels). */
    public static final int RANKING_SIZE = 5;

    private final ModelManifest manifest;
    private final IntentModel model;
    private final Encoder encoder;
    private final int outOfScopeIndex;

    private IntentClassifier(ModelManifest manifest, IntentModel model, Encoder encoder) {
        this.manifest = manifest;
        this.model = model;
        this.encoder = encoder;
        ModelManifest.Rejection r = manifest.rejection();
        this.outOfScopeIndex = r == null || r.outOfScopeLabel() == null ? -1 : manifest.labels().indexOf(r.outOfScopeLabel());
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
            return of(ModelManifest.read(manifestFile), IntentModel.read(headFile), encoder);
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
        return of(manifest, IntentModel.of(head), encoder);
    }

    /**
     * Assembles a classifier from a manifest and a full model.
     *
     * @throws IllegalArgumentException as {@link #of(ModelManifest, ClassifierHead, Encoder)}, or if the
     *                                  model is multi-label (load those with {@link MultiLabelClassifier})
     */
    public static IntentClassifier of(ModelManifest manifest, IntentModel model, Encoder encoder) {
        checkParts(manifest, model, encoder, KIND);
        if (model.multiLabel()) {
            throw new IllegalArgumentException("the model is multi-label (it has per-label thresholds); load it with "
                    + "MultiLabelClassifier");
        }
        return new IntentClassifier(manifest, model, encoder);
    }

    /** Checks what single- and multi-label classifiers share: kind, encoder id and dimensions. */
    static void checkParts(ModelManifest manifest, IntentModel model, Encoder encoder, String kind) {
        ClassifierHead head = model.head();
        String loaded = encoder.info().id();
        manifest.requireKind(kind);
        manifest.requireEncoder(loaded);
        if (head.inputDimension() != encoder.info().dimension()) {
            throw new IllegalArgumentException("the head takes " + head.inputDimension() + "-dimensional input but encoder "
                    + loaded + " gives " + encoder.info().dimension());
        }
        if (head.outputDimension() != manifest.labels().size()) {
            throw new IllegalArgumentException("the head has " + head.outputDimension() + " outputs but the manifest lists "
                    + manifest.labels().size() + " labels");
        }
        if (manifest.rejection() != null && manifest.rejection().usesCentroids() && model.centroids().isEmpty()) {
            throw new IllegalArgumentException("the rejection rule uses label centroids but " + HEAD_FILE + " has none");
        }
    }

    @Override
    public Prediction classify(String text) {
        Objects.requireNonNull(text, "text");
        return classify(text, encoder.embed(text));
    }

    /** Embeds all texts in one encoder call, then classifies each. */
    @Override
    public List<Prediction> classifyAll(List<String> texts) {
        float[][] embeddings = encoder.embed(texts);
        List<Prediction> out = new ArrayList<>(texts.size());
        for (int i = 0; i < embeddings.length; i++) {
            out.add(classify(texts.get(i), embeddings[i]));
        }
        return out;
    }

    /**
     * Classifies an embedding already computed with this model's encoder.
     *
     * @throws IllegalArgumentException if its length is not the encoder's dimension
     * @throws IllegalStateException    if the model also reads the text (n-gram features): use
     *                                  {@link #classify(String, float[])}
     */
    public Prediction classifyEmbedding(float[] embedding) {
        if (model.needsText()) {
            throw new IllegalStateException("model " + manifest.name() + "/" + manifest.version()
                    + " has n-gram features: classify(text, embedding) needs the text");
        }
        return classify(null, embedding);
    }

    /**
     * Classifies a text whose embedding was already computed with this model's encoder.
     *
     * @param text      the text (may be {@code null} only if the model has no n-gram features)
     * @param embedding its embedding
     */
    public Prediction classify(String text, float[] embedding) {
        float[] z = model.logits(embedding, text);
        double[] p = ClassifierHead.softmax(z, model.head().temperature());
        return predict(manifest, p, outOfScopeIndex,
                rule -> outOfScopeScore(rule, model, embedding, z, p, outOfScopeIndex));
    }

    /**
     * The score the manifest's rejection rule compares with its threshold (higher = more in scope) for a text
     * whose embedding was computed with this model's encoder, or NaN when the model has no rule.
     */
    public double outOfScopeScore(String text, float[] embedding) {
        ModelManifest.Rejection rule = manifest.rejection();
        if (rule == null) {
            return Double.NaN;
        }
        float[] z = model.logits(embedding, text);
        return outOfScopeScore(rule, model, embedding, z, ClassifierHead.softmax(z, model.head().temperature()),
                outOfScopeIndex);
    }

    /**
     * A prediction from calibrated probabilities: the labels ranked by {@code p} (stable: ties keep the label
     * order of the output layer), the top {@link #RANKING_SIZE}, and out of scope if the manifest has a
     * rejection rule and either the top label is its out-of-scope label or {@code score(rule)} falls below the
     * rule's threshold ({@code score} is only called when there is a rule).
     */
    static Prediction predict(ModelManifest manifest, double[] p, int outOfScopeIndex,
            ToDoubleFunction<ModelManifest.Rejection> score) {
        List<Integer> order = new ArrayList<>(p.length);
        for (int i = 0; i < p.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(p[b], p[a]));
        List<String> labels = manifest.labels();
        List<ScoredLabel> ranking = order.stream().limit(RANKING_SIZE)
                .map(i -> new ScoredLabel(labels.get(i), p[i])).toList();
        ModelManifest.Rejection rule = manifest.rejection();
        boolean outOfScope = rule != null
                && (order.get(0) == outOfScopeIndex || score.applyAsDouble(rule) < rule.threshold());
        return new Prediction(ranking.get(0).label(), Math.min(1.0, ranking.get(0).score()), ranking, outOfScope);
    }

    /**
     * The score a {@link ModelManifest.Rejection} compares with its threshold (formulas there), over the
     * labels other than {@code excluded} (-1: none excluded).
     *
     * @param embedding     the encoder's embedding (the model adapts it for the centroid score)
     * @param logits        the model's final logits for it
     * @param probabilities {@code softmax(logits / T)}
     */
    public static double outOfScopeScore(ModelManifest.Rejection rule, IntentModel model, float[] embedding, float[] logits,
            double[] probabilities, int excluded) {
        if (!rule.score().equals(ModelManifest.Rejection.COMBINED)) {
            return singleScore(rule.score(), model, embedding, logits, probabilities, excluded);
        }
        double sum = 0;
        for (var c : rule.components().entrySet()) {
            sum += (singleScore(c.getKey(), model, embedding, logits, probabilities, excluded) - c.getValue().mean())
                    / c.getValue().std();
        }
        return sum;
    }

    private static double singleScore(String score, IntentModel model, float[] embedding, float[] logits,
            double[] probabilities, int excluded) {
        if (score.equals(ModelManifest.Rejection.CENTROID)) {
            return model.centroidScore(model.adapted(embedding), excluded);
        }
        return outOfScopeScore(score, logits, probabilities, model.head().temperature(), excluded);
    }

    /**
     * The {@link ModelManifest.Rejection#MAX_PROBABILITY} or {@link ModelManifest.Rejection#ENERGY} score over
     * the labels other than {@code excluded} (-1: none excluded).
     */
    public static double outOfScopeScore(String score, float[] logits, double[] probabilities, double temperature,
            int excluded) {
        if (score.equals(ModelManifest.Rejection.MAX_PROBABILITY)) {
            double best = 0;
            for (int k = 0; k < probabilities.length; k++) {
                if (k != excluded) {
                    best = Math.max(best, probabilities[k]);
                }
            }
            return best;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            if (k != excluded) {
                max = Math.max(max, logits[k] / temperature);
            }
        }
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            if (k != excluded) {
                sum += Math.exp(logits[k] / temperature - max);
            }
        }
        return temperature * (max + Math.log(sum));
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
        return model.head();
    }

    /** All trained parts: head, adapter, n-grams. */
    public IntentModel model() {
        return model;
    }

    /** The encoder this classifier embeds with (not owned: the caller closes it). */
    public Encoder encoder() {
        return encoder;
    }

    static String versionHint(Path dir) {
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
