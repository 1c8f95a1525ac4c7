package dev.switchboard.models;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small feed-forward classifier over sentence embeddings: dense layers
 * {@code h_{i+1} = W_i h_i + b_i} with ReLU between layers (not after the last), then
 * {@code probabilities = softmax(logits / T)} with a temperature {@code T > 0} fitted after training
 * (T = 1 leaves the logits as trained). One layer is multinomial logistic regression.
 *
 * <p>Stored as safetensors: {@code layers.<i>.weight} {@code [out, in]}, {@code layers.<i>.bias}
 * {@code [out]} and {@code temperature} {@code [1]}. Immutable and thread-safe.
 */
public final class ClassifierHead {

    /** One dense layer: {@code weight[out][in]}, {@code bias[out]}. */
    public record Layer(float[][] weight, float[] bias) {

        public Layer {
            Objects.requireNonNull(weight, "weight");
            Objects.requireNonNull(bias, "bias");
            if (weight.length == 0 || weight[0].length == 0) {
                throw new IllegalArgumentException("weight must have at least one row and one column");
            }
            if (bias.length != weight.length) {
                throw new IllegalArgumentException("bias has " + bias.length + " values but weight has "
                        + weight.length + " rows");
            }
            float[][] copy = new float[weight.length][];
            for (int r = 0; r < weight.length; r++) {
                if (weight[r].length != weight[0].length) {
                    throw new IllegalArgumentException("weight row " + r + " has " + weight[r].length
                            + " columns, row 0 has " + weight[0].length);
                }
                copy[r] = weight[r].clone();
                checkFinite(copy[r], "weight");
            }
            weight = copy;
            bias = bias.clone();
            checkFinite(bias, "bias");
        }

        /** A copy of the weights. */
        @Override
        public float[][] weight() {
            float[][] copy = new float[weight.length][];
            for (int r = 0; r < weight.length; r++) {
                copy[r] = weight[r].clone();
            }
            return copy;
        }

        /** A copy of the bias. */
        @Override
        public float[] bias() {
            return bias.clone();
        }

        int out() {
            return weight.length;
        }

        int in() {
            return weight[0].length;
        }
    }

    private static final String TEMPERATURE = "temperature";

    private final List<Layer> layers;
    private final double temperature;

    private ClassifierHead(List<Layer> layers, double temperature) {
        this.layers = layers;
        this.temperature = temperature;
    }

    /**
     * @throws IllegalArgumentException if there is no layer, a layer's input size differs from the
     *                                  previous layer's output size, or {@code temperature} is not &gt; 0
     */
    public static ClassifierHead of(List<Layer> layers, double temperature) {
        List<Layer> copy = List.copyOf(layers);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("a classifier head needs at least one layer");
        }
        for (int i = 1; i < copy.size(); i++) {
            if (copy.get(i).in() != copy.get(i - 1).out()) {
                throw new IllegalArgumentException("layer " + i + " takes " + copy.get(i).in()
                        + " inputs but layer " + (i - 1) + " gives " + copy.get(i - 1).out());
            }
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        return new ClassifierHead(copy, temperature);
    }

    /** The same layers with another temperature. */
    public ClassifierHead withTemperature(double newTemperature) {
        return of(layers, newTemperature);
    }

    public List<Layer> layers() {
        return layers;
    }

    public double temperature() {
        return temperature;
    }

    public int inputDimension() {
        return layers.get(0).in();
    }

    public int outputDimension() {
        return layers.get(layers.size() - 1).out();
    }

    /** The raw logits (before the temperature). @throws IllegalArgumentException on a wrong length */
    public float[] logits(float[] input) {
        if (input.length != inputDimension()) {
            throw new IllegalArgumentException("input has " + input.length + " values, the head expects "
                    + inputDimension());
        }
        float[] h = input;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            float[] next = new float[layer.out()];
            for (int o = 0; o < next.length; o++) {
                float[] w = layer.weight[o];
                float sum = 0;
                for (int i = 0; i < w.length; i++) {
                    sum += w[i] * h[i];
                }
                sum += layer.bias[o];
                next[o] = l < layers.size() - 1 ? Math.max(0f, sum) : sum;
            }
            h = next;
        }
        return h;
    }

    /** {@code softmax(logits(input) / T)}, computed stably (max subtracted). */
    public double[] probabilities(float[] input) {
        return softmax(logits(input), temperature);
    }

    /** {@code softmax(logits / temperature)}, computed stably. */
    public static double[] softmax(float[] logits, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float z : logits) {
            max = Math.max(max, z);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Writes the head as safetensors. */
    public void write(Path file) {
        SafeTensors.of(tensors(), metadata()).write(file);
    }

    /** The head's tensors under their safetensors names, in file order. */
    Map<String, SafeTensors.Tensor> tensors() {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            tensors.put("layers." + l + ".weight", SafeTensors.Tensor.ofRows(layer.weight));
            tensors.put("layers." + l + ".bias", new SafeTensors.Tensor(new int[] {layer.out()}, layer.bias));
        }
        tensors.put(TEMPERATURE, new SafeTensors.Tensor(new int[] {1}, new float[] {(float) temperature}));
        return tensors;
    }

    static Map<String, String> metadata() {
        return Map.of("format", "switchboard.classifier-head", "activation", "relu");
    }

    /**
     * Reads a head written by {@link #write(Path)} (other tensors in the file are ignored).
     *
     * @throws IllegalArgumentException naming the file if tensors are missing or their shapes disagree
     */
    public static ClassifierHead read(Path file) {
        SafeTensors st = SafeTensors.read(file);
        try {
            return from(st);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The head stored in these tensors. @throws IllegalArgumentException if they are missing or disagree */
    static ClassifierHead from(SafeTensors st) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; st.tensors().containsKey("layers." + l + ".weight"); l++) {
            SafeTensors.Tensor w = st.tensor("layers." + l + ".weight");
            SafeTensors.Tensor b = st.tensor("layers." + l + ".bias");
            int[] shape = w.shape();
            if (shape.length != 2 || b.shape().length != 1) {
                throw new IllegalArgumentException("layers." + l + ".weight must be 2-D and layers." + l
                        + ".bias 1-D");
            }
            layers.add(new Layer(w.rows(), b.data()));
        }
        float[] t = st.tensor(TEMPERATURE).data();
        if (t.length != 1) {
            throw new IllegalArgumentException("temperature must hold one value, has " + t.length);
        }
        return of(layers, t[0]);
    }

    private static void checkFinite(float[] values, String what) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + " contains a non-finite value: " + v);
            }
        }
    }
}
