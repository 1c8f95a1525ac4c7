package dev.switchboard.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.switchboard.models.ClassifierHead;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Trains a multi-label head on frozen embeddings: sigmoid outputs with binary cross-entropy averaged
 * over labels and examples, Adam in seeded shuffled mini-batches, early stopping on the validation loss
 * (best epoch kept, as {@link IntentTrainer}); then per-label decision thresholds on validation
 * ({@link #thresholds}). The temperature stays 1.
 */
public final class MultiLabelTrainer {

    /** How thresholds are tuned. */
    public enum ThresholdMode {
        /** One θ for all labels, maximising validation micro-F1. */
        GLOBAL,
        /** θ_k maximising label k's validation F1 where k has at least {@value #MIN_POSITIVES} positives; the global θ elsewhere. */
        PER_LABEL
    }

    /** Per-label tuning only where validation has this many positives of the label. */
    public static final int MIN_POSITIVES = 5;

    /** The best epoch's head, its validation BCE and the tuned thresholds. */
    public record Result(ClassifierHead head, int bestEpoch, int epochsRun, double validationLoss, float[] thresholds) {
    }

    private final TrainingOptions options;
    private final ThresholdMode mode;

    public MultiLabelTrainer(TrainingOptions options, ThresholdMode mode) {
        this.options = Objects.requireNonNull(options, "options");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    /**
     * @param trainY {@code trainY[i][k]} true if example i has label k
     */
    public Result train(float[][] trainX, boolean[][] trainY, float[][] validX, boolean[][] validY, Consumer<EpochReport> progress) {
        if (trainX.length == 0 || validX.length == 0 || trainX.length != trainY.length || validX.length != validY.length) {
            throw new IllegalArgumentException("need training and validation embeddings with one label set each");
        }
        int labels = trainY[0].length;
        HeadLoop.BatchLoss loss = (trainer, batch, logits, rows) -> {
            float[] ys = new float[rows.length * labels];
            for (int b = 0; b < rows.length; b++) {
                for (int k = 0; k < labels; k++) {
                    ys[b * labels + k] = trainY[rows[b]][k] ? 1 : 0;
                }
            }
            NDArray y = batch.create(ys, new Shape(rows.length, labels));
            return trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
        };
        HeadLoop.Outcome run = HeadLoop.run(options, "multi-label-head", Loss.sigmoidBinaryCrossEntropyLoss(), trainX,
                labels, loss, head -> {
                    float[][] z = IntentTrainer.logits(head, validX);
                    return new double[] {bce(z, validY), microF1(probabilities(z), validY, uniform(labels, 0.5f))};
                }, progress);
        double[][] p = probabilities(IntentTrainer.logits(run.best(), validX));
        return new Result(run.best(), run.bestEpoch(), run.epochsRun(), run.bestLoss(), thresholds(p, validY, mode));
    }

    /** Candidate thresholds 0.05, 0.06, …, 0.95. */
    static float[] grid() {
        float[] g = new float[91];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (0.05 + 0.01 * i);
        }
        return g;
    }

    /** Tunes thresholds on validation probabilities (ties: the threshold nearest 0.5). */
    static float[] thresholds(double[][] p, boolean[][] gold, ThresholdMode mode) {
        int labels = gold[0].length;
        float global = 0.5f;
        double bestF1 = -1;
        for (float t : grid()) {
            double f1 = microF1(p, gold, uniform(labels, t));
            if (f1 > bestF1 + 1e-12 || (Math.abs(f1 - bestF1) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(global - 0.5))) {
                bestF1 = f1;
                global = t;
            }
        }
        float[] theta = uniform(labels, global);
        if (mode == ThresholdMode.GLOBAL) {
            return theta;
        }
        for (int k = 0; k < labels; k++) {
            int positives = 0;
            for (boolean[] g : gold) {
                positives += g[k] ? 1 : 0;
            }
            if (positives < MIN_POSITIVES) {
                continue;
            }
            double best = -1;
            for (float t : grid()) {
                long[] c = counts(p, gold, k, t);
                double f1 = MultiLabelMetrics.f1(c[0], c[1], c[2]);
                if (f1 > best + 1e-12 || (Math.abs(f1 - best) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(theta[k] - 0.5))) {
                    best = f1;
                    theta[k] = t;
                }
            }
        }
        return theta;
    }

    static double[][] probabilities(float[][] logits) {
        double[][] p = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            p[i] = new double[logits[i].length];
            for (int k = 0; k < p[i].length; k++) {
                p[i][k] = 1 / (1 + Math.exp(-logits[i][k]));
            }
        }
        return p;
    }

    /** Micro-F1 = 2·TP / (2·TP + FP + FN) over all (example, label) decisions; 0 if TP = 0. */
    static double microF1(double[][] p, boolean[][] gold, float[] theta) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int k = 0; k < theta.length; k++) {
            long[] c = counts(p, gold, k, theta[k]);
            tp += c[0];
            fp += c[1];
            fn += c[2];
        }
        return MultiLabelMetrics.f1(tp, fp, fn);
    }

    /** {TP, FP, FN} of label k over the examples when it is on iff {@code p ≥ t}. */
    private static long[] counts(double[][] p, boolean[][] gold, int k, float t) {
        long[] c = new long[3];
        for (int i = 0; i < p.length; i++) {
            boolean on = p[i][k] >= t;
            c[0] += on && gold[i][k] ? 1 : 0;
            c[1] += on && !gold[i][k] ? 1 : 0;
            c[2] += !on && gold[i][k] ? 1 : 0;
        }
        return c;
    }

    /** Mean binary cross-entropy over examples and labels, computed stably from logits. */
    static double bce(float[][] logits, boolean[][] gold) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < logits.length; i++) {
            for (int k = 0; k < logits[i].length; k++) {
                double z = logits[i][k];
                // log(1 + e^-|z|) + max(z, 0) - z·y
                sum += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - (gold[i][k] ? z : 0);
                count++;
            }
        }
        return sum / count;
    }

    private static float[] uniform(int n, float t) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, t);
        return a;
    }

}
