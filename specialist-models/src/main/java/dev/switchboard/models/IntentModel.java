package dev.switchboard.models;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The trained parts of an intent classifier, stored together in {@code head.safetensors}:
 * <pre>
 *   e' = adapter(e)                      (identity without an adapter; see {@link ResidualAdapter})
 *   z  = head.logits(e') + λ · ngrams.logits(text)     (the second term only with an n-gram head)
 *   single-label: p = softmax(z / T)         multi-label: p_k = sigmoid(z_k / T), label k on iff p_k ≥ θ_k
 * </pre>
 * with {@code T = head.temperature()}, {@code λ = ngramScale} and per-label thresholds {@code θ}
 * ({@code thresholds}, multi-label models only). Optionally it carries label centroids (the unit mean
 * adapted training embedding of each label) for a centroid out-of-scope score. A file written by
 * {@link ClassifierHead#write} (the v1 format) is a model with only a head. Extra tensors:
 * {@code adapter.down}, {@code adapter.up}, {@code ngrams.weight}, {@code ngrams.bias},
 * {@code ngrams.scale [1]}, {@code thresholds [k]}, {@code centroids [k, d]}.
 * Immutable and thread-safe.
 */
public final class IntentModel {

    static final String NGRAM_SCALE = "ngrams.scale";
    static final String THRESHOLDS = "thresholds";
    static final String CENTROIDS = "centroids";

    private final ClassifierHead head;
    private final ResidualAdapter adapter;
    private final NgramHead ngrams;
    private final double ngramScale;
    private final float[] thresholds;
    private final float[][] centroids;

    private IntentModel(ClassifierHead head, ResidualAdapter adapter, NgramHead ngrams, double ngramScale,
            float[] thresholds, float[][] centroids) {
        this.head = head;
        this.adapter = adapter;
        this.ngrams = ngrams;
        this.ngramScale = ngramScale;
        this.thresholds = thresholds;
        this.centroids = centroids;
    }

    /** A model that is just a head (what v1 folders hold). */
    public static IntentModel of(ClassifierHead head) {
        return of(head, null, null, 0, null);
    }

    /**
     * @param head       required
     * @param adapter    or {@code null}
     * @param ngrams     or {@code null}
     * @param ngramScale λ, finite and ≥ 0 (ignored without n-grams)
     * @param thresholds per-label θ in [0, 1] for a multi-label model, or {@code null} for single-label
     * @throws IllegalArgumentException if the parts' dimensions disagree
     */
    public static IntentModel of(ClassifierHead head, ResidualAdapter adapter, NgramHead ngrams, double ngramScale,
            float[] thresholds) {
        Objects.requireNonNull(head, "head");
        if (adapter != null && adapter.dimension() != head.inputDimension()) {
            throw new IllegalArgumentException("the adapter gives " + adapter.dimension() + " values but the head takes "
                    + head.inputDimension());
        }
        if (ngrams != null && ngrams.outputDimension() != head.outputDimension()) {
            throw new IllegalArgumentException("the n-gram head has " + ngrams.outputDimension()
                    + " outputs but the head has " + head.outputDimension());
        }
        if (!(ngramScale >= 0 && Double.isFinite(ngramScale))) {
            throw new IllegalArgumentException("n-gram scale must be finite and >= 0, got " + ngramScale);
        }
        float[] theta = null;
        if (thresholds != null) {
            if (thresholds.length != head.outputDimension()) {
                throw new IllegalArgumentException("there are " + thresholds.length + " thresholds for "
                        + head.outputDimension() + " labels");
            }
            theta = thresholds.clone();
            for (float t : theta) {
                if (!(t >= 0 && t <= 1)) {
                    throw new IllegalArgumentException("thresholds must be in [0, 1], got " + t);
                }
            }
        }
        return new IntentModel(head, adapter, ngrams, ngrams == null ? 0 : ngramScale, theta, null);
    }

    /**
     * The same model with label centroids {@code [k][d]} (unit rows, or zero rows for labels without one).
     *
     * @throws IllegalArgumentException if the shape is not labels × input dimension or a value is not finite
     */
    public IntentModel withCentroids(float[][] newCentroids) {
        Objects.requireNonNull(newCentroids, "centroids");
        if (newCentroids.length != outputDimension()) {
            throw new IllegalArgumentException("there are " + newCentroids.length + " centroids for " + outputDimension()
                    + " labels");
        }
        float[][] copy = new float[newCentroids.length][];
        for (int k = 0; k < copy.length; k++) {
            if (newCentroids[k].length != inputDimension()) {
                throw new IllegalArgumentException("centroid " + k + " has " + newCentroids[k].length + " values, the head takes "
                        + inputDimension());
            }
            copy[k] = newCentroids[k].clone();
            for (float v : copy[k]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("centroids contain a non-finite value: " + v);
                }
            }
        }
        return new IntentModel(head, adapter, ngrams, ngramScale, thresholds, copy);
    }

    /** The label centroids, if the model has them (a copy). */
    public Optional<float[][]> centroids() {
        if (centroids == null) {
            return Optional.empty();
        }
        float[][] copy = new float[centroids.length][];
        for (int k = 0; k < copy.length; k++) {
            copy[k] = centroids[k].clone();
        }
        return Optional.of(copy);
    }

    /**
     * {@code max_k cos(adapted, c_k)} over the labels other than {@code excluded} (-1: none); rows are unit
     * or zero and {@code adapted} is unit, so the dot product is the cosine.
     *
     * @throws IllegalStateException if the model has no centroids
     */
    public double centroidScore(float[] adapted, int excluded) {
        if (centroids == null) {
            throw new IllegalStateException("the model has no label centroids");
        }
        double best = -1;
        for (int k = 0; k < centroids.length; k++) {
            if (k != excluded) {
                best = Math.max(best, Vectors.dot(centroids[k], adapted));
            }
        }
        return best;
    }

    /** The embedding the head sees: the adapter's output, or the embedding itself without an adapter. */
    public float[] adapted(float[] embedding) {
        return adapter == null ? embedding : adapter.apply(embedding);
    }

    public ClassifierHead head() {
        return head;
    }

    public Optional<ResidualAdapter> adapter() {
        return Optional.ofNullable(adapter);
    }

    public Optional<NgramHead> ngrams() {
        return Optional.ofNullable(ngrams);
    }

    /** λ; 0 without an n-gram head. */
    public double ngramScale() {
        return ngramScale;
    }

    /** True if the model has per-label thresholds, i.e. sigmoid outputs. */
    public boolean multiLabel() {
        return thresholds != null;
    }

    /**
     * The labels a multi-label model predicts for its probabilities: every k with {@code p_k ≥ θ_k}, ascending
     * (the one rule serving and evaluation share).
     *
     * @throws IllegalStateException for a single-label model
     */
    public int[] labelsOn(double[] probabilities) {
        if (thresholds == null) {
            throw new IllegalStateException("a single-label model has no thresholds");
        }
        if (probabilities.length != thresholds.length) {
            throw new IllegalArgumentException("got " + probabilities.length + " probabilities for " + thresholds.length
                    + " labels");
        }
        return java.util.stream.IntStream.range(0, thresholds.length).filter(k -> probabilities[k] >= thresholds[k])
                .toArray();
    }

    /** Per-label thresholds θ (a copy). @throws IllegalStateException for a single-label model */
    public float[] thresholds() {
        if (thresholds == null) {
            throw new IllegalStateException("a single-label model has no thresholds");
        }
        return thresholds.clone();
    }

    /** Input dimension: the encoder's. */
    public int inputDimension() {
        return head.inputDimension();
    }

    public int outputDimension() {
        return head.outputDimension();
    }

    /** True if {@link #logits} reads the text (the model has n-grams), not only the embedding. */
    public boolean needsText() {
        return ngrams != null;
    }

    /**
     * The final logits {@code z} before the temperature.
     *
     * @param embedding the encoder's embedding of {@code text}
     * @param text      the text itself; may be {@code null} only if {@link #needsText()} is false
     */
    public float[] logits(float[] embedding, String text) {
        float[] z = head.logits(adapted(embedding));
        if (ngrams != null) {
            Objects.requireNonNull(text, "this model has n-gram features and needs the text");
            float[] zn = ngrams.logits(text);
            for (int k = 0; k < z.length; k++) {
                z[k] += (float) (ngramScale * zn[k]);
            }
        }
        return z;
    }

    /** {@code softmax(z / T)} for single-label, {@code sigmoid(z / T)} for multi-label models. */
    public double[] probabilities(float[] embedding, String text) {
        float[] z = logits(embedding, text);
        if (!multiLabel()) {
            return ClassifierHead.softmax(z, head.temperature());
        }
        double[] p = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            p[k] = 1 / (1 + Math.exp(-z[k] / head.temperature()));
        }
        return p;
    }

    /** The same model with another temperature. */
    public IntentModel withTemperature(double temperature) {
        return new IntentModel(head.withTemperature(temperature), adapter, ngrams, ngramScale, thresholds, centroids);
    }

    /** Writes all parts to one safetensors file. */
    public void write(Path file) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>(head.tensors());
        Map<String, String> metadata = new LinkedHashMap<>(ClassifierHead.metadata());
        metadata.put("output", multiLabel() ? "sigmoid" : "softmax");
        if (adapter != null) {
            tensors.putAll(adapter.tensors());
        }
        if (ngrams != null) {
            tensors.putAll(ngrams.tensors());
            tensors.put(NGRAM_SCALE, new SafeTensors.Tensor(new int[] {1}, new float[] {(float) ngramScale}));
            metadata.put(NgramHead.FEATURES, ngrams.featurizer().spec());
        }
        if (thresholds != null) {
            tensors.put(THRESHOLDS, new SafeTensors.Tensor(new int[] {thresholds.length}, thresholds));
        }
        if (centroids != null) {
            tensors.put(CENTROIDS, SafeTensors.Tensor.ofRows(centroids));
        }
        SafeTensors.of(tensors, metadata).write(file);
    }

    /**
     * Reads a model file (a plain {@link ClassifierHead} file included).
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static IntentModel read(Path file) {
        SafeTensors st = SafeTensors.read(file);
        try {
            ClassifierHead head = ClassifierHead.from(st);
            ResidualAdapter adapter = ResidualAdapter.from(st).orElse(null);
            NgramHead ngrams = NgramHead.from(st).orElse(null);
            double scale = 0;
            if (ngrams != null) {
                float[] s = st.tensor(NGRAM_SCALE).data();
                if (s.length != 1) {
                    throw new IllegalArgumentException(NGRAM_SCALE + " must hold one value, has " + s.length);
                }
                scale = s[0];
            }
            float[] thresholds = st.tensors().containsKey(THRESHOLDS) ? st.tensor(THRESHOLDS).data() : null;
            IntentModel model = of(head, adapter, ngrams, scale, thresholds);
            if (st.tensors().containsKey(CENTROIDS)) {
                SafeTensors.Tensor c = st.tensor(CENTROIDS);
                int[] shape = c.shape();
                if (shape.length != 2) {
                    throw new IllegalArgumentException(CENTROIDS + " must be 2-D");
                }
                model = model.withCentroids(c.rows());
            }
            return model;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }
}
