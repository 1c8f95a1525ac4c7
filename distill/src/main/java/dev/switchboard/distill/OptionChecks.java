package dev.switchboard.distill;

/**
 * The checks the hyper-parameter records share, with their exact messages
 * ({@code "<what> must be >= 1, got 0"}, {@code "<what> must be > 0, got NaN"}, ...).
 */
final class OptionChecks {

    private OptionChecks() {
    }

    /**
     * The optimisation options every trainer has: epochs, patience, batch size ({@code >= 1}), a finite
     * learning rate {@code > 0} and a finite weight decay {@code >= 0}; {@code prefix} ("" or "adapter ")
     * starts each message.
     */
    static void optimisation(String prefix, int maxEpochs, int patience, int batchSize, double learningRate,
            double weightDecay) {
        atLeast(prefix + "epochs", maxEpochs, 1);
        atLeast(prefix + "patience", patience, 1);
        atLeast(prefix + "batch size", batchSize, 1);
        positive(prefix + "learning rate", learningRate);
        nonNegative(prefix + "weight decay", weightDecay);
    }

    static void atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
        }
    }

    /** Finite and {@code > 0}. */
    static void positive(String what, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " must be > 0, got " + value);
        }
    }

    /** Finite and {@code >= 0}. */
    static void nonNegative(String what, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + value);
        }
    }
}
