package dev.switchboard.distill;

/**
 * Hyper-parameters of {@link IntentTrainer}; {@link #defaults(long)} gives the ones the shipped
 * models were trained with. They were chosen on BANKING77's validation loss (10% of train):
 * weight decay hurts there (1e-5: 0.30 vs 0.27 without), because unit-length embeddings need large
 * weights for confident logits; early stopping is the regulariser instead.
 *
 * @param seed         seeds PyTorch (weight initialisation) and the per-epoch shuffles
 * @param maxEpochs    upper bound on epochs; training stops earlier when the validation loss has
 *                     not improved for {@code patience} epochs
 * @param patience     epochs without a validation-loss improvement before stopping
 * @param batchSize    examples per Adam step
 * @param learningRate Adam step size
 * @param weightDecay  L2 penalty {@code wd * w} added to every gradient (DJL's Adam), biases included
 * @param hidden       0 for a logistic head (one linear layer); N &gt; 0 for linear(N) + ReLU + linear
 * @param classWeights weigh each training example's cross-entropy by {@code n / (K · n_y)} (inverse
 *                     frequency of its label y; n examples, K labels present), so that every label
 *                     contributes equally; the validation loss stays unweighted
 */
public record TrainingOptions(long seed, int maxEpochs, int patience, int batchSize, double learningRate,
        double weightDecay, int hidden, boolean classWeights) {

    /** Options without class weights. */
    public TrainingOptions(long seed, int maxEpochs, int patience, int batchSize, double learningRate,
            double weightDecay, int hidden) {
        this(seed, maxEpochs, patience, batchSize, learningRate, weightDecay, hidden, false);
    }

    public static final int DEFAULT_MAX_EPOCHS = 100;
    public static final int DEFAULT_PATIENCE = 5;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final double DEFAULT_LEARNING_RATE = 0.005;
    public static final double DEFAULT_WEIGHT_DECAY = 0;

    public TrainingOptions {
        OptionChecks.optimisation("", maxEpochs, patience, batchSize, learningRate, weightDecay);
        if (hidden < 0) {
            throw new IllegalArgumentException("hidden must be >= 0 (0 = logistic), got " + hidden);
        }
    }

    /** The defaults with this seed: logistic head, Adam lr 0.005, no weight decay, batch 32, up to 100 epochs, patience 5. */
    public static TrainingOptions defaults(long seed) {
        return new TrainingOptions(seed, DEFAULT_MAX_EPOCHS, DEFAULT_PATIENCE, DEFAULT_BATCH_SIZE,
                DEFAULT_LEARNING_RATE, DEFAULT_WEIGHT_DECAY, 0);
    }

    /** The same options with another maximum number of epochs. */
    public TrainingOptions withMaxEpochs(int epochs) {
        return new TrainingOptions(seed, epochs, patience, batchSize, learningRate, weightDecay, hidden, classWeights);
    }

    /** The same options with another hidden size. */
    public TrainingOptions withHidden(int size) {
        return new TrainingOptions(seed, maxEpochs, patience, batchSize, learningRate, weightDecay, size, classWeights);
    }

    /** The same options with class weights on or off. */
    public TrainingOptions withClassWeights(boolean on) {
        return new TrainingOptions(seed, maxEpochs, patience, batchSize, learningRate, weightDecay, hidden, on);
    }
}
