package dev.switchboard.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Catches a training run that has stalled: its parameters come out of an epoch bit-for-bit unchanged while the
 * mean training loss is above {@value #FITTED_LOSS} (vanishing gradients of a model that fits its training data
 * also leave the weights alone, but at a loss near 0) and the learning rate is at least {@value #RESOLUTION} times
 * the median |weight| (Adam moves a weight by about the learning rate times its normalised update a step, and a
 * float cannot move by less than 2^-24 of its value: a learning rate decayed far below the weights leaves them
 * alone too). Seen once in a CLINC150 distillation — training loss
 * 5.5557 in epoch 1, then 5.0492 in every epoch — and not reproduced (the identical reruns, one recomputing the
 * embeddings bit-identically, trained normally); early stopping would keep such a model without a word.
 * {@link #retrying} runs such an attempt again from scratch once and then fails naming the epoch.
 */
final class StallGuard {

    /** Attempts of a run that stalls: the first, and one from scratch. */
    static final int ATTEMPTS = 2;
    /** Below this mean training loss unchanged weights mean a fitted model, not a stalled run. */
    static final double FITTED_LOSS = 1e-4;
    /** Below this learning rate per unit of the median weight, unchanged weights may just be a too-small step. */
    static final double RESOLUTION = 1e-4;

    private final List<NDArray> parameters;
    private float[][] last;

    private StallGuard(List<NDArray> parameters) {
        this.parameters = parameters;
        this.last = values();
    }

    /** Watches every parameter of an initialized block (its children's included). */
    static StallGuard of(Block block) {
        return new StallGuard(block.getParameters().stream().map(Pair::getValue).map(p -> p.getArray()).toList());
    }

    /** Watches these parameter arrays. */
    static StallGuard of(NDArray... parameters) {
        return new StallGuard(List.of(parameters));
    }

    /**
     * Compares the parameters with those after the previous epoch (or at the start).
     *
     * @param learningRate the learning rate of the epoch's last step
     * @throws Stalled if none changed, {@code trainLoss} is above {@value #FITTED_LOSS} and
     *                 {@code learningRate} is at least {@value #RESOLUTION} times the median |weight|
     */
    void afterEpoch(int epoch, double trainLoss, double learningRate) {
        float[][] now = values();
        if (trainLoss > FITTED_LOSS && Arrays.deepEquals(now, last) && learningRate >= RESOLUTION * medianAbs(now)) {
            throw new Stalled(epoch, trainLoss);
        }
        last = now;
    }

    private static double medianAbs(float[][] values) {
        int n = 0;
        for (float[] v : values) {
            n += v.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] v : values) {
            for (float x : v) {
                all[at++] = Math.abs(x);
            }
        }
        Arrays.sort(all);
        return n == 0 ? 0 : all[n / 2];
    }

    private float[][] values() {
        float[][] v = new float[parameters.size()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = parameters.get(i).toFloatArray();
        }
        return v;
    }

    /**
     * Runs {@code attempt}; if it stalls, says so on stderr and runs it once more from scratch.
     *
     * @param name what is trained, for messages
     * @throws TrainingStalled naming the epoch and loss if the second attempt stalls too
     */
    static <T> T retrying(String name, Supplier<T> attempt) {
        for (int i = 1; ; i++) {
            try {
                return attempt.get();
            } catch (Stalled stalled) {
                String what = name + ": the weights did not change in epoch " + stalled.epoch + " (training loss "
                        + String.format(Locale.ROOT, "%.4f", stalled.trainLoss) + "): training stalled";
                if (i == ATTEMPTS) {
                    throw new TrainingStalled(what + " in " + ATTEMPTS + " attempts; " + name + " was not trained");
                }
                System.err.println(what + "; training again from scratch (attempt " + (i + 1) + " of " + ATTEMPTS + ")");
            }
        }
    }

    /** A run that stalled in every attempt; the CLI reports it as {@code error: <message>}. */
    static final class TrainingStalled extends IllegalStateException {
        TrainingStalled(String message) {
            super(message);
        }
    }

    /** Thrown inside an attempt whose parameters came out of an epoch unchanged. */
    static final class Stalled extends RuntimeException {
        private final int epoch;
        private final double trainLoss;

        Stalled(int epoch, double trainLoss) {
            super(null, null, false, false);
            this.epoch = epoch;
            this.trainLoss = trainLoss;
        }
    }
}
