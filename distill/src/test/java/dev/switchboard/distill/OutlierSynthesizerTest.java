package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OutlierSynthesizerTest {

    // Four one-hot examples: labels 0, 1, 2 and the out-of-scope label 3; domains x, x, y, z.
    private static final float[][] X = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    private static final int[] Y = {0, 1, 2, 3};

    @Test
    void embeddingsMixTwoInScopeExamplesOfDifferentDomainsAndAreUnitLength() {
        float[][] out = OutlierSynthesizer.embeddings(X, Y, new String[] {"x", "x", "y", "z"}, 3, 200, 7);
        assertEquals(200, out.length);
        for (float[] z : out) {
            double norm = 0;
            for (float v : z) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5);
            assertEquals(0f, z[3], "never mixes the out-of-scope example");
            assertTrue(z[2] > 0, "x-domain labels 0 and 1 are never mixed together, so label 2 (domain y) is in every pair: "
                    + java.util.Arrays.toString(z));
            int parts = (z[0] > 0 ? 1 : 0) + (z[1] > 0 ? 1 : 0) + (z[2] > 0 ? 1 : 0);
            assertEquals(2, parts);
            double a = Math.max(Math.max(z[0], z[1]), z[2]) / Math.sqrt(norm);
            assertTrue(a <= 0.7 / Math.sqrt(0.7 * 0.7 + 0.3 * 0.3) + 1e-6, "mixing weight within [0.3, 0.7]");
        }
        assertArrayEquals(out, OutlierSynthesizer.embeddings(X, Y, new String[] {"x", "x", "y", "z"}, 3, 200, 7), "seeded");
        assertNotEquals(out[0][0], OutlierSynthesizer.embeddings(X, Y, null, 3, 200, 8)[0][0]);
    }
}
