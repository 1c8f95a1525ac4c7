package dev.switchboard.distill;

/**
 * Hyper-parameters of {@link SlotTrainer}. {@link #defaults(long)} are the ones the shipped models were
 * trained with, chosen on validation span F1 (snips_bio valid.jsonl): a bidirectional LSTM of 128 units
 * per direction, CRF, dropout 0.2, Adam 0.002 halved after each epoch without a better validation F1,
 * patience 4, batch 32.
 *
 * @param seed           seeds PyTorch (initialisation, dropout) and the per-epoch shuffles
 * @param maxEpochs      upper bound on epochs
 * @param patience       epochs without a better validation score before stopping
 * @param batchSize      sentences per Adam step (sentences of equal length are batched together)
 * @param learningRate   Adam step size
 * @param weightDecay    L2 penalty added to every gradient (DJL's Adam)
 * @param hidden         0: one linear layer over the features; N &gt; 0: linear(N) + ReLU + linear
 * @param lstm           0: no recurrent layer; N &gt; 0: a bidirectional LSTM with N units per direction
 *                       between the features and the dense layers
 * @param lstmLayers     how many such LSTM layers are stacked (used when {@code lstm > 0}), dropout between them
 * @param window         neighbouring pieces concatenated on each side of a piece's state (0 = the piece alone)
 * @param crf            learn transition and start scores (linear-chain CRF loss) instead of
 *                       independent per-piece softmax cross-entropy
 * @param dropout        dropout rate on the features and the hidden layer while training, in [0, 1)
 * @param wordConstraint decode so that entities start and end on word boundaries (see SlotModel)
 * @param lrDecay        factor in (0, 1] applied to the learning rate after each epoch without a lower
 *                       validation score; 1 keeps it fixed
 * @param monitorF1      select the epoch and stop early on validation span F1 instead of validation loss
 */
public record SlotTrainingOptions(long seed, int maxEpochs, int patience, int batchSize, double learningRate,
        double weightDecay, int hidden, int lstm, int lstmLayers, int window, boolean crf, double dropout, boolean wordConstraint, double lrDecay,
        boolean monitorF1) {

    public static final int DEFAULT_MAX_EPOCHS = 100;
    public static final int DEFAULT_PATIENCE = 4;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final double DEFAULT_LEARNING_RATE = 0.002;
    public static final int DEFAULT_LSTM = 128;
    public static final double DEFAULT_DROPOUT = 0.2;
    public static final double DEFAULT_LR_DECAY = 0.5;

    public SlotTrainingOptions {
        OptionChecks.optimisation("", maxEpochs, patience, batchSize, learningRate, weightDecay);
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden must be >= 0 (0 = linear), got " + hidden);
        }
        if (lstm < 0) {
            throw new IllegalArgumentException("lstm must be >= 0 (0 = none), got " + lstm);
        }
        OptionChecks.atLeast("lstm layers", lstmLayers, 1);
        OptionChecks.atLeast("window", window, 0);
        if (!(lrDecay > 0 && lrDecay <= 1)) {
            throw new IllegalArgumentException("learning-rate decay must be in (0, 1], got " + lrDecay);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** The same options with another seed. */
    public SlotTrainingOptions withSeed(long newSeed) {
        return new SlotTrainingOptions(newSeed, maxEpochs, patience, batchSize, learningRate, weightDecay, hidden, lstm,
                lstmLayers, window, crf, dropout, wordConstraint, lrDecay, monitorF1);
    }

    /** The shipped recipe with this seed: BiLSTM 128 + CRF, dropout 0.2, lr 0.002 (x0.5 on plateaus), select on F1. */
    public static SlotTrainingOptions defaults(long seed) {
        return new SlotTrainingOptions(seed, DEFAULT_MAX_EPOCHS, DEFAULT_PATIENCE, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, 0,
                0, DEFAULT_LSTM, 1, 0, true, DEFAULT_DROPOUT, false, DEFAULT_LR_DECAY, true);
    }
}
