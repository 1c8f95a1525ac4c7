package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.SlotTagger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading slot tagger folders for extract steps: the shipped restaurant8k v1 on the runtime's MiniLM. */
class SlotTaggersTest {

    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path tmp;

    @Test
    void loadsATaggerOnTheRuntimeEncoderAndLeavesThatEncoderOpen() {
        SlotTaggers taggers = new SlotTaggers(encoder);
        SlotTagger tagger = taggers.load("models/slots/restaurant8k/v1", TestRegistry.HOME.resolve("models/slots/restaurant8k/v1"));
        assertEquals("restaurant8k", tagger.manifest().name());
        assertEquals(encoder.info().id(), tagger.manifest().encoder());
        taggers.close();
        assertTrue(tagger.extract("a table for 4 people").stream().anyMatch(e -> e.type().equals("people")),
                "the runtime encoder is shared, not closed with the taggers");
    }

    @Test
    void aTaggerOnAnotherEncoderTheRuntimeRunsSharesItInsteadOfLoadingIt() throws java.io.IOException {
        // The runtime's retrieval encoder under an id no Encoders.load knows: loading it would fail.
        Encoder retrieval = new Encoder() {
            @Override
            public dev.switchboard.models.EncoderInfo info() {
                var i = encoder.info();
                return new dev.switchboard.models.EncoderInfo("retrieval-test-encoder", i.dimension(), i.pooling(),
                        i.maxTokens(), i.queryPrefix());
            }

            @Override
            public float[][] embed(java.util.List<String> texts) {
                return encoder.embed(texts);
            }

            @Override
            public dev.switchboard.models.TokenEncoding encodeTokens(String text) {
                return encoder.encodeTokens(text);
            }

            @Override
            public void close() {
                throw new AssertionError("a shared encoder is not closed by the taggers");
            }
        };
        Path dir = tmp.resolve("v1");
        java.nio.file.Files.createDirectories(dir);
        Path shipped = TestRegistry.HOME.resolve("models/slots/restaurant8k/v1");
        java.nio.file.Files.copy(shipped.resolve(SlotTagger.MODEL_FILE), dir.resolve(SlotTagger.MODEL_FILE));
        java.nio.file.Files.writeString(dir.resolve(SlotTagger.MANIFEST_FILE), java.nio.file.Files.readString(
                shipped.resolve(SlotTagger.MANIFEST_FILE)).replace("\"all-minilm-l6-v2-q\"", "\"retrieval-test-encoder\""));

        SlotTaggers taggers = new SlotTaggers(java.util.List.of(encoder, retrieval));
        SlotTagger tagger = taggers.load("slots/restaurant8k", dir);
        assertEquals("retrieval-test-encoder", tagger.manifest().encoder());
        assertTrue(tagger.extract("a table for 4 people").stream().anyMatch(e -> e.type().equals("people")));
        taggers.close();
    }

    @Test
    void namesTheModelOfAFolderOfAnotherKindOrWithoutManifest() {
        SlotTaggers taggers = new SlotTaggers(encoder);
        var kind = assertThrows(IllegalArgumentException.class,
                () -> taggers.load("intent/banking77", TestRegistry.HOME.resolve("models/intent/banking77/v1")));
        assertEquals("model intent/banking77 is of kind 'intent-classifier', an extract step needs a 'slot-tagger'",
                kind.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> taggers.load("slots/empty", tmp));
        assertEquals("model slots/empty (" + tmp + ") has no manifest.json", empty.getMessage());
    }
}
