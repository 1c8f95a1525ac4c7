package dev.switchboard.distill;

import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.HashedNgrams;
import dev.switchboard.models.NgramHead;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains an {@link NgramHead} (softmax regression over hashed n-grams) in plain Java: per example, in
 * a seeded shuffled order, the cross-entropy gradient {@code g_k = p_k - [k = y]} updates the bias by
 * SGD ({@code b_k -= lr·g_k}) and each of the text's weights {@code W[k][f]} by AdaGrad
 * ({@code G += (g_k s)²; W -= lr·g_k s / (sqrt(G) + 1e-8)}, {@code s = 1/sqrt(|F|)}). Only the example's
 * features are touched, so an epoch costs O(examples × features × labels). After each epoch the
 * validation cross-entropy is measured; training stops after {@code patience} epochs without a lower
 * one and keeps the best epoch. Deterministic for a seed.
 */
public final class NgramTrainer {

    /** Settings chosen on BANKING77 validation (10% of train): lr 0.1, at most 10 epochs, patience 2. */
    public static final double DEFAULT_LEARNING_RATE = 0.1;
    public static final int DEFAULT_MAX_EPOCHS = 10;
    public static final int DEFAULT_PATIENCE = 2;

    /** What a run produced: the best head, its epoch and its validation cross-entropy (at T = 1). */
    public record Result(NgramHead head, int bestEpoch, int epochsRun, double validationLoss) {
    }

    private final long seed;
    private final double learningRate;
    private final int maxEpochs;
    private final int patience;

    public NgramTrainer(long seed, double learningRate, int maxEpochs, int patience) {
        if (!(learningRate > 0 && Double.isFinite(learningRate)) || maxEpochs < 1 || patience < 1) {
            throw new IllegalArgumentException("n-gram training needs lr > 0, epochs >= 1 and patience >= 1, got "
                    + learningRate + ", " + maxEpochs + ", " + patience);
        }
        this.seed = seed;
        this.learningRate = learningRate;
        this.maxEpochs = maxEpochs;
        this.patience = patience;
    }

    public Result train(HashedNgrams featurizer, List<String> trainTexts, int[] trainY, List<String> validTexts,
            int[] validY, int labelCount, Consumer<String> progress) {
        if (trainTexts.size() != trainY.length) {
            throw new IllegalArgumentException("need training and validation texts with one label each");
        }
        return run(featurizer, trainTexts, trainY, null, validTexts, validY, labelCount, progress);
    }

    /**
     * Trains on a teacher's soft labels: the per-example gradient of the {@link DistillationLoss},
     * {@code g = a·T·(softmax(z/T) − q) + h·(softmax(z) − onehot(y))} ({@code a = α, h = 1 − α} on
     * labeled rows, {@code a = 1, h = 0} on unlabeled ones), replaces the cross-entropy gradient above;
     * early stopping uses the hard validation labels.
     *
     * @param targets one row per training text
     */
    Result trainSoft(HashedNgrams featurizer, List<String> trainTexts, SoftTargets targets, List<String> validTexts,
            int[] validY, int labelCount, Consumer<String> progress) {
        if (trainTexts.size() != targets.size()) {
            throw new IllegalArgumentException("there are " + trainTexts.size() + " texts for " + targets.size()
                    + " soft labels");
        }
        return run(featurizer, trainTexts, targets.labels(), targets, validTexts, validY, labelCount, progress);
    }

    private Result run(HashedNgrams featurizer, List<String> trainTexts, int[] trainY, SoftTargets soft,
            List<String> validTexts, int[] validY, int labelCount, Consumer<String> progress) {
        if (validTexts.size() != validY.length || trainY.length == 0 || validY.length == 0) {
            throw new IllegalArgumentException("need training and validation texts with one label each");
        }
        int[][] train = trainTexts.stream().map(featurizer::features).toArray(int[][]::new);
        int[][] valid = validTexts.stream().map(featurizer::features).toArray(int[][]::new);
        int k = labelCount;
        int size = featurizer.size();
        float[] w = new float[size * k];
        float[] g2 = new float[size * k];
        float[] b = new float[k];
        int[] order = new int[train.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        NgramHead best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int epoch = 0;
        long start = System.nanoTime();
        float[] z = new float[k];
        double[] grad = new double[k];
        while (epoch < maxEpochs && epoch - bestEpoch < patience) {
            epoch++;
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i : order) {
                int[] f = train[i];
                float s = f.length == 0 ? 0 : (float) (1 / Math.sqrt(f.length));
                logits(w, b, f, s, k, z);
                gradient(z, trainY[i], soft == null ? null : soft.targets()[i], soft == null ? null : soft.loss(), grad);
                for (int c = 0; c < k; c++) {
                    double g = grad[c];
                    b[c] -= (float) (learningRate * g);
                    float gs = (float) (g * s);
                    if (gs == 0) {
                        continue;
                    }
                    for (int q : f) {
                        int at = q * k + c;
                        g2[at] += gs * gs;
                        w[at] -= (float) (learningRate * gs / (Math.sqrt(g2[at]) + 1e-8));
                    }
                }
            }
            float[][] vz = new float[valid.length][];
            for (int i = 0; i < valid.length; i++) {
                int[] f = valid[i];
                vz[i] = new float[k];
                logits(w, b, f, f.length == 0 ? 0 : (float) (1 / Math.sqrt(f.length)), k, vz[i]);
            }
            double loss = IntentTrainer.nll(vz, validY, 1);
            if (loss < bestLoss) {
                bestLoss = loss;
                bestEpoch = epoch;
                best = head(featurizer, w, b, k);
            }
            progress.accept(String.format(Locale.ROOT, "n-grams epoch %d/%d  val loss %.4f  val acc %.4f  elapsed %ds",
                    epoch, maxEpochs, loss, Scores.accuracy(validY, Scores.argmax(vz)),
                    (System.nanoTime() - start) / 1_000_000_000L));
        }
        return new Result(best, bestEpoch, epoch, bestLoss);
    }

    /** The loss gradient with respect to the logits: cross-entropy, or the distillation loss with targets {@code q}. */
    static void gradient(float[] z, int y, double[] q, DistillationLoss kd, double[] out) {
        double[] p = ClassifierHead.softmax(z, 1);
        if (q == null) {
            for (int c = 0; c < z.length; c++) {
                out[c] = p[c] - (c == y ? 1 : 0);
            }
            return;
        }
        double t = kd.temperature();
        double[] pt = ClassifierHead.softmax(z, t);
        double a = kd.klWeight(y) * t;
        double h = kd.hardWeight(y);
        for (int c = 0; c < z.length; c++) {
            out[c] = a * (pt[c] - q[c]) + (h == 0 ? 0 : h * (p[c] - (c == y ? 1 : 0)));
        }
    }

    private static void logits(float[] w, float[] b, int[] f, float s, int k, float[] z) {
        System.arraycopy(b, 0, z, 0, k);
        if (f.length == 0) {
            return;
        }
        float[] sum = new float[k];
        for (int q : f) {
            int base = q * k;
            for (int c = 0; c < k; c++) {
                sum[c] += w[base + c];
            }
        }
        for (int c = 0; c < k; c++) {
            z[c] += s * sum[c];
        }
    }

    private static NgramHead head(HashedNgrams featurizer, float[] w, float[] b, int k) {
        int size = featurizer.size();
        float[][] weight = new float[k][size];
        for (int f = 0; f < size; f++) {
            for (int c = 0; c < k; c++) {
                weight[c][f] = w[f * k + c];
            }
        }
        return NgramHead.of(featurizer, weight, b);
    }
}
