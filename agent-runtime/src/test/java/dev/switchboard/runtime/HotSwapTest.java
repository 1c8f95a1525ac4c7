package dev.switchboard.runtime;

import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.SafeTensors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot-swap core on a registry of small synthetic versions: the "model" is the version's manifest, read by
 * a loader that fails for a folder holding a {@code BROKEN} file (weights that the registry accepts but the
 * kind's loader does not).
 */
class HotSwapTest {

    private static final ModelId FAKE = ModelId.parse("test/fake");

    @TempDir
    Path root;
    private ModelRegistry registry;
    private final List<Path> loads = new ArrayList<>();

    @BeforeEach
    void writeVersions() {
        version("v1", "test-model", List.of("a", "b"));
        version("v2", "test-model", List.of("b", "a"));
        registry = ModelRegistry.open(root);
        registry.promote(FAKE, "v1", "test", "pin");
    }

    private Path version(String version, String kind, List<String> labels) {
        Path dir = root.resolve("test/fake").resolve(version);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        new ModelManifest(kind, "fake", version, "none", labels, 1,
                new ModelManifest.DatasetInfo("data", "0".repeat(64), 1, 1, 1), Map.of(), null, null, "test",
                Instant.EPOCH, Map.of(), null).write(dir.resolve("manifest.json"));
        SafeTensors.of(Map.of("w", new SafeTensors.Tensor(new int[] {1}, new float[] {1f})), Map.of())
                .write(dir.resolve("w.safetensors"));
        return dir;
    }

    private HotSwap<ModelManifest> open() {
        return HotSwap.open(FAKE, registry, dir -> {
            loads.add(dir);
            if (Files.exists(dir.resolve("BROKEN"))) {
                throw new IllegalArgumentException("cannot load " + dir.getFileName() + ": broken on purpose");
            }
            return ModelManifest.read(dir.resolve("manifest.json"));
        }, m -> m);
    }

    private void pointAt(String version) throws IOException {
        Files.writeString(root.resolve("test/fake/CURRENT"), version + "\n"); // by hand: no validation
    }

    @Test
    void aRefreshSwapsInTheNewServingVersionWhileAnEarlierReaderKeepsItsOwn() {
        HotSwap<ModelManifest> h = open();
        HotSwap.Live<ModelManifest> inFlight = h.live();
        assertEquals("v1", inFlight.version());
        assertFalse(h.refresh(), "nothing changed");
        assertEquals(1, loads.size(), "an unchanged version is not loaded again");

        registry.promote(FAKE, "v2", "test", "");
        assertTrue(h.refresh());
        assertEquals("v2", h.live().version());
        assertEquals("v2", h.live().model().version());
        assertEquals("v1", inFlight.timed(ModelManifest::version), "the earlier reader finishes on v1");
        assertEquals(1, inFlight.latency().count(), "timed calls count in their own version's histogram");
        assertEquals(0, h.live().latency().count());
        assertNull(h.lastError());
    }

    @Test
    void aVersionThatFailsToLoadIsNotSwappedInNorRetriedUntilTheRegistryMovesOn() throws IOException {
        Files.createFile(version("v3", "test-model", List.of("a", "b")).resolve("BROKEN"));
        HotSwap<ModelManifest> h = open();
        pointAt("v3");
        assertFalse(h.refresh());
        assertEquals("v1", h.live().version());
        assertEquals("test/fake v3 not loaded, v1 keeps serving: cannot load v3: broken on purpose", h.lastError());
        int attempts = loads.size();
        assertFalse(h.refresh());
        assertEquals(attempts, loads.size(), "a version that failed is not loaded again every poll");

        pointAt("v1");
        assertFalse(h.refresh());
        assertNull(h.lastError(), "the registry names the live version again");
        pointAt("v3");
        assertFalse(h.refresh());
        assertEquals(attempts + 1, loads.size(), "named again after another version, v3 is tried again");
        pointAt("v2");
        assertTrue(h.refresh());
        assertNull(h.lastError());
    }

    @Test
    void aVersionOfAnotherKindOrLabelSetIsNotSwappedIn() throws IOException {
        version("v3", "other-model", List.of("a", "b"));
        version("v4", "test-model", List.of("a", "c"));
        HotSwap<ModelManifest> h = open();
        pointAt("v3");
        assertFalse(h.refresh());
        assertEquals("test/fake v3 not loaded, v1 keeps serving: test/fake v3 is a 'other-model' but the live v1 is a "
                + "'test-model'", h.lastError());
        pointAt("v4");
        assertFalse(h.refresh());
        assertEquals("test/fake v4 not loaded, v1 keeps serving: test/fake v4 has other labels than the live v1",
                h.lastError());
        assertEquals("v1", h.live().version());
    }

    @Test
    void promoteAndRollbackSwapOnlyWhatLoadsAndMoveTheRegistryWithIt() throws IOException {
        Files.createFile(version("v3", "test-model", List.of("a", "b")).resolve("BROKEN"));
        Path v4 = version("v4", "test-model", List.of("a", "b"));
        TestRegistry.breakWeights(v4, "w.safetensors");
        HotSwap<ModelManifest> h = open();

        HotSwap.Live<ModelManifest> next = h.promote("v2", "test", "");
        assertSame(next, h.live());
        assertEquals("v2", registry.serving(FAKE));

        var unloadable = assertThrows(IllegalArgumentException.class, () -> h.promote("v3", "test", ""));
        assertEquals("cannot load v3: broken on purpose", unloadable.getMessage());
        var refused = assertThrows(ModelRegistry.RegistryException.class, () -> h.promote("v4", "test", ""));
        assertEquals(ModelRegistry.Problem.INVALID, refused.problem());
        assertEquals("v2", h.live().version(), "nothing changes on a refusal");
        assertEquals("v2", registry.serving(FAKE));

        HotSwap.Live<ModelManifest> shadow = h.candidate("v1");
        assertEquals("v1", shadow.version());
        assertEquals("v2", h.live().version(), "a candidate is loaded, not served");

        assertEquals("v1", h.rollback("test", "").version());
        assertEquals("v1", h.live().version());
        assertEquals("v1", registry.serving(FAKE));
    }
}
