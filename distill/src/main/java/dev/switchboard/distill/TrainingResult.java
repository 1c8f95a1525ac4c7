package dev.switchboard.distill;

import dev.switchboard.models.ClassifierHead;
import java.util.Objects;

/**
 * What {@link IntentTrainer#train} produced.
 *
 * @param head                     the best epoch's weights with the fitted temperature
 * @param bestEpoch                the epoch with the lowest validation loss (1-based); its weights are kept
 * @param epochsRun                epochs actually run (early stopping may end before the maximum)
 * @param validationLoss           validation cross-entropy of the best epoch at temperature 1
 * @param calibratedValidationLoss validation cross-entropy at the fitted temperature (never higher)
 * @param validationAccuracy       validation accuracy of the best epoch
 * @param validationMacroF1        validation macro-F1 of the best epoch
 */
public record TrainingResult(ClassifierHead head, int bestEpoch, int epochsRun, double validationLoss,
        double calibratedValidationLoss, double validationAccuracy, double validationMacroF1) {

    public TrainingResult {
        Objects.requireNonNull(head, "head");
        if (bestEpoch < 1 || bestEpoch > epochsRun) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " is not within 1.." + epochsRun);
        }
    }
}
