package dev.switchboard.distill;

import java.util.Arrays;
import java.util.Objects;

/**
 * Hyper-parameters of {@link AdapterTrainer}.
 *
 * @param seed             seeds the initialisation of {@code A} and every batch / pair choice
 * @param rank             {@code r}, the adapter's bottleneck width (&gt;= 1)
 * @param epochs           passes over the data (each example about once per epoch)
 * @param learningRate     Adam step size
 * @param weightDecay      L2 penalty on A and B (DJL's Adam adds {@code wd·w} to the gradient)
 * @param loss             {@code supcon} or {@code pairs} (see {@link AdapterTrainer})
 * @param temperature      τ of the supervised contrastive loss (unused by {@code pairs})
 * @param classesPerBatch  labels per supcon batch; for {@code pairs} a batch holds
 *                         {@code classesPerBatch·examplesPerClass} pairs
 * @param examplesPerClass examples of each label in a supcon batch (&gt;= 2: an anchor needs a positive)
 */
public record AdapterOptions(long seed, int rank, int epochs, double learningRate, double weightDecay, Loss loss,
        double temperature, int classesPerBatch, int examplesPerClass) {

    /** The contrastive objective. */
    public enum Loss {
        SUPCON("supcon"), PAIRS("pairs");

        private final String id;

        Loss(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /** @throws IllegalArgumentException naming the known losses */
        public static Loss of(String id) {
            return Arrays.stream(values()).filter(l -> l.id.equals(id)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unknown adapter loss '" + id + "'; known: supcon, pairs"));
        }
    }

    public static final int DEFAULT_RANK = 64;
    public static final int DEFAULT_EPOCHS = 10;
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    public static final double DEFAULT_TEMPERATURE = 0.1;

    public AdapterOptions {
        Objects.requireNonNull(loss, "loss");
        if (rank < 1) {
            throw new IllegalArgumentException("adapter rank must be >= 1, got " + rank);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("adapter epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new IllegalArgumentException("adapter learning rate must be > 0, got " + learningRate);
        }
        if (!(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw new IllegalArgumentException("adapter weight decay must be >= 0, got " + weightDecay);
        }
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("adapter temperature must be > 0, got " + temperature);
        }
        if (classesPerBatch < 2) {
            throw new IllegalArgumentException("classes per batch must be >= 2, got " + classesPerBatch);
        }
        if (examplesPerClass < 2) {
            throw new IllegalArgumentException("examples per class must be >= 2, got " + examplesPerClass);
        }
    }

    /** Defaults with this seed: rank 64, 10 epochs of supcon (τ 0.1) at lr 0.001, batches of 16 labels x 4. */
    public static AdapterOptions defaults(long seed) {
        return new AdapterOptions(seed, DEFAULT_RANK, DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, 0, Loss.SUPCON,
                DEFAULT_TEMPERATURE, 16, 4);
    }
}
