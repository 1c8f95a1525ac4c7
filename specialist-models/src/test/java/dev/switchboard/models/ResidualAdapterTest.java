package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ResidualAdapterTest {

    @Test
    void aZeroUpProjectionIsTheIdentityOnUnitVectors() {
        float[] h = {0.6f, 0.8f, 0f};
        ResidualAdapter identity = ResidualAdapter.of(new float[][] {{1, 2, 3}}, new float[3][1]);
        assertArrayEquals(h, identity.apply(h), 1e-7f);
        assertEquals(1, identity.rank());
        assertEquals(3, identity.dimension());
        assertEquals(6, identity.parameterCount());
    }

    @Test
    void appliesNormaliseOfHPlusBAh() {
        // A = [[1, 0]], B = [[0], [2]]: A·h = h0; h + B·A·h = (h0, h1 + 2·h0).
        ResidualAdapter a = ResidualAdapter.of(new float[][] {{1, 0}}, new float[][] {{0}, {2}});
        float[] out = a.apply(new float[] {1, 0});
        float norm = (float) Math.sqrt(1 + 4);
        assertArrayEquals(new float[] {1 / norm, 2 / norm}, out, 1e-6f);
    }

    @Test
    void rejectsShapesThatDoNotFit() {
        assertEquals("adapter up must be [3, 1] to fit down [1, 3], got [3, 2]", assertThrows(IllegalArgumentException.class,
                () -> ResidualAdapter.of(new float[][] {{1, 2, 3}}, new float[3][2])).getMessage());
        assertEquals("input has 2 values, the adapter expects 3", assertThrows(IllegalArgumentException.class,
                () -> ResidualAdapter.of(new float[][] {{1, 2, 3}}, new float[3][1]).apply(new float[2])).getMessage());
        assertEquals("adapter down contains a non-finite value: NaN", assertThrows(IllegalArgumentException.class,
                () -> ResidualAdapter.of(new float[][] {{Float.NaN}}, new float[1][1])).getMessage());
    }
}
