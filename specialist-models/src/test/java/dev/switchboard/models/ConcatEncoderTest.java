package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConcatEncoderTest {

    @Test
    void concatenatesUnitEmbeddingsScaledToUnitLength() {
        String id = Encoders.DEFAULT_ID + "+" + Encoders.DEFAULT_ID;
        try (Encoder pair = ConcatEncoder.load(id, 1); Encoder one = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            assertEquals(id, pair.info().id());
            assertEquals(768, pair.info().dimension());
            float[] single = one.embed("my card was stolen");
            float[] both = pair.embed("my card was stolen");
            double norm = 0;
            for (int i = 0; i < 384; i++) {
                assertEquals(single[i] / Math.sqrt(2), both[i], 1e-6);
                assertEquals(single[i] / Math.sqrt(2), both[384 + i], 1e-6);
            }
            for (float v : both) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5);
            assertEquals(2, ((ConcatEncoder) pair).parts().size());
        }
    }

    @Test
    void aSingleIdIsThePlainEncoderAndUnknownPartsAreNamed() {
        try (Encoder e = ConcatEncoder.load(Encoders.DEFAULT_ID, 1)) {
            assertEquals(Encoders.DEFAULT_ID, e.info().id());
        }
        assertEquals("unknown encoder 'nope'; known encoders: " + Encoders.known(), assertThrows(IllegalArgumentException.class,
                () -> ConcatEncoder.load(Encoders.DEFAULT_ID + "+nope", 1)).getMessage());
        assertEquals("a concatenation needs at least 2 encoders, got 0", assertThrows(IllegalArgumentException.class,
                () -> ConcatEncoder.of(List.of())).getMessage());
    }
}
