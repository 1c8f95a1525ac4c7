package dev.switchboard.distill;

/**
 * The knowledge-distillation loss (Hinton et al. 2015) for one example, with student logits {@code z},
 * teacher probabilities {@code p} and temperature {@code T}:
 * <pre>
 *   q      = softmax(log p / T)                 the teacher's soft targets at T (= softmax(z_t / T) for
 *                                               teacher logits z_t at the teacher's own temperature)
 *   KL     = Σ_k q_k (log q_k − log softmax(z / T)_k)
 *   CE     = −log softmax(z)_y
 *   loss   = α·T²·KL + (1 − α)·CE               on labeled text (gold label y)
 *   loss   = T²·KL                              on unlabeled text (no y)
 * </pre>
 * The gradient with respect to {@code z} is {@code a·T·(softmax(z/T) − q) + h·(softmax(z) − onehot(y))}
 * with {@code (a, h) = (α, 1 − α)} on labeled and {@code (1, 0)} on unlabeled text. Defaults:
 * α = {@value #DEFAULT_ALPHA}, T = {@value #DEFAULT_TEMPERATURE}.
 *
 * @param alpha       weight of the KL term on labeled text, in [0, 1]
 * @param temperature T &gt; 0
 */
public record DistillationLoss(double alpha, double temperature) {

    public static final double DEFAULT_ALPHA = 0.5;
    public static final double DEFAULT_TEMPERATURE = 2.0;
    /** Floor of probabilities before their logarithm. */
    static final double EPSILON = 1e-12;

    public DistillationLoss {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + alpha);
        }
        OptionChecks.positive("distillation temperature", temperature);
    }

    public static DistillationLoss defaults() {
        return new DistillationLoss(DEFAULT_ALPHA, DEFAULT_TEMPERATURE);
    }

    /** {@code q = softmax(log p / T)}. */
    public double[] softTargets(double[] p) {
        double[] q = new double[p.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < p.length; k++) {
            q[k] = Math.log(Math.max(p[k], EPSILON)) / temperature;
            max = Math.max(max, q[k]);
        }
        double sum = 0;
        for (int k = 0; k < q.length; k++) {
            q[k] = Math.exp(q[k] - max);
            sum += q[k];
        }
        for (int k = 0; k < q.length; k++) {
            q[k] /= sum;
        }
        return q;
    }

    /**
     * The loss of one example.
     *
     * @param logits  the student's logits z
     * @param teacher the teacher's probabilities p
     * @param label   the gold label index, or -1 for unlabeled text
     */
    public double loss(float[] logits, double[] teacher, int label) {
        double[] q = softTargets(teacher);
        double[] logSoft = logSoftmax(logits, temperature);
        double kl = 0;
        for (int k = 0; k < q.length; k++) {
            if (q[k] > 0) {
                kl += q[k] * (Math.log(q[k]) - logSoft[k]);
            }
        }
        double t2 = temperature * temperature;
        if (label < 0) {
            return t2 * kl;
        }
        return alpha * t2 * kl - (1 - alpha) * logSoftmax(logits, 1)[label];
    }

    /** The weight of the KL term for an example: α if labeled, 1 if not. */
    double klWeight(int label) {
        return label < 0 ? 1 : alpha;
    }

    /** The weight of the cross-entropy term: 1 − α if labeled, 0 if not. */
    double hardWeight(int label) {
        return label < 0 ? 0 : 1 - alpha;
    }

    static double[] logSoftmax(float[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        for (float v : z) {
            sum += Math.exp(v / temperature - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[z.length];
        for (int k = 0; k < z.length; k++) {
            out[k] = z[k] / temperature - log;
        }
        return out;
    }
}
