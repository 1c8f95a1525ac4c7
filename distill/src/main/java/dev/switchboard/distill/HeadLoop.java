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
import java.util.Random;
import java.util.function.Consumer;

/**
 * The training loop every head trainer shares ({@link IntentTrainer} single-label, soft-label and
 * {@link MultiLabelTrainer}): a linear (or linear + ReLU + linear) block on DJL's PyTorch engine, Adam
 * with the options' learning rate and weight decay, seeded shuffled mini-batches; after each epoch the
 * weights are copied out ({@link IntentTrainer#snapshot}) and scored on validation in Java; training
 * stops after {@code patience} epochs without a lower validation loss and keeps the best epoch.
 * A run whose weights stop moving is retried once ({@link StallGuard}).
 */
final class HeadLoop {

    /** The training loss of one mini-batch. */
    interface BatchLoss {
        /**
         * @param trainer the trainer (its {@link Trainer#getLoss()} is the loss given to {@link #run})
         * @param batch   a manager for the batch's arrays
         * @param logits  the block's output, {@code [rows.length, outputs]}
         * @param rows    the training examples of the batch
         */
        NDArray loss(Trainer trainer, NDManager batch, NDArray logits, int[] rows);
    }

    /** Scores a head on validation: its loss (lower is better) and a metric for the progress line. */
    interface Validation {
        double[] lossAndMetric(ClassifierHead head);
    }

    /** The best epoch's head and how the run went. */
    record Outcome(ClassifierHead best, int bestEpoch, int epochsRun, double bestLoss) {
    }

    private HeadLoop() {
    }

    static Outcome run(TrainingOptions options, String name, Loss configLoss, float[][] x, int outputs,
            BatchLoss batchLoss, Validation validation, Consumer<EpochReport> progress) {
        return StallGuard.retrying(name, () -> attempt(options, name, configLoss, x, outputs, batchLoss, validation,
                progress));
    }

    private static Outcome attempt(TrainingOptions options, String name, Loss configLoss, float[][] x, int outputs,
            BatchLoss batchLoss, Validation validation, Consumer<EpochReport> progress) {
        int dim = x[0].length;
        IntentTrainer.limitThreads();
        Engine engine = Engine.getEngine(IntentTrainer.ENGINE);
        engine.setRandomSeed(Long.hashCode(options.seed()));
        try (Model model = Model.newInstance(name, Device.cpu(), IntentTrainer.ENGINE)) {
            SequentialBlock net = new SequentialBlock();
            if (options.hidden() > 0) {
                net.add(Linear.builder().setUnits(options.hidden()).build()).add(Activation.reluBlock());
            }
            net.add(Linear.builder().setUnits(outputs).build());
            model.setBlock(net);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                    .optWeightDecays((float) options.weightDecay()).build();
            var config = new DefaultTrainingConfig(configLoss).optOptimizer(adam)
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT).optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, dim));
                return epochs(options, trainer, net, x, batchLoss, validation, progress);
            }
        }
    }

    private static Outcome epochs(TrainingOptions options, Trainer trainer, SequentialBlock net, float[][] x,
            BatchLoss batchLoss, Validation validation, Consumer<EpochReport> progress) {
        int n = x.length;
        int dim = x[0].length;
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        Random random = new Random(options.seed());
        long start = System.nanoTime();
        ClassifierHead best = null;
        StallGuard stall = StallGuard.of(net);
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
                int[] rows = java.util.Arrays.copyOfRange(order, from, from + size);
                float[] xs = new float[size * dim];
                for (int b = 0; b < size; b++) {
                    System.arraycopy(x[rows[b]], 0, xs, b * dim, dim);
                }
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDArray input = batch.create(xs, new Shape(size, dim));
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(input)).singletonOrThrow();
                        NDArray loss = batchLoss.loss(trainer, batch, logits, rows);
                        collector.backward(loss);
                        lossSum += loss.getFloat() * size;
                    }
                    trainer.step();
                }
            }
            ClassifierHead head = IntentTrainer.snapshot(net);
            stall.afterEpoch(epoch, lossSum / n, options.learningRate());
            double[] scored = validation.lossAndMetric(head);
            if (scored[0] < bestLoss) {
                bestLoss = scored[0];
                best = head;
                bestEpoch = epoch;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            progress.accept(new EpochReport(epoch, options.maxEpochs(), lossSum / n, scored[0], scored[1], elapsed,
                    elapsed.dividedBy(epoch).multipliedBy(options.maxEpochs() - epoch)));
        }
        return new Outcome(best, bestEpoch, epoch, bestLoss);
    }
}
