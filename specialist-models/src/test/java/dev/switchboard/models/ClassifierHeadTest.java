package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifierHeadTest {

    // 2 -> 3 (ReLU) -> 2
    private static final ClassifierHead.Layer HIDDEN = new ClassifierHead.Layer(
            new float[][] {{1, 0}, {0, 1}, {1, 1}}, new float[] {0, -5, 0.5f});
    private static final ClassifierHead.Layer OUTPUT = new ClassifierHead.Layer(
            new float[][] {{1, 1, 1}, {2, 0, -1}}, new float[] {0.25f, 0});

    @TempDir
    Path dir;

    @Test
    void logitsApplyReluBetweenLayersButNotAfterTheLast() {
        ClassifierHead head = ClassifierHead.of(List.of(HIDDEN, OUTPUT), 1.0);
        // hidden = relu([1, 2-5, 1+2+0.5]) = [1, 0, 3.5]; output = [1+0+3.5+0.25, 2-3.5] = [4.75, -1.5]
        assertArrayEquals(new float[] {4.75f, -1.5f}, head.logits(new float[] {1, 2}), 1e-6f);
        assertEquals(2, head.inputDimension());
        assertEquals(2, head.outputDimension());
    }

    @Test
    void probabilitiesAreTheSoftmaxOfLogitsOverTemperature() {
        ClassifierHead head = ClassifierHead.of(List.of(OUTPUT), 2.0);
        // logits of [1, 1, 1] = [3.25, 1]; softmax([3.25, 1] / 2) = [e^1.625, e^0.5] / sum
        double a = Math.exp(1.625);
        double b = Math.exp(0.5);
        assertArrayEquals(new double[] {a / (a + b), b / (a + b)}, head.probabilities(new float[] {1, 1, 1}), 1e-9);
        // Large logits do not overflow.
        double[] p = ClassifierHead.softmax(new float[] {1000f, 0f}, 1.0);
        assertEquals(1.0, p[0], 1e-12);
        assertEquals(0.0, p[1], 1e-12);
    }

    @Test
    void writeAndReadGiveTheSameHead() {
        ClassifierHead head = ClassifierHead.of(List.of(HIDDEN, OUTPUT), 1.75);
        Path file = dir.resolve("head.safetensors");
        head.write(file);
        ClassifierHead read = ClassifierHead.read(file);
        assertEquals(1.75, read.temperature());
        assertEquals(2, read.layers().size());
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(head.layers().get(l).weight(), read.layers().get(l).weight());
            assertArrayEquals(head.layers().get(l).bias(), read.layers().get(l).bias());
        }
        assertArrayEquals(new int[] {3, 2}, SafeTensors.read(file).tensor("layers.0.weight").shape());
    }

    @Test
    void rejectsInconsistentShapesAndBadTemperatures() {
        assertEquals("layer 1 takes 3 inputs but layer 0 gives 2",
                assertThrows(IllegalArgumentException.class, () -> ClassifierHead.of(List.of(OUTPUT, OUTPUT), 1))
                        .getMessage());
        assertEquals("temperature must be > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> ClassifierHead.of(List.of(OUTPUT), 0)).getMessage());
        assertEquals("bias has 1 values but weight has 2 rows", assertThrows(IllegalArgumentException.class,
                () -> new ClassifierHead.Layer(new float[][] {{1}, {2}}, new float[] {0})).getMessage());
        assertEquals("input has 3 values, the head expects 2", assertThrows(IllegalArgumentException.class,
                () -> ClassifierHead.of(List.of(HIDDEN), 1).logits(new float[3])).getMessage());

        Path file = dir.resolve("bad.safetensors");
        SafeTensors.of(Map.of("layers.0.weight", new SafeTensors.Tensor(new int[] {2, 2}, new float[4])), Map.of())
                .write(file);
        var e = assertThrows(IllegalArgumentException.class, () -> ClassifierHead.read(file));
        assertTrue(e.getMessage().startsWith(file + ": no tensor named 'layers.0.bias'"), e.getMessage());
    }

    @Test
    void layersAreImmutable() {
        float[][] w = {{1, 2}};
        ClassifierHead.Layer layer = new ClassifierHead.Layer(w, new float[] {0});
        w[0][0] = 100;
        layer.weight()[0][1] = 100;
        assertArrayEquals(new float[][] {{1, 2}}, layer.weight());
    }
}
