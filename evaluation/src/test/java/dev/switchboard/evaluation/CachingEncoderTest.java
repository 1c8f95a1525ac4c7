package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import dev.switchboard.models.Encoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingEncoderTest {

    /** The real encoder, counting the texts it is asked to embed; close() is not forwarded. */
    static final class Counting implements Encoder {
        final Encoder inner;
        int embedded;

        Counting(Encoder inner) {
            this.inner = inner;
        }

        @Override
        public EncoderInfo info() {
            return inner.info();
        }

        @Override
        public float[][] embed(List<String> texts) {
            embedded += texts.size();
            return inner.embed(texts);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void vectorsSurviveAReopenAndAreNotRecomputed(@TempDir Path dir) {
        List<String> texts = List.of("How do I reset my password?", "Refunds take five days.", "How do I reset my password?");
        try (Encoder real = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            Counting first = new Counting(real);
            float[][] fresh;
            try (CachingEncoder cache = new CachingEncoder(first, dir)) {
                fresh = cache.embed(texts);
                assertEquals(3, first.embedded); // one batch: duplicates within it are embedded as given
                cache.embedQuery("reset password");
                assertEquals("0 cached, 4 embedded", cache.stats());
            }
            assertTrue(Files.isRegularFile(dir.resolve(Encoders.DEFAULT_ID + ".vectors")));

            Counting second = new Counting(real);
            try (CachingEncoder cache = new CachingEncoder(second, dir)) {
                float[][] again = cache.embed(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(fresh[i], again[i]);
                }
                assertArrayEquals(real.embedQuery("reset password"), cache.embedQuery("reset password"));
                assertEquals(0, second.embedded);
                cache.embed(List.of("A new sentence."));
                assertEquals(1, second.embedded);
            }
        }
    }

    @Test
    void aCacheOfAnotherDimensionIsRefused(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve(Encoders.DEFAULT_ID + ".vectors"), new byte[] {0x53, 0x42, 0x56, 0x43, 0, 0, 0, 7});
        try (Encoder real = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CachingEncoder(new Counting(real), dir));
            assertEquals("embedding cache " + dir.resolve(Encoders.DEFAULT_ID + ".vectors") + " is not a cache of "
                    + Encoders.DEFAULT_ID + " (384 dimensions): delete it", e.getMessage());
        }
    }
}
