package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentModelTest {

    @TempDir
    Path dir;

    static float[][] random(int rows, int cols, Random r) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) r.nextGaussian();
            }
        }
        return m;
    }

    static IntentModel full(Random r, float[] thresholds) {
        ClassifierHead head = ClassifierHead.of(List.of(new ClassifierHead.Layer(random(3, 4, r), new float[] {0.1f, 0, -0.1f})), 0.8);
        ResidualAdapter adapter = ResidualAdapter.of(random(2, 4, r), random(4, 2, r));
        HashedNgrams features = HashedNgrams.withBits(8);
        NgramHead ngrams = NgramHead.of(features, random(3, features.size(), r), new float[] {0, 1, 2});
        return IntentModel.of(head, adapter, ngrams, 0.5, thresholds);
    }

    @Test
    void aMultiLabelModelPredictsTheLabelsAtOrAboveTheirThresholds() {
        IntentModel model = full(new Random(4), new float[] {0.5f, 0.2f, 0.9f});
        assertArrayEquals(new int[] {0, 1}, model.labelsOn(new double[] {0.5, 0.3, 0.89}), "p = θ is on");
        assertArrayEquals(new int[] {}, model.labelsOn(new double[] {0.1, 0.1, 0.1}));
        assertThrows(IllegalArgumentException.class, () -> model.labelsOn(new double[] {0.5, 0.5}));
        assertEquals("a single-label model has no thresholds", assertThrows(IllegalStateException.class,
                () -> full(new Random(4), null).labelsOn(new double[] {0.5, 0.5, 0.5})).getMessage());
    }

    @Test
    void logitsAddTheScaledNgramLogitsToTheHeadOnTheAdaptedEmbedding() {
        IntentModel m = full(new Random(1), null);
        float[] e = {0.5f, 0.5f, 0.5f, 0.5f};
        float[] head = m.head().logits(m.adapter().orElseThrow().apply(e));
        float[] ngrams = m.ngrams().orElseThrow().logits("lost my card");
        float[] z = m.logits(e, "lost my card");
        for (int k = 0; k < 3; k++) {
            assertEquals(head[k] + 0.5f * ngrams[k], z[k], 1e-5f);
        }
        double[] p = m.probabilities(e, "lost my card");
        assertArrayEquals(ClassifierHead.softmax(z, 0.8), p, 1e-12);
        assertTrue(m.needsText());
        assertFalse(m.multiLabel());
    }

    @Test
    void ngramLogitsFollowTheFormula() {
        HashedNgrams f = HashedNgrams.withBits(8);
        float[][] w = random(2, f.size(), new Random(3));
        NgramHead head = NgramHead.of(f, w, new float[] {1, -1});
        int[] features = f.features("card");
        float[] z = head.logits("card");
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            for (int q : features) {
                sum += w[k][q];
            }
            assertEquals((k == 0 ? 1 : -1) + sum / Math.sqrt(features.length), z[k], 1e-5);
        }
        assertArrayEquals(new float[] {1, -1}, head.logits(""), "no features: the bias");
    }

    @Test
    void everyPartRoundTripsThroughOneSafetensorsFile() {
        IntentModel m = full(new Random(2), new float[] {0.3f, 0.5f, 0.7f});
        Path file = dir.resolve("head.safetensors");
        m.write(file);
        IntentModel back = IntentModel.read(file);
        float[] e = {0.1f, 0.2f, 0.3f, 0.4f};
        assertArrayEquals(m.logits(e, "where is my card"), back.logits(e, "where is my card"), 0f);
        assertArrayEquals(new float[] {0.3f, 0.5f, 0.7f}, back.thresholds());
        assertTrue(back.multiLabel());
        assertEquals(0.5, back.ngramScale(), 0);
        double[] p = back.probabilities(e, "x");
        float[] z = back.logits(e, "x");
        assertEquals(1 / (1 + Math.exp(-z[0] / back.head().temperature())), p[0], 1e-12, "multi-label: sigmoid(z / T)");
        // The plain head reader still reads the head out of the richer file.
        assertEquals(m.head().temperature(), ClassifierHead.read(file).temperature(), 1e-7);
    }

    @Test
    void aPlainHeadFileIsAModelWithOnlyAHead() {
        ClassifierHead head = ClassifierHead.of(List.of(new ClassifierHead.Layer(random(2, 4, new Random(4)), new float[2])), 1.0);
        Path file = dir.resolve("v1.safetensors");
        head.write(file);
        IntentModel m = IntentModel.read(file);
        assertTrue(m.adapter().isEmpty());
        assertTrue(m.ngrams().isEmpty());
        assertFalse(m.needsText());
        float[] e = {0.5f, 0.5f, 0.5f, 0.5f};
        assertArrayEquals(head.logits(e), m.logits(e, null));
    }

    @Test
    void partsThatDisagreeAreNamed() {
        Random r = new Random(5);
        ClassifierHead head = ClassifierHead.of(List.of(new ClassifierHead.Layer(random(3, 4, r), new float[3])), 1.0);
        assertEquals("the adapter gives 5 values but the head takes 4", assertThrows(IllegalArgumentException.class,
                () -> IntentModel.of(head, ResidualAdapter.of(random(1, 5, r), random(5, 1, r)), null, 0, null)).getMessage());
        assertEquals("there are 2 thresholds for 3 labels", assertThrows(IllegalArgumentException.class,
                () -> IntentModel.of(head, null, null, 0, new float[2])).getMessage());
        assertEquals("thresholds must be in [0, 1], got 1.5", assertThrows(IllegalArgumentException.class,
                () -> IntentModel.of(head, null, null, 0, new float[] {0, 1.5f, 0})).getMessage());
    }
}
