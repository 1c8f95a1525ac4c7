package dev.switchboard.runtime;

import dev.switchboard.models.CombinedExtractor;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.PatternExtractor;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.IndexOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiling routes against real components (registry models served from the shipped {@code models/}):
 * every missing piece is named with its file and field.
 */
class RouteRegistryTest {

    private static final Path HOME = Path.of(System.getProperty("switchboard.home", "..")).toAbsolutePath().normalize();

    @TempDir
    static Path tmp;
    private static Encoder encoder;
    private static KnowledgeCollections collections;

    @BeforeAll
    static void setUp() throws IOException {
        encoder = Encoders.load(Encoders.DEFAULT_ID, 1);
        Path help = Files.createDirectories(tmp.resolve("knowledge/help"));
        Files.writeString(help.resolve("freeze.md"), "# Freezing\n\nTap Cards > Freeze card to freeze your card.\n");
        collections = KnowledgeCollections.open(tmp.resolve("knowledge"), tmp.resolve("data"), encoder, IndexOptions.defaults());
        collections.base().create(CollectionId.of("acme", "faq"));
    }

    @AfterAll
    static void tearDown() {
        collections.close();
        encoder.close();
    }

    private ModelServing serving;

    @BeforeEach
    void openServing() {
        serving = new ModelServing(ModelRegistry.open(HOME.resolve(ModelRegistry.DEFAULT_ROOT)), encoder, tmp.resolve("logs"));
    }

    @AfterEach
    void closeServing() {
        serving.close();
    }

    private RouteRegistry compile(String yaml, RuntimeSettings.GeneratorSettings generator) {
        RouteDefinition d = RouteParser.parse("routes/t.yaml", "t", yaml + "escalation: { message: Bye }\n");
        return RouteRegistry.compile(List.of(d), HOME, encoder, collections, new GeneratorFactory(generator, encoder), serving);
    }

    private String error(String yaml) {
        return assertThrows(RouteConfigException.class,
                () -> compile(yaml, RuntimeSettings.GeneratorSettings.extractive())).getMessage();
    }

    @Test
    void compilesAValidRouteWithTheComponentsOfItsSteps() {
        Route route = compile("""
                steps:
                  - extract: { types: [money] }
                  - retrieve: { collection: help }
                  - answer: { generator: default }
                """, RuntimeSettings.GeneratorSettings.extractive()).get("t").orElseThrow();

        assertNull(route.classifier());
        assertNotNull(route.extractor());
        assertNotNull(route.index());
        assertEquals("extractive", route.generator().id());
        assertEquals(1, route.index().chunkCount());
    }

    @Test
    void namesAnUnknownCollectionAndListsTheKnownOnes() {
        assertEquals("routes/t.yaml: steps[0].retrieve.collection: no knowledge collection 'faq' for tenant 'default'; known: help",
                error("steps:\n  - retrieve: { collection: faq }\n"));
        assertEquals("routes/t.yaml: steps[0].retrieve.collection: no knowledge collection 'help' for tenant 'acme'; known: faq",
                error("steps:\n  - retrieve: { tenant: acme, collection: help }\n"));
        assertEquals("routes/t.yaml: steps[0].retrieve.collection: no knowledge collection 'faq' for tenant 'other'; known: none",
                error("steps:\n  - retrieve: { tenant: other, collection: faq }\n"));
    }

    @Test
    void resolvesACollectionOfAnotherTenantAndKnowsWhichRoutesUseIt() {
        RouteRegistry routes = compile("steps:\n  - retrieve: { tenant: acme, collection: faq }\n",
                RuntimeSettings.GeneratorSettings.extractive());

        assertEquals(0, routes.get("t").orElseThrow().index().chunkCount());
        assertEquals(List.of("t"), routes.routesUsing(CollectionId.of("acme", "faq")));
        assertEquals(List.of(), routes.routesUsing(CollectionId.of("default", "help")));
    }

    @Test
    void namesAMissingModelFolder() {
        assertEquals("routes/t.yaml: steps[0].classify.model: model folder " + HOME.resolve("models/intent/none/v9")
                        + " does not exist",
                error("steps:\n  - classify: { model: models/intent/none/v9 }\n"));
    }

    @Test
    void namesAnUnknownEntityType() {
        String message = error("steps:\n  - extract: { types: [money, shoe_size] }\n");
        assertTrue(message.startsWith("routes/t.yaml: steps[0].extract.types: "), message);
        assertTrue(message.contains("shoe_size"), message);
    }

    @Test
    void refusesTheOpenAiGeneratorWithoutItsServer() {
        assertEquals("routes/t.yaml: steps[1].answer.generator: the openai generator needs switchboard.generator.openai.base-url",
                error("steps:\n  - retrieve: { collection: help }\n  - answer: { generator: openai }\n"));
    }

    @Test
    void refusesEscalationIntentsTheModelDoesNotKnow() {
        String message = error("""
                steps:
                  - classify: { model: models/intent/banking77/v1 }
                escalate_intents: [lost_or_stolen_card, shoe_size]
                """);
        assertTrue(message.startsWith("routes/t.yaml: escalate_intents[1]: 'shoe_size' is not a label of "), message);
    }

    @Test
    void mergesARegistrySlotTaggerServedHotSwappablyWithTheRecognizers() {
        Route route = compile("steps:\n  - extract: { model: slots/restaurant8k }\n",
                RuntimeSettings.GeneratorSettings.extractive()).get("t").orElseThrow();
        var served = assertInstanceOf(ServedTagger.WithPatterns.class, route.extractor());
        assertEquals(PatternExtractor.knownTypes(), served.patterns().types());
        ModelId id = ModelId.parse("slots/restaurant8k");
        assertSame(served.tagger(), serving.find(id).orElseThrow(), "the runtime's served model, watched and admin-listed");
        assertEquals(serving.registry().serving(id), served.pin().version().version());

        assertMergesModelAndPatterns(route);
        assertEquals(1, served.tagger().versions().live().latency().count(), "each call is timed");
    }

    @Test
    void mergesASlotTaggerFolderWithoutServingIt() {
        Route route = compile("steps:\n  - extract: { model: models/slots/restaurant8k/v1 }\n",
                RuntimeSettings.GeneratorSettings.extractive()).get("t").orElseThrow();
        var combined = assertInstanceOf(CombinedExtractor.class, route.extractor());
        assertEquals("restaurant8k", combined.tagger().manifest().name());
        assertEquals(List.of(), serving.all(), "a folder is pinned, not served from the registry");
        assertMergesModelAndPatterns(route);
    }

    private static void assertMergesModelAndPatterns(Route route) {
        var entities = route.extractor().extract("a table for 4 people tomorrow, my email is jo@x.io");
        assertTrue(entities.stream().anyMatch(e -> e.type().equals("people") && e.source().equals("model")), entities.toString());
        assertTrue(entities.stream().anyMatch(e -> e.type().equals("email") && e.source().equals("pattern")), entities.toString());
    }

    @Test
    void refusesOneRegistryModelAsBothAnIntentModelAndASlotTagger() {
        assertEquals("routes/t.yaml: steps[1].extract.model: model intent/banking77 is already served as an intent "
                        + "model (by a classify step)",
                error("steps:\n  - classify: { model: intent/banking77 }\n  - extract: { model: intent/banking77 }\n"));
    }

    @Test
    void refusesAnExtractModelOfAnotherKindOrUnknown() {
        assertEquals("routes/t.yaml: steps[0].extract.model: model intent/banking77 is of kind 'intent-classifier', "
                        + "an extract step needs a 'slot-tagger'",
                error("steps:\n  - extract: { model: intent/banking77 }\n"));
        String unknown = error("steps:\n  - extract: { model: slots/nope }\n");
        assertTrue(unknown.startsWith("routes/t.yaml: steps[0].extract.model: "), unknown);
        assertTrue(unknown.contains("slots/nope"), unknown);
        assertEquals("routes/t.yaml: steps[0].extract.model: model folder " + HOME.resolve("models/slots/none/v9")
                        + " does not exist",
                error("steps:\n  - extract: { model: models/slots/none/v9 }\n"));
    }
}
