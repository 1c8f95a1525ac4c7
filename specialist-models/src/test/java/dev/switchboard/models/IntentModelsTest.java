package dev.switchboard.models;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading the shipped intent models of each kind through one call. */
class IntentModelsTest {

    private static final Path MODELS = Path.of(System.getProperty("switchboard.home", "..")).resolve("models/intent");

    @Test
    void loadsEachKindFromItsManifest() {
        Path cascade = MODELS.resolve("banking77-cascade/v1");
        Classifier tiny = IntentModels.load(cascade.resolve(CascadeClassifier.FAST_DIR), null);
        assertInstanceOf(NgramClassifier.class, tiny, "an n-gram model needs no encoder");
        assertEquals("lost_or_stolen_card", tiny.classify("I lost my card").label());
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID)) {
            Classifier c = IntentModels.load(cascade, encoder);
            CascadeClassifier cc = assertInstanceOf(CascadeClassifier.class, c);
            assertEquals("lost_or_stolen_card", c.classify("I lost my card").label());
            assertEquals(1, cc.classifiedCount());
            assertInstanceOf(IntentClassifier.class, IntentModels.load(MODELS.resolve("banking77/v2"), encoder));
        }
    }

    @Test
    void refusesOtherKindsAndAMissingEncoder() {
        var slots = assertThrows(IllegalArgumentException.class,
                () -> IntentModels.load(MODELS.resolveSibling("slots/snips_bio/v1"), null));
        assertTrue(slots.getMessage().endsWith("is a 'slot-tagger', not a single-label intent model (kinds: "
                + "intent-classifier, intent-ngram, intent-cascade)"), slots.getMessage());
        var noEncoder = assertThrows(IllegalArgumentException.class,
                () -> IntentModels.load(MODELS.resolve("banking77-cascade/v1"), null));
        assertTrue(noEncoder.getMessage().endsWith("(intent-cascade) needs the encoder all-minilm-l6-v2-q"),
                noEncoder.getMessage());
        var none = assertThrows(IllegalArgumentException.class, () -> IntentModels.load(MODELS.resolve("nope/v1"), null));
        assertTrue(none.getMessage().endsWith("has no manifest.json"), none.getMessage());
    }
}
