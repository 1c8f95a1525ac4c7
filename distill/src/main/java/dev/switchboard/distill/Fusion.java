package dev.switchboard.distill;

/**
 * Chooses how much an n-gram head adds to the embedding head, on validation data: for each weight
 * {@code w} in {0, 0.1, …, 0.6} the log-linear mixture {@code (1-w)·log softmax(z_e/T_e) + w·log
 * softmax(z_n/T_n)} (each head at its own fitted temperature) is scored by validation cross-entropy;
 * the best w becomes {@code λ = w·T_e / ((1-w)·T_n)} in {@code z = z_e + λ·z_n}, whose temperature T is
 * then fitted on the same validation set. (The mixture's logits are {@code (1-w)/T_e · (z_e + λ z_n)}.)
 *
 * @param weight           the chosen w
 * @param scale            λ
 * @param temperature      T of the fused logits
 * @param validationLoss   validation cross-entropy of the fused model at T
 */
record Fusion(double weight, double scale, double temperature, double validationLoss) {

    static final double[] WEIGHTS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6};

    static Fusion choose(float[][] embeddingLogits, float[][] ngramLogits, int[] gold) {
        double te = IntentTrainer.fitTemperature(embeddingLogits, gold);
        double tn = IntentTrainer.fitTemperature(ngramLogits, gold);
        double bestW = 0;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double w : WEIGHTS) {
            double loss = IntentTrainer.nll(mix(embeddingLogits, ngramLogits, (1 - w) / te, w / tn), gold, 1);
            if (loss < bestLoss - 1e-12) {
                bestLoss = loss;
                bestW = w;
            }
        }
        // Stored as F32 in the safetensors file: round now so that the saved model is this one.
        double scale = (float) (bestW * te / ((1 - bestW) * tn));
        float[][] fused = mix(embeddingLogits, ngramLogits, 1, scale);
        double temperature = (float) IntentTrainer.fitTemperature(fused, gold);
        return new Fusion(bestW, scale, temperature, IntentTrainer.nll(fused, gold, temperature));
    }

    /** {@code a·z_e + b·z_n}, row-wise. */
    static float[][] mix(float[][] ze, float[][] zn, double a, double b) {
        float[][] out = new float[ze.length][];
        for (int i = 0; i < ze.length; i++) {
            out[i] = new float[ze[i].length];
            for (int k = 0; k < ze[i].length; k++) {
                out[i][k] = (float) (a * ze[i][k] + b * zn[i][k]);
            }
        }
        return out;
    }
}
