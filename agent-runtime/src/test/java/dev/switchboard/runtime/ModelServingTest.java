package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Intent models and slot taggers served side by side, on copies of the shipped BANKING77 and restaurant8k v1. */
class ModelServingTest {

    private static final ModelId BANKING = ModelId.parse("intent/banking77");
    private static final ModelId SLOTS = ModelId.parse("slots/restaurant8k");
    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path root;
    private ModelRegistry registry;
    private ModelServing serving;

    @BeforeEach
    void copyVersions() throws IOException {
        for (String v : List.of("v1", "v2")) {
            TestRegistry.version(TestRegistry.HOME.resolve("models/intent/banking77/v1"), root.resolve("intent/banking77/" + v),
                    m -> m);
            TestRegistry.version(TestRegistry.HOME.resolve("models/slots/restaurant8k/v1"),
                    root.resolve("slots/restaurant8k/" + v), m -> m);
        }
        registry = ModelRegistry.open(root);
        registry.promote(BANKING, "v1", "test", "pin");
        registry.promote(SLOTS, "v1", "test", "pin");
        serving = new ModelServing(registry, encoder, root.resolve("logs"));
    }

    @AfterEach
    void close() {
        serving.close();
    }

    @Test
    void servesBothKindsOncePerModelAndTheWatcherRefreshesBoth() {
        ServedModel intent = serving.serve(BANKING);
        ServedTagger tagger = serving.tagger(SLOTS);
        assertSame(tagger, serving.tagger(SLOTS), "one served model however many steps name it");
        assertEquals(List.of(BANKING, SLOTS), serving.all().stream().map(Served::id).toList());
        assertInstanceOf(ServedTagger.class, serving.find(SLOTS).orElseThrow());

        registry.promote(BANKING, "v2", "cli", "");
        registry.promote(SLOTS, "v2", "cli", "");
        serving.refreshAll();
        assertEquals("v2", intent.live().version());
        assertEquals("v2", tagger.versions().live().version());

        var clash = assertThrows(IllegalArgumentException.class, () -> serving.serve(SLOTS));
        assertEquals("model slots/restaurant8k is already served as a slot tagger (by an extract step)", clash.getMessage());
    }

    @Test
    void shadowModeIsForIntentModelsOnly() {
        ServedModel intent = serving.serve(BANKING);
        serving.tagger(SLOTS);
        var refused = assertThrows(IllegalArgumentException.class, () -> serving.applyShadow("slots/restaurant8k@v2"));
        assertEquals("switchboard.intent.shadow 'slots/restaurant8k@v2': shadow mode scores intent models only; "
                + "slots/restaurant8k is a slot tagger", refused.getMessage());
        assertNull(intent.shadowStats());

        serving.applyShadow("v2"); // a bare version: every served intent model, no slot tagger
        assertEquals("v2", intent.shadowStats().version());
    }
}
