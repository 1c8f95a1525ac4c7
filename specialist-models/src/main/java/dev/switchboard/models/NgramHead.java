package dev.switchboard.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A linear classifier over {@link HashedNgrams} features (fastText-like, without the embedding
 * bottleneck): {@code z_k = b_k + (1/sqrt(|F|)) Σ_{f∈F} W[k][f]} for the text's distinct feature set
 * {@code F} ({@code z = b} when F is empty). An {@link IntentModel} adds {@code λ·z} to the embedding
 * head's logits, which gives the classifier the exact words that sentence embeddings blur.
 *
 * <p>Stored as {@code ngrams.weight [k, 2^bits]} and {@code ngrams.bias [k]}, with the featuriser in the
 * safetensors metadata ({@code ngrams.features}, e.g. {@code 13/3-5}). Immutable and thread-safe.
 */
public final class NgramHead {

    static final String WEIGHT = "ngrams.weight";
    static final String BIAS = "ngrams.bias";
    static final String FEATURES = "ngrams.features";

    private final HashedNgrams featurizer;
    /** Feature-major: {@code byFeature[f * k + c] = W[c][f]}, so one feature's row is contiguous. */
    private final float[] byFeature;
    private final float[] bias;

    private NgramHead(HashedNgrams featurizer, float[] byFeature, float[] bias) {
        this.featurizer = featurizer;
        this.byFeature = byFeature;
        this.bias = bias;
    }

    /**
     * @param weight {@code [k][2^bits]}
     * @param bias   {@code [k]}
     * @throws IllegalArgumentException if the shapes disagree with each other or the featuriser, or a
     *                                  value is not finite
     */
    public static NgramHead of(HashedNgrams featurizer, float[][] weight, float[] bias) {
        Objects.requireNonNull(featurizer, "featurizer");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
        int k = weight.length;
        if (k == 0 || bias.length != k) {
            throw new IllegalArgumentException("n-gram head needs one bias per weight row, got " + k + " rows and "
                    + bias.length + " biases");
        }
        int size = featurizer.size();
        float[] byFeature = new float[size * k];
        for (int c = 0; c < k; c++) {
            if (weight[c].length != size) {
                throw new IllegalArgumentException("n-gram weight row " + c + " has " + weight[c].length
                        + " columns, the featuriser has " + size + " buckets");
            }
            for (int f = 0; f < size; f++) {
                byFeature[f * k + c] = checkFinite(weight[c][f]);
            }
        }
        float[] b = bias.clone();
        for (float v : b) {
            checkFinite(v);
        }
        return new NgramHead(featurizer, byFeature, b);
    }

    public HashedNgrams featurizer() {
        return featurizer;
    }

    public int outputDimension() {
        return bias.length;
    }

    /** The logits of a text. */
    public float[] logits(String text) {
        return logits(featurizer.features(text));
    }

    /** The logits of a feature set from {@link HashedNgrams#features}. */
    public float[] logits(int[] features) {
        int k = bias.length;
        float[] z = bias.clone();
        if (features.length == 0) {
            return z;
        }
        float[] sum = new float[k];
        for (int f : features) {
            int base = f * k;
            for (int c = 0; c < k; c++) {
                sum[c] += byFeature[base + c];
            }
        }
        float scale = (float) (1 / Math.sqrt(features.length));
        for (int c = 0; c < k; c++) {
            z[c] += scale * sum[c];
        }
        return z;
    }

    Map<String, SafeTensors.Tensor> tensors() {
        int k = bias.length;
        int size = featurizer.size();
        float[] labelMajor = new float[k * size];
        for (int f = 0; f < size; f++) {
            for (int c = 0; c < k; c++) {
                labelMajor[c * size + f] = byFeature[f * k + c];
            }
        }
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put(WEIGHT, new SafeTensors.Tensor(new int[] {k, size}, labelMajor));
        t.put(BIAS, new SafeTensors.Tensor(new int[] {k}, bias));
        return t;
    }

    /**
     * The n-gram head in a safetensors file, if it holds one.
     *
     * @throws IllegalArgumentException if its tensors or metadata are incomplete or disagree
     */
    static Optional<NgramHead> from(SafeTensors st) {
        if (!st.tensors().containsKey(WEIGHT)) {
            return Optional.empty();
        }
        String spec = st.metadata().get(FEATURES);
        if (spec == null) {
            throw new IllegalArgumentException(WEIGHT + " is present but metadata '" + FEATURES + "' is missing");
        }
        HashedNgrams featurizer = HashedNgrams.parse(spec);
        SafeTensors.Tensor w = st.tensor(WEIGHT);
        int[] shape = w.shape();
        if (shape.length != 2 || shape[1] != featurizer.size()) {
            throw new IllegalArgumentException(WEIGHT + " must be [labels, " + featurizer.size() + "] for features "
                    + spec);
        }
        return Optional.of(of(featurizer, w.rows(), st.tensor(BIAS).data()));
    }

    private static float checkFinite(float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("n-gram head contains a non-finite value: " + v);
        }
        return v;
    }
}
