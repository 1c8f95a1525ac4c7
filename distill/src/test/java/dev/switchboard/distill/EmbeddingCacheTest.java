package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingCacheTest {

    @TempDir
    Path dir;

    @Test
    void theSecondCallReadsTheSameVectorsFromDiskAndADamagedFileIsRecomputed() throws Exception {
        List<String> texts = List.of("where is my card", "what is the exchange rate", "where is my card");
        EmbeddingCache cache = new EmbeddingCache(Optional.of(dir));
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            float[][] first = cache.embed(encoder, texts);
            assertFalse(cache.lastHit());
            Path file = dir.resolve(Encoders.DEFAULT_ID).resolve(EmbeddingCache.key(texts) + ".safetensors");
            assertTrue(Files.isRegularFile(file));
            float[][] second = cache.embed(encoder, texts);
            assertTrue(cache.lastHit());
            assertArrayEquals(first, second);
            assertArrayEquals(encoder.embed(texts), second, "equal to a fresh computation");

            Files.write(file, new byte[] {1, 2, 3});
            assertArrayEquals(first, cache.embed(encoder, texts));
            assertFalse(cache.lastHit(), "a damaged file is recomputed");
            assertNotEquals(EmbeddingCache.key(texts), EmbeddingCache.key(texts.subList(0, 2)));
        }
    }

    @Test
    void aConcatenationIsCachedPerPart() {
        List<String> texts = List.of("lost card");
        EmbeddingCache cache = new EmbeddingCache(Optional.of(dir));
        try (Encoder pair = ConcatEncoder.load(Encoders.DEFAULT_ID + "+" + Encoders.DEFAULT_ID, 1)) {
            float[][] x = cache.embed(pair, texts);
            assertEquals(768, x[0].length);
            assertTrue(Files.isDirectory(dir.resolve(Encoders.DEFAULT_ID)));
            assertFalse(Files.exists(dir.resolve(pair.info().id())));
            assertArrayEquals(pair.embed(texts), x);
            cache.embed(pair, texts);
            assertTrue(cache.lastHit());
        }
    }
}
