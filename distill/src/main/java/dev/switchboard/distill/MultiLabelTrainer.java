package dev.switchboard.distill;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.switchboard.models.ClassifierHead;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
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
        int dim = trainX[0].length;
        int labels = trainY[0].length;
        IntentTrainer.limitThreads();
        Engine engine = Engine.getEngine(IntentTrainer.ENGINE);
        engine.setRandomSeed(Long.hashCode(options.seed()));
        try (Model model = Model.newInstance("multi-label-head", Device.cpu(), IntentTrainer.ENGINE)) {
            SequentialBlock net = new SequentialBlock();
            if (options.hidden() > 0) {
                net.add(Linear.builder().setUnits(options.hidden()).build()).add(Activation.reluBlock());
            }
            net.add(Linear.builder().setUnits(labels).build());
            model.setBlock(net);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                    .optWeightDecays((float) options.weightDecay()).build();
            var config = new DefaultTrainingConfig(Loss.sigmoidBinaryCrossEntropyLoss()).optOptimizer(adam)
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT).optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, dim));
                int n = trainX.length;
                int[] order = java.util.stream.IntStream.range(0, n).toArray();
                Random random = new Random(options.seed());
                long start = System.nanoTime();
                ClassifierHead best = null;
                double bestLoss = Double.POSITIVE_INFINITY;
                int bestEpoch = 0;
                int epoch = 0;
                while (epoch < options.maxEpochs() && epoch - bestEpoch < options.patience()) {
                    epoch++;
                    for (int i = n - 1; i > 0; i--) {
                        int j = random.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    double lossSum = 0;
                    for (int from = 0; from < n; from += options.batchSize()) {
                        int size = Math.min(options.batchSize(), n - from);
                        float[] xs = new float[size * dim];
                        float[] ys = new float[size * labels];
                        for (int b = 0; b < size; b++) {
                            System.arraycopy(trainX[order[from + b]], 0, xs, b * dim, dim);
                            for (int k = 0; k < labels; k++) {
                                ys[b * labels + k] = trainY[order[from + b]][k] ? 1 : 0;
                            }
                        }
                        try (NDManager batch = trainer.getManager().newSubManager()) {
                            NDArray x = batch.create(xs, new Shape(size, dim));
                            NDArray y = batch.create(ys, new Shape(size, labels));
                            try (GradientCollector collector = trainer.newGradientCollector()) {
                                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                                collector.backward(loss);
                                lossSum += loss.getFloat() * size;
                            }
                            trainer.step();
                        }
                    }
                    ClassifierHead head = IntentTrainer.snapshot(net);
                    double loss = bce(IntentTrainer.logits(head, validX), validY);
                    if (loss < bestLoss) {
                        bestLoss = loss;
                        best = head;
                        bestEpoch = epoch;
                    }
                    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
                    progress.accept(new EpochReport(epoch, options.maxEpochs(), lossSum / n, loss,
                            microF1(probabilities(IntentTrainer.logits(head, validX)), validY, uniform(labels, 0.5f)),
                            elapsed, elapsed.dividedBy(epoch).multipliedBy(options.maxEpochs() - epoch)));
                }
                double[][] p = probabilities(IntentTrainer.logits(best, validX));
                return new Result(best, bestEpoch, epoch, bestLoss, thresholds(p, validY, mode));
            }
        }
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
                int tp = 0;
                int fp = 0;
                int fn = 0;
                for (int i = 0; i < p.length; i++) {
                    boolean on = p[i][k] >= t;
                    tp += on && gold[i][k] ? 1 : 0;
                    fp += on && !gold[i][k] ? 1 : 0;
                    fn += !on && gold[i][k] ? 1 : 0;
                }
                double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
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
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < theta.length; k++) {
                boolean on = p[i][k] >= theta[k];
                tp += on && gold[i][k] ? 1 : 0;
                fp += on && !gold[i][k] ? 1 : 0;
                fn += !on && gold[i][k] ? 1 : 0;
            }
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
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
