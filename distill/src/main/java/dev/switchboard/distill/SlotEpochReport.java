package dev.switchboard.distill;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress of {@link SlotTrainer} after one epoch.
 *
 * @param epoch          1-based
 * @param maxEpochs      the upper bound (training may stop earlier)
 * @param trainLoss      mean loss per sentence over the epoch's batches (CRF: negative log-likelihood
 *                       of the gold sequence; softmax: summed token cross-entropy)
 * @param validationLoss the same loss on validation
 * @param validationF1   micro F1 of exact piece-span matches on validation (decoded as served)
 * @param elapsed        time since training started
 * @param eta            upper bound on the remaining time: mean epoch time * epochs left
 */
public record SlotEpochReport(int epoch, int maxEpochs, double trainLoss, double validationLoss, double validationF1,
        Duration elapsed, Duration eta) {

    /** One line for stderr. */
    public String line() {
        return String.format(Locale.ROOT, "epoch %3d/%d  train loss %.4f  val loss %.4f  val F1 %.4f  elapsed %ds  ETA <= %ds",
                epoch, maxEpochs, trainLoss, validationLoss, validationF1, elapsed.toSeconds(), eta.toSeconds());
    }
}
