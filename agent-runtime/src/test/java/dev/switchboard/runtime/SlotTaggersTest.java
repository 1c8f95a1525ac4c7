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
