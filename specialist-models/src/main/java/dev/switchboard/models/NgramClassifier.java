package dev.switchboard.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The tiny intent classifier: no encoder, only an {@link NgramHead} over hashed word and character
 * n-grams (fastText-like), {@code p = softmax(z / T)}. Microseconds per message; the first tier of a
 * {@link CascadeClassifier}. A model folder (kind {@value #KIND}) holds {@value IntentClassifier#MANIFEST_FILE}
 * (its {@code encoder} is {@value #NO_ENCODER}) and {@value #WEIGHTS_FILE} ({@code ngrams.weight},
 * {@code ngrams.bias}, {@code temperature [1]}, metadata {@code ngrams.features}). A manifest
 * {@link ModelManifest.Rejection} on {@code max_probability} or {@code energy} sets
 * {@link Prediction#outOfScope()} as in {@link IntentClassifier}. Immutable and thread-safe.
 */
public final class NgramClassifier implements Classifier {

    public static final String KIND = "intent-ngram";
    public static final String WEIGHTS_FILE = "ngrams.safetensors";
    /** The manifest's {@code encoder}: this model reads the text itself. */
    public static final String NO_ENCODER = "none";
    static final String TEMPERATURE = "temperature";

    private final ModelManifest manifest;
    private final NgramHead head;
    private final double temperature;
    private final int outOfScopeIndex;

    private NgramClassifier(ModelManifest manifest, NgramHead head, double temperature) {
        this.manifest = manifest;
        this.head = head;
        this.temperature = temperature;
        ModelManifest.Rejection r = manifest.rejection();
        this.outOfScopeIndex = r == null || r.outOfScopeLabel() == null ? -1 : manifest.labels().indexOf(r.outOfScopeLabel());
    }

    /**
     * @throws IllegalArgumentException if the kind is not {@value #KIND}, the head's outputs differ from the
     *                                  labels, T is not positive, or the rejection rule needs an encoder
     */
    public static NgramClassifier of(ModelManifest manifest, NgramHead head, double temperature) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(head, "head");
        manifest.requireKind(KIND);
        if (head.outputDimension() != manifest.labels().size()) {
            throw new IllegalArgumentException("the n-gram head has " + head.outputDimension() + " outputs but the manifest lists "
                    + manifest.labels().size() + " labels");
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        ModelManifest.Rejection r = manifest.rejection();
        if (r != null && !r.score().equals(ModelManifest.Rejection.MAX_PROBABILITY)
                && !r.score().equals(ModelManifest.Rejection.ENERGY)) {
            throw new IllegalArgumentException("an n-gram classifier can reject on max_probability or energy, not '"
                    + r.score() + "'");
        }
        return new NgramClassifier(manifest, head, temperature);
    }

    /**
     * Loads a model folder.
     *
     * @throws IllegalArgumentException naming the folder and the problem
     */
    public static NgramClassifier load(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path manifestFile = dir.resolve(IntentClassifier.MANIFEST_FILE);
        Path weights = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(manifestFile) || !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("model folder " + dir + " needs " + IntentClassifier.MANIFEST_FILE + " and "
                    + WEIGHTS_FILE);
        }
        try {
            SafeTensors st = SafeTensors.read(weights);
            NgramHead head = NgramHead.from(st).orElseThrow(() -> new IllegalArgumentException(
                    WEIGHTS_FILE + " has no " + NgramHead.WEIGHT));
            float[] t = st.tensor(TEMPERATURE).data();
            if (t.length != 1) {
                throw new IllegalArgumentException(TEMPERATURE + " must hold one value, has " + t.length);
            }
            return of(ModelManifest.read(manifestFile), head, t[0]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@value IntentClassifier#MANIFEST_FILE} and {@value #WEIGHTS_FILE} into {@code dir}. */
    public void write(Path dir) {
        manifest.write(dir.resolve(IntentClassifier.MANIFEST_FILE));
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(head.tensors());
        tensors.put(TEMPERATURE, new SafeTensors.Tensor(new int[] {1}, new float[] {(float) temperature}));
        SafeTensors.of(tensors, Map.of(NgramHead.FEATURES, head.featurizer().spec())).write(dir.resolve(WEIGHTS_FILE));
    }

    @Override
    public Prediction classify(String text) {
        Objects.requireNonNull(text, "text");
        float[] z = head.logits(text);
        double[] p = ClassifierHead.softmax(z, temperature);
        return IntentClassifier.predict(manifest, p, outOfScopeIndex,
                rule -> IntentClassifier.outOfScopeScore(rule.score(), z, p, temperature, outOfScopeIndex));
    }

    @Override
    public List<String> labels() {
        return manifest.labels();
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    public NgramHead head() {
        return head;
    }

    public double temperature() {
        return temperature;
    }
}
