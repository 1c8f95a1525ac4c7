package dev.switchboard.models;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A low-rank residual adapter on a sentence embedding (PEFT over a frozen encoder):
 * {@code h' = normalise(h + B·(A·h))} with {@code A} ({@code down}) of shape {@code [r, d]} and
 * {@code B} ({@code up}) of shape {@code [d, r]}, rank {@code r} much smaller than {@code d}. With
 * {@code B = 0} it is the identity on unit vectors, which is where training starts. The output is
 * L2-normalised again, so the head sees unit vectors as it would without an adapter.
 *
 * <p>Stored in the model's safetensors next to the head as {@code adapter.down} and {@code adapter.up}.
 * Immutable and thread-safe.
 */
public final class ResidualAdapter {

    static final String DOWN = "adapter.down";
    static final String UP = "adapter.up";

    private final float[][] down;
    private final float[][] up;

    private ResidualAdapter(float[][] down, float[][] up) {
        this.down = down;
        this.up = up;
    }

    /**
     * @param down {@code A}, {@code [r][d]}
     * @param up   {@code B}, {@code [d][r]}
     * @throws IllegalArgumentException if the shapes do not fit together or a value is not finite
     */
    public static ResidualAdapter of(float[][] down, float[][] up) {
        Objects.requireNonNull(down, "down");
        Objects.requireNonNull(up, "up");
        float[][] a = copy(down, "adapter down");
        float[][] b = copy(up, "adapter up");
        int rank = a.length;
        int dimension = a[0].length;
        if (b.length != dimension || b[0].length != rank) {
            throw new IllegalArgumentException("adapter up must be [" + dimension + ", " + rank + "] to fit down ["
                    + rank + ", " + dimension + "], got [" + b.length + ", " + b[0].length + "]");
        }
        return new ResidualAdapter(a, b);
    }

    /** The input and output dimension {@code d}. */
    public int dimension() {
        return down[0].length;
    }

    /** The rank {@code r}. */
    public int rank() {
        return down.length;
    }

    /** Number of trainable values: {@code 2·r·d}. */
    public int parameterCount() {
        return 2 * rank() * dimension();
    }

    /**
     * {@code normalise(h + B·(A·h))}; a new array.
     *
     * @throws IllegalArgumentException if {@code h} does not have {@link #dimension()} values
     */
    public float[] apply(float[] h) {
        if (h.length != dimension()) {
            throw new IllegalArgumentException("input has " + h.length + " values, the adapter expects " + dimension());
        }
        float[] z = new float[rank()];
        for (int k = 0; k < z.length; k++) {
            float[] row = down[k];
            float sum = 0;
            for (int i = 0; i < row.length; i++) {
                sum += row[i] * h[i];
            }
            z[k] = sum;
        }
        float[] out = h.clone();
        for (int i = 0; i < out.length; i++) {
            float[] row = up[i];
            float sum = 0;
            for (int k = 0; k < row.length; k++) {
                sum += row[k] * z[k];
            }
            out[i] += sum;
        }
        Vectors.normalize(out);
        return out;
    }

    /** {@code A} as {@code [r][d]} (a copy). */
    public float[][] down() {
        return copy(down, "down");
    }

    /** {@code B} as {@code [d][r]} (a copy). */
    public float[][] up() {
        return copy(up, "up");
    }

    /** The two tensors under their safetensors names, to be written beside a head's. */
    Map<String, SafeTensors.Tensor> tensors() {
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put(DOWN, SafeTensors.Tensor.ofRows(down));
        t.put(UP, SafeTensors.Tensor.ofRows(up));
        return t;
    }

    /**
     * The adapter in a safetensors file, if it holds one.
     *
     * @throws IllegalArgumentException if only one of the two tensors is present or they are not 2-D
     */
    static Optional<ResidualAdapter> from(SafeTensors st) {
        boolean hasDown = st.tensors().containsKey(DOWN);
        boolean hasUp = st.tensors().containsKey(UP);
        if (!hasDown && !hasUp) {
            return Optional.empty();
        }
        if (hasDown != hasUp) {
            throw new IllegalArgumentException("an adapter needs both " + DOWN + " and " + UP + ", found only "
                    + (hasDown ? DOWN : UP));
        }
        return Optional.of(of(unflatten(st.tensor(DOWN), DOWN), unflatten(st.tensor(UP), UP)));
    }

    private static float[][] unflatten(SafeTensors.Tensor t, String name) {
        if (t.shape().length != 2) {
            throw new IllegalArgumentException(name + " must be 2-D");
        }
        return t.rows();
    }

    private static float[][] copy(float[][] m, String what) {
        if (m.length == 0 || m[0] == null || m[0].length == 0) {
            throw new IllegalArgumentException(what + " must have at least one row and one column");
        }
        float[][] c = new float[m.length][];
        for (int r = 0; r < m.length; r++) {
            if (m[r] == null || m[r].length != m[0].length) {
                throw new IllegalArgumentException(what + " row " + r + " does not have " + m[0].length + " columns");
            }
            c[r] = m[r].clone();
            for (float v : c[r]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(what + " contains a non-finite value: " + v);
                }
            }
        }
        return c;
    }
}
