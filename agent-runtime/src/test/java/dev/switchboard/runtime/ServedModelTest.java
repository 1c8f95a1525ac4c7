package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.Prediction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hot swap, failed loads and shadow scoring on copies of the shipped BANKING77 versions and cascade. */
class ServedModelTest {

    private static final Path HOME = Path.of(System.getProperty("switchboard.home", "..")).toAbsolutePath().normalize();
    private static final ModelId BANKING = ModelId.parse("intent/banking77");
    private static final ModelId CASCADE = ModelId.parse("intent/banking77-cascade");
    private static final List<String> MESSAGES = List.of("I lost my card, my email is jane.doe@example.com",
            "how do I top up by bank transfer?", "my card 4111 1111 1111 1111 was charged twice",
            "what is the exchange rate?", "can I get a virtual card?", "my PIN is blocked",
            "why was I charged extra?", "what should I do now?", "my money is gone");
    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path root;
    private ModelRegistry registry;
    private JsonlAppender logs;

    @BeforeEach
    void copyVersions() throws IOException {
        for (String v : List.of("v1", "v2")) {
            Path to = Files.createDirectories(root.resolve("intent/banking77").resolve(v));
            for (String f : List.of("manifest.json", "head.safetensors")) {
                Files.copy(HOME.resolve("models/intent/banking77").resolve(v).resolve(f), to.resolve(f));
            }
        }
        registry = ModelRegistry.open(root);
        registry.promote(BANKING, "v2", "test", "pin");
        logs = new JsonlAppender(root.resolve("logs"), "test-log");
    }

    @Test
    void aPromotionSwapsNewRequestsWhileAPinnedRequestKeepsItsVersion() {
        ServedModel served = ServedModel.open(BANKING, registry, encoder, logs);
        ServedModel.Pinned inFlight = served.pin();
        assertEquals("v2", inFlight.version());

        assertFalse(served.versions().refresh(), "nothing changed");
        registry.promote(BANKING, "v1", "test", "");
        assertTrue(served.versions().refresh());
        assertEquals("v1", served.live().version());
        assertEquals("v1", served.pin().manifest().version());
        // the request that started before the swap finishes on v2
        assertEquals("v2", inFlight.manifest().version());
        assertEquals("lost_or_stolen_card", inFlight.classify("I lost my card").label());

        HotSwap.Live<Classifier> back = served.versions().rollback("test", "");
        assertEquals("v2", back.version());
        assertEquals("v2", registry.serving(BANKING));
        assertEquals(0, served.live().latency().count(), "a freshly loaded version has no latency yet");
        served.pin().classify("how do I top up?");
        assertEquals(1, served.live().latency().count());
    }

    @Test
    void aVersionThatFailsToLoadLeavesTheOldOneServing() throws IOException {
        ServedModel served = ServedModel.open(BANKING, registry, encoder, logs);
        Path v3 = Files.createDirectories(root.resolve("intent/banking77/v3"));
        Files.copy(root.resolve("intent/banking77/v1/manifest.json"), v3.resolve("manifest.json"));
        Files.write(v3.resolve("head.safetensors"), new byte[] {1, 2, 3});
        // bypass the registry's validation, as a hand edit would
        Files.writeString(root.resolve("intent/banking77/CURRENT"), "v3\n");
        assertFalse(served.versions().refresh());
        assertEquals("v2", served.live().version());
        String error = served.versions().lastError();
        assertTrue(error.startsWith("intent/banking77 v3 not loaded, v2 keeps serving: "), error);

        var refused = assertThrows(ModelRegistry.RegistryException.class, () -> served.versions().promote("v3", "test", ""));
        assertEquals(ModelRegistry.Problem.INVALID, refused.problem());
        assertEquals("v2", served.live().version());

        Files.writeString(root.resolve("intent/banking77/CURRENT"), "v1\n");
        assertTrue(served.versions().refresh());
        assertNull(served.versions().lastError());
    }

    @Test
    void servesACascadeAndSaysWhichMemberAnswered() throws IOException {
        TestRegistry.copyTree(HOME.resolve("models/intent/banking77-cascade/v1"), root.resolve("intent/banking77-cascade/v1"));
        ServedModel served = ServedModel.open(CASCADE, registry, encoder, logs);
        CascadeClassifier cascade = assertInstanceOf(CascadeClassifier.class, served.live().model());
        int up = 0;
        for (String text : MESSAGES) {
            ServedModel.Pinned pin = served.pin();
            Prediction p = pin.classify(text);
            boolean escalates = cascade.escalates(cascade.fast().classify(text));
            up += escalates ? 1 : 0;
            assertEquals(escalates, pin.escalated(p), text);
            assertEquals(escalates ? cascade.large().classify(text) : cascade.fast().classify(text), p, text);
            assertNull(pin.escalated(cascade.fast().classify(text)), "only the pin's own predictions are known");
        }
        assertTrue(up > 0 && up < MESSAGES.size(), "the messages must reach both members: " + up + " escalated");
        assertEquals("lost_or_stolen_card", served.pin().classify("I lost my card").label());
        assertEquals(MESSAGES.size() + 1, served.live().latency().count());
        assertEquals(MESSAGES.size() + 1, cascade.classifiedCount());
        assertEquals(up, cascade.escalatedCount());
        assertEquals("banking77-cascade", served.manifest().name());
        served.close();
    }

    @Test
    void shadowScoresACascadeCandidateAgainstALiveCascade() throws IOException {
        Path model = root.resolve("intent/banking77-cascade");
        TestRegistry.copyTree(HOME.resolve("models/intent/banking77-cascade/v1"), model.resolve("v1"));
        // v2: the same weights with the labels shuffled alike in the cascade's and both members' manifests
        TestRegistry.copyTree(model.resolve("v1"), model.resolve("v2"));
        List<String> shuffled = new ArrayList<>(registry.manifest(CASCADE, "v1").labels());
        Collections.shuffle(shuffled, new Random(7));
        for (String f : List.of("manifest.json", "fast/manifest.json", "large/manifest.json")) {
            Path file = model.resolve("v2").resolve(f);
            ModelManifest m = ModelManifest.read(file);
            new ModelManifest(m.kind(), m.name(), f.equals("manifest.json") ? "v2" : m.version(), m.encoder(), shuffled,
                    m.seed(), m.dataset(), m.metrics(), m.teacher(), m.parentVersion(), m.codeVersion(), m.created(),
                    m.parameters(), m.rejection()).write(file);
        }
        registry.promote(CASCADE, "v1", "test", "pin");

        ServedModel served = ServedModel.open(CASCADE, registry, encoder, logs);
        served.shadow("v2");
        for (String text : MESSAGES) {
            ServedModel.Pinned p = served.pin();
            assertEquals("v1", p.manifest().version(), "the shadow never serves");
            p.classify(text);
        }
        served.awaitShadow();
        ServedModel.ShadowStats stats = served.shadowStats();
        assertEquals(MESSAGES.size(), stats.scored());
        assertTrue(stats.agreed() < stats.scored(), "shuffled labels disagree");
        List<String> lines = Files.readAllLines(root.resolve("logs/shadow-banking77-cascade.jsonl"));
        assertEquals(stats.scored() - stats.agreed(), lines.size());
        assertFalse(String.join("\n", lines).contains("jane.doe@example.com"));
        assertEquals("v2", new ObjectMapper().readTree(lines.get(0)).get("shadow_version").asText());
        served.close();
    }

    @Test
    void shadowScoresLiveTrafficAndLogsDisagreementsAnonymised() throws IOException {
        // v3: v1's weights with its labels shuffled, so that it disagrees with the live version on most messages
        ModelManifest m1 = registry.manifest(BANKING, "v1");
        List<String> shuffled = new ArrayList<>(m1.labels());
        Collections.shuffle(shuffled, new Random(7));
        Path v3 = Files.createDirectories(root.resolve("intent/banking77/v3"));
        Files.copy(root.resolve("intent/banking77/v1/head.safetensors"), v3.resolve("head.safetensors"));
        new ModelManifest(m1.kind(), m1.name(), "v3", m1.encoder(), shuffled, m1.seed(), m1.dataset(), m1.metrics(),
                m1.teacher(), "v1", m1.codeVersion(), m1.created(), m1.parameters(), m1.rejection())
                .write(v3.resolve("manifest.json"));

        ServedModel served = ServedModel.open(BANKING, registry, encoder, logs);
        served.shadow("v3");
        List<String> messages = List.of("I lost my card, my email is jane.doe@example.com",
                "how do I top up by bank transfer?", "my card 4111 1111 1111 1111 was charged twice",
                "what is the exchange rate?", "can I get a virtual card?", "my PIN is blocked");
        for (String text : messages) {
            ServedModel.Pinned p = served.pin();
            assertEquals("v2", p.manifest().version(), "the shadow never serves");
            p.classify(text);
        }
        served.awaitShadow();
        ServedModel.ShadowStats stats = served.shadowStats();
        assertEquals("v3", stats.version());
        assertEquals(messages.size(), stats.scored());
        assertTrue(stats.agreed() < stats.scored(), "shuffled labels disagree");

        List<String> lines = Files.readAllLines(root.resolve("logs/shadow-banking77.jsonl"));
        assertEquals(stats.scored() - stats.agreed(), lines.size());
        String all = String.join("\n", lines);
        assertFalse(all.contains("jane.doe@example.com") || all.contains("4111"), all);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("v2", first.get("live_version").asText());
        assertEquals("v3", first.get("shadow_version").asText());
        assertTrue(first.get("live").has("intent") && first.get("shadow").has("out_of_scope"));

        served.shadow(null);
        assertNull(served.shadowStats());
        served.close();
    }
}
