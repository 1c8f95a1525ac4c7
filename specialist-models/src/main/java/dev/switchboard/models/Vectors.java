package dev.switchboard.models;

/** Small dense-vector helpers shared by the modules. */
public final class Vectors {

    private Vectors() {
    }

    /** Σ a_i·b_i; the cosine similarity when both vectors are L2-normalised. */
    public static float dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector lengths differ: " + a.length + " vs " + b.length);
        }
        float sum = 0f;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Scales {@code v} in place to unit L2 norm; a zero vector is left as it is. */
    public static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            return;
        }
        float scale = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= scale;
        }
    }
}
