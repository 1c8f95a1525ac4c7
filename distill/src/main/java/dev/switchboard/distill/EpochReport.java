package dev.switchboard.distill;

import java.time.Duration;
import java.util.Locale;

/**
 * Progress after one epoch.
 *
 * @param epoch              1-based
 * @param maxEpochs          the upper bound (training may stop earlier)
 * @param trainLoss          mean cross-entropy over the epoch's training batches
 * @param validationLoss     cross-entropy on the validation set after the epoch (temperature 1)
 * @param validationAccuracy share of validation examples whose argmax is right
 * @param elapsed            time since training started
 * @param eta                upper bound on the remaining time: mean epoch time * epochs left
 */
public record EpochReport(int epoch, int maxEpochs, double trainLoss, double validationLoss,
        double validationAccuracy, Duration elapsed, Duration eta) {

    /** One line for stderr. */
    public String line() {
        return String.format(Locale.ROOT, "epoch %3d/%d  train loss %.4f  val loss %.4f  val acc %.4f  elapsed %ds  ETA <= %ds",
                epoch, maxEpochs, trainLoss, validationLoss, validationAccuracy, elapsed.toSeconds(), eta.toSeconds());
    }
}
