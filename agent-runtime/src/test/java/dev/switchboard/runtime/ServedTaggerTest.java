package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Entity;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.PatternExtractor;
import dev.switchboard.models.SlotTagger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A registry slot tagger served hot-swappably, on copies of the shipped restaurant8k v1: v1, and v2 with the
 * same weights (a manifest of its own), so that only the version tells which one answered.
 */
class ServedTaggerTest {

    private static final ModelId SLOTS = ModelId.parse("slots/restaurant8k");
    private static final Path SHIPPED = TestRegistry.HOME.resolve("models/slots/restaurant8k/v1");
    private static final String MESSAGE = "a table for 4 people tomorrow at 7pm, my email is jo@x.io";
    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path root;
    private ModelRegistry registry;
    private SlotTaggers taggers;

    @BeforeEach
    void copyVersions() throws IOException {
        Path model = root.resolve("slots/restaurant8k");
        TestRegistry.version(SHIPPED, model.resolve("v1"), m -> m);
        TestRegistry.version(SHIPPED, model.resolve("v2"), m -> TestRegistry.withMetric(m, "validation_f1", 0.5));
        registry = ModelRegistry.open(root);
        registry.promote(SLOTS, "v1", "test", "pin");
        taggers = new SlotTaggers(encoder);
    }

    @Test
    void aPromotionServesNewRequestsWhileAPinnedRequestFinishesOnItsVersion() {
        ServedTagger served = ServedTagger.open(SLOTS, registry, taggers);
        ServedTagger.WithPatterns step = served.with(PatternExtractor.of(List.of("email")));
        ServedTagger.Pinned inFlight = step.pin();
        assertEquals("v1", inFlight.version().version());

        HotSwap.Live<SlotTagger> v2 = served.versions().promote("v2", "test", "");
        assertEquals("v2", registry.serving(SLOTS));
        assertEquals(0.5, v2.manifest().metrics().get("validation_f1"));
        assertEquals("v2", step.pin().version().version());

        List<Entity> entities = inFlight.extract(MESSAGE);
        assertEquals(1, inFlight.version().latency().count(), "the request that started on v1 finished on v1");
        assertEquals(0, v2.latency().count());
        assertTrue(entities.stream().anyMatch(e -> e.type().equals("people") && e.source().equals(SlotTagger.SOURCE)),
                entities.toString());
        assertTrue(entities.stream().anyMatch(e -> e.type().equals("email") && e.source().equals("pattern")),
                entities.toString());
        assertEquals(entities, step.extract(MESSAGE), "v2 has v1's weights");
        assertEquals(1, v2.latency().count());
    }

    @Test
    void aBrokenVersionOrOneOfAnotherKindIsNotSwappedInAndLastErrorSaysWhy() throws IOException {
        Path model = root.resolve("slots/restaurant8k");
        TestRegistry.breakWeights(TestRegistry.version(SHIPPED, model.resolve("v3"), m -> m), SlotTagger.MODEL_FILE);
        TestRegistry.version(TestRegistry.HOME.resolve("models/intent/banking77/v1"), model.resolve("v4"), m -> m);
        ServedTagger served = ServedTagger.open(SLOTS, registry, taggers);

        var refused = assertThrows(ModelRegistry.RegistryException.class, () -> served.versions().promote("v3", "test", ""));
        assertTrue(refused.getMessage().startsWith("slots/restaurant8k v3 cannot serve: corrupt weights: "), refused.getMessage());
        // the watcher meets versions a hand edit of CURRENT points at, unvalidated
        Files.writeString(model.resolve("CURRENT"), "v3\n");
        assertFalse(served.versions().refresh());
        String broken = served.versions().lastError();
        assertTrue(broken.startsWith("slots/restaurant8k v3 not loaded, v1 keeps serving: cannot load "), broken);

        Files.writeString(model.resolve("CURRENT"), "v4\n");
        assertFalse(served.versions().refresh());
        assertEquals("slots/restaurant8k v4 not loaded, v1 keeps serving: model slots/restaurant8k is of kind "
                + "'intent-classifier', an extract step needs a 'slot-tagger'", served.versions().lastError());
        assertEquals("v1", served.versions().live().version());
        assertEquals("v1", served.with(PatternExtractor.all()).pin().version().version());

        Files.writeString(model.resolve("CURRENT"), "v2\n");
        assertTrue(served.versions().refresh());
        assertNull(served.versions().lastError());
    }

    @Test
    void theExtractTraceNamesTheSlotModelAndTheVersionThatServed() {
        ServedTagger served = ServedTagger.open(SLOTS, registry, taggers);
        RouteDefinition d = RouteParser.parse("routes/booking.yaml", "booking", """
                steps:
                  - extract: { model: slots/restaurant8k, types: [email] }
                escalation: { message: Bye }
                """);
        Route route = new Route(d, null, served.with(PatternExtractor.of(List.of("email"))), null, null);

        TraceStep before = AgentPipeline.run(route, MESSAGE, List.of()).trace().get(0);
        served.versions().promote("v2", "test", "");
        TraceStep after = AgentPipeline.run(route, MESSAGE, List.of()).trace().get(0);

        assertEquals("extract", before.step());
        assertEquals("restaurant8k v1 + pattern", before.model());
        assertEquals("slots/restaurant8k", before.details().get("slot_model"));
        assertEquals("v1", before.details().get("slot_version"));
        assertEquals("restaurant8k v2 + pattern", after.model());
        assertEquals("v2", after.details().get("slot_version"));
    }

    @Test
    void aModelOfAnotherKindDoesNotOpen() throws IOException {
        TestRegistry.version(TestRegistry.HOME.resolve("models/intent/banking77/v1"),
                root.resolve("intent/banking77/v1"), m -> m);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ServedTagger.open(ModelId.parse("intent/banking77"), registry, taggers));
        assertEquals("model intent/banking77 is of kind 'intent-classifier', an extract step needs a 'slot-tagger'",
                e.getMessage());
    }
}
