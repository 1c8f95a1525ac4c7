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
        OptionChecks.atLeast("adapter rank", rank, 1);
        OptionChecks.atLeast("adapter epochs", epochs, 1);
        OptionChecks.positive("adapter learning rate", learningRate);
        OptionChecks.nonNegative("adapter weight decay", weightDecay);
        OptionChecks.positive("adapter temperature", temperature);
        OptionChecks.atLeast("classes per batch", classesPerBatch, 2);
        OptionChecks.atLeast("examples per class", examplesPerClass, 2);
    }

    /** Defaults with this seed: rank 64, 10 epochs of supcon (τ 0.1) at lr 0.001, batches of 16 labels x 4. */
    public static AdapterOptions defaults(long seed) {
        return new AdapterOptions(seed, DEFAULT_RANK, DEFAULT_EPOCHS, DEFAULT_LEARNING_RATE, 0, Loss.SUPCON,
                DEFAULT_TEMPERATURE, 16, 4);
    }
}
