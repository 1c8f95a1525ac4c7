package dev.switchboard.models;

import java.util.Objects;

/**
 * Exact decoding of a linear-chain model over tags {@code 0..K-1}. The score of a tag sequence
 * {@code y} for emission scores {@code e[t][k]} is
 * {@code start[y_0] + e[0][y_0] + Σ_{t≥1} (trans(t, y_{t-1}, y_t) + e[t][y_t])}. A score of −∞
 * forbids a start or a transition, which is how BIO constraints are enforced: a forbidden step is
 * never on the returned path as long as one finite path exists.
 *
 * <p>{@link #decode} returns the highest-scoring sequence (Viterbi); {@link #marginals} the posterior
 * {@code P(y_t = k)} under {@code P(y) ∝ exp(score(y))} (forward-backward in log space). Stateless.
 */
public final class Viterbi {

    /** {@code at(t, from, to)}: the score of tag {@code to} at position {@code t ≥ 1} after {@code from} at {@code t-1}. */
    @FunctionalInterface
    public interface Transitions {
        double at(int position, int from, int to);

        /** The same matrix at every position: {@code matrix[from][to]}. */
        static Transitions of(double[][] matrix) {
            Objects.requireNonNull(matrix, "matrix");
            return (t, from, to) -> matrix[from][to];
        }
    }

    private Viterbi() {
    }

    /**
     * The best tag sequence; ties go to the lower tag index.
     *
     * @throws IllegalArgumentException if the shapes disagree or every sequence has score −∞
     */
    public static int[] decode(double[][] emissions, double[] start, Transitions transitions) {
        int n = check(emissions, start, transitions);
        int k = start.length;
        if (n == 0) {
            return new int[0];
        }
        double[] score = new double[k];
        int[][] back = new int[n][k];
        for (int y = 0; y < k; y++) {
            score[y] = start[y] + emissions[0][y];
        }
        double[] next = new double[k];
        for (int t = 1; t < n; t++) {
            for (int y = 0; y < k; y++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = -1;
                for (int p = 0; p < k; p++) {
                    if (score[p] == Double.NEGATIVE_INFINITY) {
                        continue;
                    }
                    double s = score[p] + transitions.at(t, p, y);
                    if (s > best) {
                        best = s;
                        arg = p;
                    }
                }
                next[y] = arg < 0 ? Double.NEGATIVE_INFINITY : best + emissions[t][y];
                back[t][y] = arg;
            }
            System.arraycopy(next, 0, score, 0, k);
        }
        int last = -1;
        for (int y = 0; y < k; y++) {
            if (score[y] > Double.NEGATIVE_INFINITY && (last < 0 || score[y] > score[last])) {
                last = y;
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("no tag sequence has a finite score");
        }
        int[] path = new int[n];
        path[n - 1] = last;
        for (int t = n - 1; t > 0; t--) {
            path[t - 1] = back[t][path[t]];
        }
        return path;
    }

    /**
     * Posterior marginals {@code m[t][k] = P(y_t = k)}; each row sums to 1.
     *
     * @throws IllegalArgumentException if the shapes disagree or every sequence has score −∞
     */
    public static double[][] marginals(double[][] emissions, double[] start, Transitions transitions) {
        int n = check(emissions, start, transitions);
        int k = start.length;
        double[][] alpha = new double[n][k];
        double[][] beta = new double[n][k];
        if (n == 0) {
            return alpha;
        }
        for (int y = 0; y < k; y++) {
            alpha[0][y] = start[y] + emissions[0][y];
        }
        double[] terms = new double[k];
        for (int t = 1; t < n; t++) {
            for (int y = 0; y < k; y++) {
                for (int p = 0; p < k; p++) {
                    terms[p] = alpha[t - 1][p] + transitions.at(t, p, y);
                }
                alpha[t][y] = logSumExp(terms) + emissions[t][y];
            }
        }
        for (int t = n - 2; t >= 0; t--) {
            for (int p = 0; p < k; p++) {
                for (int y = 0; y < k; y++) {
                    terms[y] = transitions.at(t + 1, p, y) + emissions[t + 1][y] + beta[t + 1][y];
                }
                beta[t][p] = logSumExp(terms);
            }
        }
        double logZ = logSumExp(alpha[n - 1]);
        if (logZ == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("no tag sequence has a finite score");
        }
        double[][] m = new double[n][k];
        for (int t = 0; t < n; t++) {
            for (int y = 0; y < k; y++) {
                m[t][y] = Math.exp(alpha[t][y] + beta[t][y] - logZ);
            }
        }
        return m;
    }

    /** {@code log Σ exp(x_i)}, stable; −∞ for an all −∞ input. */
    static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    private static int check(double[][] emissions, double[] start, Transitions transitions) {
        Objects.requireNonNull(emissions, "emissions");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(transitions, "transitions");
        for (int t = 0; t < emissions.length; t++) {
            if (emissions[t].length != start.length) {
                throw new IllegalArgumentException("emissions row " + t + " has " + emissions[t].length
                        + " scores but there are " + start.length + " tags");
            }
        }
        return emissions.length;
    }
}
