package dev.switchboard.distill;

import dev.switchboard.models.SlotModel;
import java.util.Objects;

/**
 * What {@link SlotTrainer#train} produced.
 *
 * @param model               the best epoch's weights
 * @param bestEpoch           the epoch with the best validation score (1-based; loss or F1, see the options)
 * @param epochsRun           epochs actually run
 * @param validationLoss      validation loss of the best epoch (see {@link SlotEpochReport#trainLoss})
 * @param validationPrecision micro precision of exact piece-span matches on validation, best epoch
 * @param validationRecall    micro recall, best epoch
 * @param validationF1        micro F1, best epoch
 */
public record SlotTrainingResult(SlotModel model, int bestEpoch, int epochsRun, double validationLoss,
        double validationPrecision, double validationRecall, double validationF1) {

    public SlotTrainingResult {
        Objects.requireNonNull(model, "model");
        if (bestEpoch < 1 || bestEpoch > epochsRun) {
            throw new IllegalArgumentException("best epoch " + bestEpoch + " is not within 1.." + epochsRun);
        }
    }
}
