package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DistillationLossTest {

    /*
     * By hand: z = (1, 0), p = (0.75, 0.25), T = 2, alpha = 0.5, gold label 0.
     *   q = softmax(log p / 2) = (sqrt .75, sqrt .25) / (sqrt .75 + sqrt .25) = (0.6339746, 0.3660254)
     *   softmax(z / 2) = (e^.5, 1) / (e^.5 + 1) = (0.6224593, 0.3775407)
     *   KL = 0.6339746 ln(0.6339746 / 0.6224593) + 0.3660254 ln(0.3660254 / 0.3775407) = 0.00028329
     *   CE = -ln(e / (e + 1)) = ln(1 + e^-1) = 0.31326169
     *   loss = 0.5 * 4 * 0.00028329 + 0.5 * 0.31326169 = 0.15719742;  unlabeled: 4 * KL = 0.00113315
     */
    @Test
    void equalsTheHandComputedValue() {
        var kd = new DistillationLoss(0.5, 2);
        float[] z = {1, 0};
        double[] p = {0.75, 0.25};
        assertArrayEquals(new double[] {0.6339746, 0.3660254}, kd.softTargets(p), 1e-7);
        assertEquals(0.15719742, kd.loss(z, p, 0), 1e-8);
        assertEquals(0.00113315, kd.loss(z, p, -1), 1e-8);
    }

    @Test
    void theNgramGradientIsTheDerivativeOfTheLoss() {
        var kd = new DistillationLoss(0.3, 3);
        float[] z = {0.4f, -1.2f, 2.0f, 0.1f};
        double[] p = {0.1, 0.2, 0.6, 0.1};
        for (int label : new int[] {2, -1}) {
            double[] q = kd.softTargets(p);
            double[] grad = new double[z.length];
            NgramTrainer.gradient(z, label, q, kd, grad);
            for (int k = 0; k < z.length; k++) {
                float[] plus = z.clone();
                float[] minus = z.clone();
                plus[k] += 1e-3f;
                minus[k] -= 1e-3f;
                double numeric = (kd.loss(plus, p, label) - kd.loss(minus, p, label)) / 2e-3;
                assertEquals(numeric, grad[k], 1e-3, "d loss / d z_" + k + " for label " + label);
            }
        }
    }

    @Test
    void rejectsBadSettings() {
        assertEquals("distillation alpha must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(1.5, 2)).getMessage());
        assertEquals("distillation temperature must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(0.5, 0)).getMessage());
    }
}
