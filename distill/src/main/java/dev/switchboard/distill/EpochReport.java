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

    /** Width of the bar in {@link #progressLine(String)}. */
    static final int BAR = 20;

    /** One line for stderr. */
    public String line() {
        return String.format(Locale.ROOT, "epoch %3d/%d  train loss %.4f  val loss %.4f  val acc %.4f  elapsed %ds  ETA <= %ds",
                epoch, maxEpochs, trainLoss, validationLoss, validationAccuracy, elapsed.toSeconds(), eta.toSeconds());
    }

    /**
     * A progress-bar line naming the validation metric, e.g.
     * {@code [####................] epoch  18/100  train loss 0.2101  val loss 0.2650  val acc 0.9313  elapsed 2s  ETA <= 9s}.
     * The bar fills with epochs run over the maximum; early stopping usually ends it before it is full.
     */
    public String progressLine(String metric) {
        int filled = (int) Math.round((double) BAR * epoch / maxEpochs);
        return String.format(Locale.ROOT, "[%s%s] epoch %3d/%d  train loss %.4f  val loss %.4f  %s %.4f  elapsed %ds  "
                + "ETA <= %ds", "#".repeat(filled), ".".repeat(BAR - filled), epoch, maxEpochs, trainLoss, validationLoss,
                metric, validationAccuracy, elapsed.toSeconds(), eta.toSeconds());
    }
}
