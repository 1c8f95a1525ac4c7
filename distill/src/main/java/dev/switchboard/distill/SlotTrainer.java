package dev.switchboard.distill;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.SlotModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Trains a {@link SlotModel} on frozen token states with DJL's PyTorch engine. Sentences of equal
 * length form the mini-batches (no padding, so the CRF needs no masks); batch order is reshuffled
 * every epoch from the seed. Loss per sentence, averaged over the batch:
 * <ul>
 *   <li>softmax: {@code Σ_t −log softmax(z_t)[y_t]};</li>
 *   <li>CRF: {@code log Z − score(y)} with {@code score(y) = start[y_0] + Σ_t z_t[y_t] + Σ_{t≥1} T[y_{t−1}, y_t]}
 *       and {@code log Z} by the forward algorithm, forbidden BIO steps masked with −10⁴.</li>
 * </ul>
 * After each epoch the weights are copied out into a {@link SlotModel}, the validation loss is
 * computed and the validation set is decoded exactly as it will be served (constrained Viterbi) for
 * its span F1. Training stops after {@code patience} epochs without a better validation score (lower
 * loss, or with {@code monitorF1} higher span F1) and keeps the best epoch; with {@code lrDecay < 1} every epoch without a new best multiplies the learning
 * rate by it (reduce on plateau). PyTorch runs on one intra-op thread unless {@code ai.djl.pytorch.num_threads}
 * is set before the engine loads.
 */
public final class SlotTrainer {

    /** Added to forbidden transition scores in the CRF loss; finite so gradients stay defined. */
    private static final float FORBIDDEN = -1e4f;

    private final SlotTrainingOptions options;
    /** Read by Adam at every step; lowered on plateaus. */
    private volatile float currentLearningRate;
    private final Tracker learningRate = update -> currentLearningRate;

    public SlotTrainer(SlotTrainingOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.currentLearningRate = (float) options.learningRate();
    }

    /**
     * @throws IllegalArgumentException if a split is empty, a sequence is empty, the state dimensions
     *                                  differ, or a tag is outside the tag set
     */
    public SlotTrainingResult train(List<TaggedSequence> train, List<TaggedSequence> validation, BioTagSet tagSet,
            Consumer<SlotEpochReport> progress) {
        int dim = check(train, validation, tagSet);
        IntentTrainer.limitThreads();
        return StallGuard.retrying("slot-tagger", () -> attempt(train, validation, tagSet, progress, dim));
    }

    private SlotTrainingResult attempt(List<TaggedSequence> train, List<TaggedSequence> validation, BioTagSet tagSet,
            Consumer<SlotEpochReport> progress, int dim) {
        currentLearningRate = (float) options.learningRate();
        Engine engine = Engine.getEngine(IntentTrainer.ENGINE);
        engine.setRandomSeed(Long.hashCode(options.seed()));
        int k = tagSet.size();
        int in = dim * (2 * options.window() + 1);
        try (Model model = Model.newInstance("slot-tagger", Device.cpu(), IntentTrainer.ENGINE)) {
            SlotNet net = new SlotNet(k, options.lstm(), options.lstmLayers(), options.hidden(), (float) options.dropout(),
                    options.crf());
            model.setBlock(net);
            Optimizer adam = Optimizer.adam().optLearningRateTracker(learningRate)
                    .optWeightDecays((float) options.weightDecay()).build();
            // The loss is computed by hand (CRF); the config's loss is unused.
            var config = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam)
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT).optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(new long[] {1, 1, in}, "NTC"));
                return loop(trainer, net, train, validation, tagSet, progress);
            }
        }
    }

    private SlotTrainingResult loop(Trainer trainer, SlotNet net, List<TaggedSequence> train,
            List<TaggedSequence> validation, BioTagSet tagSet, Consumer<SlotEpochReport> progress) {
        Random random = new Random(options.seed());
        List<int[]> validationBatches = batches(validation, new Random(0), false);
        long start = System.nanoTime();
        SlotModel best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        double[] bestPrf = null;
        int bestEpoch = 0;
        int epoch = 0;
        StallGuard stall = StallGuard.of(net);
        while (epoch < options.maxEpochs() && epoch - bestEpoch < options.patience()) {
            epoch++;
            double lossSum = 0;
            for (int[] batch : batches(train, random, true)) {
                try (NDManager m = trainer.getManager().newSubManager()) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList out = trainer.forward(new NDList(features(m, train, batch)));
                        NDArray loss = loss(m, out, train, batch, tagSet);
                        collector.backward(loss);
                        lossSum += loss.getFloat() * batch.length;
                    }
                    trainer.step();
                }
            }
            stall.afterEpoch(epoch, lossSum / train.size(), currentLearningRate);
            double validationLoss = 0;
            for (int[] batch : validationBatches) {
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDList out = trainer.evaluate(new NDList(features(m, validation, batch)));
                    validationLoss += loss(m, out, validation, batch, tagSet).getFloat() * batch.length;
                }
            }
            validationLoss /= validation.size();
            SlotModel snapshot = snapshot(net, tagSet);
            double[] prf = spanScores(snapshot, validation);
            boolean better = options.monitorF1() ? bestPrf == null || prf[2] > bestPrf[2] : validationLoss < bestLoss;
            if (better) {
                bestLoss = validationLoss;
                best = snapshot;
                bestPrf = prf;
                bestEpoch = epoch;
            } else {
                currentLearningRate *= (float) options.lrDecay();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            progress.accept(new SlotEpochReport(epoch, options.maxEpochs(), lossSum / train.size(), validationLoss, prf[2],
                    elapsed, elapsed.dividedBy(epoch).multipliedBy(options.maxEpochs() - epoch)));
        }
        return new SlotTrainingResult(best, bestEpoch, epoch, bestLoss, bestPrf[0], bestPrf[1], bestPrf[2]);
    }

    /** Batches of equal-length sentences, at most batchSize each; shuffled if asked. */
    private List<int[]> batches(List<TaggedSequence> data, Random random, boolean shuffle) {
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            byLength.computeIfAbsent(data.get(i).length(), n -> new ArrayList<>()).add(i);
        }
        List<int[]> batches = new ArrayList<>();
        for (List<Integer> group : byLength.values()) {
            if (shuffle) {
                Collections.shuffle(group, random);
            }
            for (int from = 0; from < group.size(); from += options.batchSize()) {
                batches.add(group.subList(from, Math.min(group.size(), from + options.batchSize())).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        if (shuffle) {
            Collections.shuffle(batches, random);
        }
        return batches;
    }

    /** {@code [B, L, in]}: window features of the batch's sentences. */
    private NDArray features(NDManager m, List<TaggedSequence> data, int[] batch) {
        int length = data.get(batch[0]).length();
        float[][] first = SlotModel.windowFeatures(data.get(batch[0]).states(), options.window());
        int in = first[0].length;
        float[] x = new float[batch.length * length * in];
        for (int b = 0; b < batch.length; b++) {
            float[][] f = b == 0 ? first : SlotModel.windowFeatures(data.get(batch[b]).states(), options.window());
            for (int t = 0; t < length; t++) {
                System.arraycopy(f[t], 0, x, (b * length + t) * in, in);
            }
        }
        return m.create(x, new Shape(batch.length, length, in));
    }

    /** Mean per-sentence loss of the batch (see the class comment). */
    private NDArray loss(NDManager m, NDList out, List<TaggedSequence> data, int[] batch, BioTagSet tagSet) {
        int b = batch.length;
        int length = data.get(batch[0]).length();
        int k = tagSet.size();
        long[] y = new long[b * length];
        for (int i = 0; i < b; i++) {
            int[] tags = data.get(batch[i]).tags();
            for (int t = 0; t < length; t++) {
                y[i * length + t] = tags[t];
            }
        }
        NDArray gold = m.create(y, new Shape(b, length)).oneHot(k).toType(DataType.FLOAT32, false);
        NDArray e = out.get(0).reshape(b, length, k);
        if (!options.crf()) {
            return e.logSoftmax(2).mul(gold).sum().neg().div(b);
        }
        NDArray transitions = out.get(1);
        NDArray start = out.get(2);
        NDArray masked = transitions.add(m.create(mask(tagSet.transitionMask())));
        NDArray alpha = e.get(new NDIndex(":, 0, :")).add(start.add(m.create(mask(tagSet.startMask()))));
        for (int t = 1; t < length; t++) {
            alpha = logSumExp(alpha.expandDims(2).add(masked.expandDims(0)), 1).add(e.get(new NDIndex(":, {}, :", t)));
        }
        NDArray logZ = logSumExp(alpha, 1);
        NDArray score = e.mul(gold).sum(new int[] {1, 2})
                .add(gold.get(new NDIndex(":, 0, :")).mul(start).sum(new int[] {1}));
        if (length > 1) {
            NDArray previous = gold.get(new NDIndex(":, 0:{}, :", length - 1));
            NDArray next = gold.get(new NDIndex(":, 1:, :"));
            score = score.add(previous.matMul(transitions).mul(next).sum(new int[] {1, 2}));
        }
        return logZ.sub(score).sum().div(b);
    }

    private static float[] mask(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = values[i] == Double.NEGATIVE_INFINITY ? FORBIDDEN : (float) values[i];
        }
        return f;
    }

    private static float[][] mask(double[][] values) {
        float[][] f = new float[values.length][];
        for (int i = 0; i < f.length; i++) {
            f[i] = mask(values[i]);
        }
        return f;
    }

    /** {@code log Σ_axis exp(x)}, with the maximum subtracted (and not differentiated through). */
    private static NDArray logSumExp(NDArray x, int axis) {
        NDArray max = x.max(new int[] {axis}, true).stopGradient();
        return x.sub(max).exp().sum(new int[] {axis}).log().add(max.squeeze(axis));
    }

    /** Copies the weights out of the engine into a servable model (see {@link SlotNet#toModel}). */
    static SlotModel snapshot(SlotNet net, BioTagSet tagSet, int window, boolean wordConstraint) {
        return net.toModel(tagSet, window, wordConstraint);
    }

    private SlotModel snapshot(SlotNet net, BioTagSet tagSet) {
        return snapshot(net, tagSet, options.window(), options.wordConstraint());
    }

    /**
     * Micro precision, recall and F1 of exact span matches in piece coordinates: a span is (label,
     * first piece, last piece) of a B-x I-x… run.
     */
    static double[] spanScores(SlotModel model, List<TaggedSequence> data) {
        long tp = 0;
        long predicted = 0;
        long gold = 0;
        for (TaggedSequence s : data) {
            Set<List<Integer>> g = runs(s.tags(), model.tagSet());
            Set<List<Integer>> p = runs(model.decodeTags(s.states(), s.continues()), model.tagSet());
            gold += g.size();
            predicted += p.size();
            for (List<Integer> span : p) {
                if (g.contains(span)) {
                    tp++;
                }
            }
        }
        double precision = predicted == 0 ? 0 : (double) tp / predicted;
        double recall = gold == 0 ? 0 : (double) tp / gold;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new double[] {precision, recall, f1};
    }

    /** The runs of a tag sequence as (B tag index, first, last); an I-x without its B-x starts a run. */
    static Set<List<Integer>> runs(int[] tags, BioTagSet tagSet) {
        Set<List<Integer>> runs = new HashSet<>();
        int t = 0;
        while (t < tags.length) {
            if (tags[t] == 0) {
                t++;
                continue;
            }
            String label = tagSet.labelOf(tags[t]);
            int from = t;
            t++;
            while (t < tags.length && tags[t] == tagSet.inside(label)) {
                t++;
            }
            runs.add(List.of(tagSet.begin(label), from, t - 1));
        }
        return runs;
    }

    private static int check(List<TaggedSequence> train, List<TaggedSequence> validation, BioTagSet tagSet) {
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("need training and validation sequences, got " + train.size() + " and "
                    + validation.size());
        }
        int dim = -1;
        for (List<TaggedSequence> split : List.of(train, validation)) {
            for (TaggedSequence s : split) {
                if (s.length() == 0) {
                    throw new IllegalArgumentException("a sequence has no word pieces");
                }
                for (float[] state : s.states()) {
                    if (dim < 0) {
                        dim = state.length;
                    } else if (state.length != dim) {
                        throw new IllegalArgumentException("token states differ in dimension: " + state.length + " vs " + dim);
                    }
                }
                for (int tag : s.tags()) {
                    if (tag < 0 || tag >= tagSet.size()) {
                        throw new IllegalArgumentException("tag index " + tag + " is not in [0, " + tagSet.size() + ")");
                    }
                }
            }
        }
        return dim;
    }
}
