package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.TokenEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStatesTest {

    private static final List<String> TEXTS = List.of("where is my card", "lost card");

    @TempDir
    Path dir;

    /** The cache file names of earlier versions, so that caches already on disk still hit. */
    @Test
    void cacheKeysStayAsTheFilesOnDiskAreNamed() {
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            assertEquals("c948d09e5137a614", TokenStates.key(encoder, TEXTS));
        }
        assertEquals("31938e20a794c98a8efc3f7e340acd16", EmbeddingCache.key(TEXTS));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb924", EmbeddingCache.key(List.of()));
    }

    @Test
    void theSecondCallReadsTheSameStatesFromTheCacheFile() throws Exception {
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            List<TokenEncoding> first = TokenStates.encode(encoder, TEXTS, 2, dir);
            Path file = dir.resolve(Encoders.DEFAULT_ID + "-" + TokenStates.key(encoder, TEXTS) + ".tokens");
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "the cache file and no temporary file");
            }
            List<TokenEncoding> second = TokenStates.encode(encoder, TEXTS, 1, dir);
            List<TokenEncoding> fresh = TokenStates.encode(encoder, TEXTS, 1, null);
            for (int i = 0; i < TEXTS.size(); i++) {
                for (TokenEncoding e : List.of(second.get(i), fresh.get(i))) {
                    assertEquals(first.get(i).text(), e.text());
                    assertEquals(first.get(i).tokens(), e.tokens());
                    assertArrayEquals(first.get(i).starts(), e.starts());
                    assertArrayEquals(first.get(i).ends(), e.ends());
                    assertArrayEquals(first.get(i).words(), e.words());
                    assertArrayEquals(first.get(i).states(), e.states());
                }
            }
            assertTrue(first.get(0).size() > 0);
            Files.write(file, new byte[8]);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> TokenStates.encode(encoder, TEXTS, 1, dir))
                    .getMessage().contains("unknown format"), "the cache file is what is read");
        }
    }
}
