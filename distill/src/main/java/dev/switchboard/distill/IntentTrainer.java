package dev.switchboard.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import dev.switchboard.models.ClassifierHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Trains a {@link ClassifierHead} on frozen sentence embeddings with DJL's PyTorch engine: Adam on
 * softmax cross-entropy in seeded shuffled mini-batches; after each epoch the weights are copied out
 * and scored on validation in Java (the same code that serves them); training stops after
 * {@code patience} epochs without a lower validation loss and keeps the best epoch's weights. Then
 * the temperature T minimising the validation NLL of {@code softmax(logits / T)} is fitted by
 * golden-section search over {@code 1/T} in [0.05, 20] (the NLL is convex in 1/T).
 *
 * <p>Reproducible: the same options and inputs give identical weights (measured identical with 1
 * and 2 PyTorch threads). PyTorch runs on one intra-op thread unless {@code ai.djl.pytorch.num_threads}
 * is set before the engine loads.
 */
public final class IntentTrainer {

    static final String ENGINE = "PyTorch";
    /** Read by DJL when the PyTorch engine first loads in this JVM. */
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private final TrainingOptions options;

    public IntentTrainer(TrainingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param trainX     training embeddings, all of one dimension
     * @param trainY     their label indices in [0, labelCount)
     * @param validX     validation embeddings
     * @param validY     their label indices
     * @param labelCount output size
     * @param progress   receives one report per epoch
     */
    public TrainingResult train(float[][] trainX, int[] trainY, float[][] validX, int[] validY, int labelCount,
            Consumer<EpochReport> progress) {
        check(trainX, trainY, validX, validY, labelCount);
        float[] weightOf = options.classWeights() ? inverseFrequency(trainY) : null;
        HeadLoop.BatchLoss loss = (trainer, batch, logits, rows) -> {
            float[] ys = new float[rows.length];
            float[] ws = new float[rows.length];
            for (int b = 0; b < rows.length; b++) {
                ys[b] = trainY[rows[b]];
                ws[b] = weightOf == null ? 1 : weightOf[trainY[rows[b]]];
            }
            NDArray y = batch.create(ys, new Shape(rows.length));
            return weightOf == null ? trainer.getLoss().evaluate(new NDList(y), new NDList(logits))
                    : weightedCrossEntropy(logits, y, batch.create(ws));
        };
        return finish(HeadLoop.run(options, "intent-head", Loss.softmaxCrossEntropyLoss(), trainX, labelCount, loss,
                head -> validation(head, validX, validY), progress), validX, validY);
    }

    /**
     * Trains on a teacher's soft labels with the {@link DistillationLoss} of {@code targets}
     * ({@code α·T²·KL(q ‖ softmax(z/T)) + (1−α)·CE} on labeled rows, {@code T²·KL} on unlabeled ones);
     * early stopping and the temperature use the (hard) validation labels, as in
     * {@link #train(float[][], int[], float[][], int[], int, Consumer)}. Class weights do not apply.
     *
     * @param trainX  one embedding per row of {@code targets}
     * @param targets teacher probabilities and gold labels (-1: unlabeled)
     */
    TrainingResult trainSoft(float[][] trainX, SoftTargets targets, float[][] validX, int[] validY, int labelCount,
            Consumer<EpochReport> progress) {
        int[] hard = targets.labels();
        check(trainX, java.util.Arrays.stream(hard).map(y -> Math.max(y, 0)).toArray(), validX, validY, labelCount);
        for (double[] row : targets.teacher()) {
            if (row.length != labelCount) {
                throw new IllegalArgumentException("teacher rows have " + row.length + " values for " + labelCount + " labels");
            }
        }
        DistillationLoss kd = targets.loss();
        float t = (float) kd.temperature();
        // Σ_c q log q of every row, once: it is the same in every batch of every epoch.
        float[] rowQLogQ = new float[targets.size()];
        for (int i = 0; i < rowQLogQ.length; i++) {
            double entropy = 0;
            for (double v : targets.targets()[i]) {
                entropy += v > 0 ? v * Math.log(v) : 0;
            }
            rowQLogQ[i] = (float) entropy;
        }
        HeadLoop.BatchLoss loss = (trainer, batch, logits, rows) -> {
            int k = labelCount;
            float[] q = new float[rows.length * k];
            float[] qLogQ = new float[rows.length];
            float[] onehot = new float[rows.length * k];
            float[] a = new float[rows.length];
            float[] h = new float[rows.length];
            for (int b = 0; b < rows.length; b++) {
                double[] row = targets.targets()[rows[b]];
                for (int c = 0; c < k; c++) {
                    q[b * k + c] = (float) row[c];
                }
                qLogQ[b] = rowQLogQ[rows[b]];
                int y = hard[rows[b]];
                if (y >= 0) {
                    onehot[b * k + y] = 1;
                }
                a[b] = (float) (kd.klWeight(y) * t * t);
                h[b] = (float) kd.hardWeight(y);
            }
            Shape shape = new Shape(rows.length, k);
            // KL(q || softmax(z/T)) = Σ q log q − Σ q log softmax(z/T); the first sum is a constant.
            NDArray kl = batch.create(qLogQ).sub(batch.create(q, shape).mul(logits.div(t).logSoftmax(1)).sum(new int[] {1}));
            NDArray ce = batch.create(onehot, shape).mul(logits.logSoftmax(1)).sum(new int[] {1}).neg();
            return kl.mul(batch.create(a)).add(ce.mul(batch.create(h))).mean();
        };
        return finish(HeadLoop.run(options, "student-head", Loss.softmaxCrossEntropyLoss(), trainX, labelCount, loss,
                head -> validation(head, validX, validY), progress), validX, validY);
    }

    private static double[] validation(ClassifierHead head, float[][] validX, int[] validY) {
        float[][] logits = logits(head, validX);
        return new double[] {nll(logits, validY, 1.0), Scores.accuracy(validY, Scores.argmax(logits))};
    }

    private static TrainingResult finish(HeadLoop.Outcome run, float[][] validX, int[] validY) {
        ClassifierHead best = run.best();
        float[][] logits = logits(best, validX);
        // Stored as F32 in the safetensors file: round now so that the saved model is this one.
        double temperature = (float) fitTemperature(logits, validY);
        int[] predicted = Scores.argmax(logits);
        return new TrainingResult(best.withTemperature(temperature), run.bestEpoch(), run.epochsRun(), run.bestLoss(),
                nll(logits, validY, temperature), Scores.accuracy(validY, predicted),
                Scores.macroF1(validY, predicted, best.outputDimension()));
    }

    /**
     * Batches of 32 x 384 are too small to gain from intra-op threads; with other work on the same
     * cores, 2 threads made training 2-5x slower than 1 here. An explicit setting wins. Takes effect
     * only before the engine first loads in this JVM.
     */
    static void limitThreads() {
        if (System.getProperty(THREADS_PROPERTY) == null) {
            System.setProperty(THREADS_PROPERTY, "1");
        }
    }

    /** {@code -Σ w_i log softmax(z_i)[y_i] / Σ w_i}. */
    private static NDArray weightedCrossEntropy(NDArray logits, NDArray y, NDArray w) {
        int labels = Math.toIntExact(logits.getShape().get(1));
        NDArray picked = logits.logSoftmax(1).mul(y.toType(ai.djl.ndarray.types.DataType.INT32, false).oneHot(labels))
                .sum(new int[] {1});
        return picked.mul(w).sum().div(w.sum()).neg();
    }

    /** Weight of label k: {@code n / (K · n_k)} over the K labels that occur. */
    static float[] inverseFrequency(int[] y) {
        int labels = 0;
        for (int v : y) {
            labels = Math.max(labels, v + 1);
        }
        int[] count = new int[labels];
        for (int v : y) {
            count[v]++;
        }
        int present = 0;
        for (int c : count) {
            present += c > 0 ? 1 : 0;
        }
        float[] w = new float[labels];
        for (int k = 0; k < labels; k++) {
            w[k] = count[k] == 0 ? 0 : (float) y.length / (present * count[k]);
        }
        return w;
    }

    /** Copies the Linear layers' weights ([out, in], row-major in DJL) and biases out of the engine. */
    static ClassifierHead snapshot(SequentialBlock net) {
        List<ClassifierHead.Layer> layers = new ArrayList<>();
        for (Block block : net.getChildren().values()) {
            if (block instanceof Linear linear) {
                NDArray w = linear.getParameters().get("weight").getArray();
                float[] flat = w.toFloatArray();
                int out = Math.toIntExact(w.getShape().get(0));
                int in = Math.toIntExact(w.getShape().get(1));
                float[][] weight = new float[out][in];
                for (int o = 0; o < out; o++) {
                    System.arraycopy(flat, o * in, weight[o], 0, in);
                }
                layers.add(new ClassifierHead.Layer(weight, linear.getParameters().get("bias").getArray().toFloatArray()));
            }
        }
        return ClassifierHead.of(layers, 1.0);
    }

    static float[][] logits(ClassifierHead head, float[][] x) {
        float[][] out = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = head.logits(x[i]);
        }
        return out;
    }

    /** Mean of {@code logsumexp(z / T) - z_y / T}. */
    static double nll(float[][] logits, int[] gold, double temperature) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float z : logits[i]) {
                max = Math.max(max, z / temperature);
            }
            double exp = 0;
            for (float z : logits[i]) {
                exp += Math.exp(z / temperature - max);
            }
            sum += max + Math.log(exp) - logits[i][gold[i]] / temperature;
        }
        return sum / logits.length;
    }

    static double fitTemperature(float[][] logits, int[] gold) {
        double phi = (Math.sqrt(5) - 1) / 2;
        double lo = 0.05;
        double hi = 20;
        for (int i = 0; i < 80; i++) {
            double a = hi - phi * (hi - lo);
            double b = lo + phi * (hi - lo);
            if (nll(logits, gold, 1 / a) <= nll(logits, gold, 1 / b)) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return 2 / (lo + hi);
    }

    private static void check(float[][] trainX, int[] trainY, float[][] validX, int[] validY, int labelCount) {
        if (trainX.length == 0 || validX.length == 0) {
            throw new IllegalArgumentException("need training and validation examples, got " + trainX.length
                    + " and " + validX.length);
        }
        if (trainX.length != trainY.length || validX.length != validY.length) {
            throw new IllegalArgumentException("embeddings and labels differ in number");
        }
        if (labelCount < 2) {
            throw new IllegalArgumentException("need at least 2 labels, got " + labelCount);
        }
        int dim = trainX[0].length;
        for (float[][] xs : List.of(trainX, validX)) {
            for (float[] x : xs) {
                if (x.length != dim) {
                    throw new IllegalArgumentException("embeddings differ in dimension: " + x.length + " vs " + dim);
                }
            }
        }
        for (int[] ys : List.of(trainY, validY)) {
            for (int y : ys) {
                if (y < 0 || y >= labelCount) {
                    throw new IllegalArgumentException("label index " + y + " is not in [0, " + labelCount + ")");
                }
            }
        }
    }
}
