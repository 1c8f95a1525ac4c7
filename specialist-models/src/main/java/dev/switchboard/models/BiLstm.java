package dev.switchboard.models;

import java.util.Map;
import java.util.Objects;

/**
 * A one-layer bidirectional LSTM with PyTorch's equations and gate order (i, f, g, o): for each
 * direction, {@code a = W_ih x_t + W_hh h_{t-1} + b}, {@code i = σ(a_i)}, {@code f = σ(a_f)},
 * {@code g = tanh(a_g)}, {@code o = σ(a_o)}, {@code c_t = f c_{t-1} + i g}, {@code h_t = o tanh(c_t)},
 * starting from zero states; the backward direction reads the sequence from the end. The output at
 * t is {@code [h_t(forward); h_t(backward)]}. Immutable and thread-safe.
 */
public final class BiLstm {

    /**
     * The weights of one direction.
     *
     * @param inputWeights  {@code W_ih}, {@code [4H][in]}
     * @param hiddenWeights {@code W_hh}, {@code [4H][H]}
     * @param bias          {@code b_ih + b_hh}, {@code [4H]}
     */
    public record Direction(float[][] inputWeights, float[][] hiddenWeights, float[] bias) {

        public Direction {
            Objects.requireNonNull(inputWeights, "inputWeights");
            Objects.requireNonNull(hiddenWeights, "hiddenWeights");
            Objects.requireNonNull(bias, "bias");
            int rows = bias.length;
            if (rows == 0 || rows % 4 != 0) {
                throw new IllegalArgumentException("bias must have 4H values, has " + rows);
            }
            if (inputWeights.length != rows || hiddenWeights.length != rows) {
                throw new IllegalArgumentException("weights must have 4H = " + rows + " rows");
            }
            for (float[] row : hiddenWeights) {
                if (row.length != rows / 4) {
                    throw new IllegalArgumentException("hidden weights must be [4H][H] with H = " + rows / 4);
                }
            }
            for (float[] row : inputWeights) {
                if (row.length != inputWeights[0].length || row.length == 0) {
                    throw new IllegalArgumentException("input weights rows differ in length");
                }
            }
        }

        int hidden() {
            return bias.length / 4;
        }

        int in() {
            return inputWeights[0].length;
        }
    }

    private final Direction forward;
    private final Direction backward;
    /** Transposed weights, {@code [in][4H]} and {@code [H][4H]} per direction: see {@link #run}. */
    private final float[][][] transposed;

    /** @throws IllegalArgumentException if the directions differ in input or hidden size */
    public BiLstm(Direction forward, Direction backward) {
        this.forward = Objects.requireNonNull(forward, "forward");
        this.backward = Objects.requireNonNull(backward, "backward");
        if (forward.hidden() != backward.hidden() || forward.in() != backward.in()) {
            throw new IllegalArgumentException("LSTM directions differ in size");
        }
        this.transposed = new float[][][] {transpose(forward.inputWeights), transpose(forward.hiddenWeights),
                transpose(backward.inputWeights), transpose(backward.hiddenWeights)};
    }

    private static float[][] transpose(float[][] m) {
        float[][] t = new float[m[0].length][m.length];
        for (int r = 0; r < m.length; r++) {
            for (int c = 0; c < m[r].length; c++) {
                t[c][r] = m[r][c];
            }
        }
        return t;
    }

    /** Input size per step. */
    public int inputDimension() {
        return forward.in();
    }

    /** Output size per step: 2H. */
    public int outputDimension() {
        return 2 * forward.hidden();
    }

    /** Runs both directions over {@code x} ({@code [n][in]}); returns {@code [n][2H]}. */
    public float[][] apply(float[][] x) {
        int n = x.length;
        int h = forward.hidden();
        float[][] out = new float[n][2 * h];
        run(forward, transposed[0], transposed[1], x, out, 0, false);
        run(backward, transposed[2], transposed[3], x, out, h, true);
        return out;
    }

    /**
     * The gate pre-activations are accumulated column-wise, {@code a += x_j · W^T[j]}, over the
     * transposed weights: the JIT vectorises that loop, which it does not do for dot products.
     */
    private static void run(Direction d, float[][] inputT, float[][] hiddenT, float[][] x, float[][] out, int offset,
            boolean reverse) {
        int n = x.length;
        int h = d.hidden();
        float[] state = new float[h];
        float[] cell = new float[h];
        float[] a = new float[4 * h];
        for (int step = 0; step < n; step++) {
            int t = reverse ? n - 1 - step : step;
            if (x[t].length != d.in()) {
                throw new IllegalArgumentException("LSTM input has " + x[t].length + " values, expected " + d.in());
            }
            System.arraycopy(d.bias, 0, a, 0, 4 * h);
            float[] xt = x[t];
            for (int j = 0; j < xt.length; j++) {
                axpy(a, xt[j], inputT[j]);
            }
            for (int j = 0; j < h; j++) {
                axpy(a, state[j], hiddenT[j]);
            }
            for (int j = 0; j < h; j++) {
                float i = sigmoid(a[j]);
                float f = sigmoid(a[h + j]);
                float g = (float) Math.tanh(a[2 * h + j]);
                float o = sigmoid(a[3 * h + j]);
                cell[j] = f * cell[j] + i * g;
                state[j] = o * (float) Math.tanh(cell[j]);
            }
            System.arraycopy(state, 0, out[t], offset, h);
        }
    }

    private static void axpy(float[] a, float s, float[] row) {
        if (s == 0f) {
            return;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += s * row[i];
        }
    }

    private static float sigmoid(float v) {
        return (float) (1 / (1 + Math.exp(-v)));
    }

    /** Adds this LSTM's tensors under {@code prefix}: {@code .forward.weight_ih}, {@code .forward.weight_hh}, {@code .forward.bias}, same for backward. */
    void putTensors(String prefix, Map<String, SafeTensors.Tensor> tensors) {
        put(prefix + ".forward", forward, tensors);
        put(prefix + ".backward", backward, tensors);
    }

    private static void put(String prefix, Direction d, Map<String, SafeTensors.Tensor> tensors) {
        tensors.put(prefix + ".weight_ih", SafeTensors.Tensor.ofRows(d.inputWeights));
        tensors.put(prefix + ".weight_hh", SafeTensors.Tensor.ofRows(d.hiddenWeights));
        tensors.put(prefix + ".bias", new SafeTensors.Tensor(new int[] {d.bias.length}, d.bias));
    }

    /** Reads the tensors written by {@link #putTensors}, or returns null if there are none. */
    static BiLstm fromTensors(String prefix, SafeTensors st) {
        if (!st.tensors().containsKey(prefix + ".forward.weight_ih")) {
            return null;
        }
        return new BiLstm(direction(prefix + ".forward", st), direction(prefix + ".backward", st));
    }

    private static Direction direction(String prefix, SafeTensors st) {
        return new Direction(st.tensor(prefix + ".weight_ih").rows(), st.tensor(prefix + ".weight_hh").rows(),
                st.tensor(prefix + ".bias").data());
    }
}
