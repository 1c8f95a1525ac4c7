package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelManifestTest {

    static final String SHA = "ab".repeat(32);

    @TempDir
    Path dir;

    static ModelManifest sample(String encoder, List<String> labels) {
        return new ModelManifest("intent-classifier", "demo", "v3", encoder, labels, 42,
                new ModelManifest.DatasetInfo("../shared/datasets/demo", SHA, 100, 10, 5),
                Map.of("validation_accuracy", 0.875), null, null, "unknown", Instant.parse("2026-11-22T05:00:00.123Z"),
                Map.of("epochs", 12, "learning_rate", 0.005, "optimizer", "adam", "calibrated", true));
    }

    @Test
    void writeThenReadGivesAnEqualManifest() throws Exception {
        ModelManifest manifest = sample("all-minilm-l6-v2-q", List.of("b", "a"));
        Path file = dir.resolve("manifest.json");
        manifest.write(file);
        assertEquals(manifest, ModelManifest.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"created\" : \"2026-11-22T05:00:00.123Z\""), json);
        assertTrue(json.contains("\"teacher\" : null"), json);
    }

    @Test
    void readNamesTheFileAndTheMissingField() throws Exception {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, "{\"kind\": \"intent-classifier\", \"name\": \"x\"}");
        assertEquals(file + ": field 'version' is missing",
                assertThrows(IllegalArgumentException.class, () -> ModelManifest.read(file)).getMessage());
        Files.writeString(file, "{not json");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelManifest.read(file)).getMessage()
                .startsWith(file + " is not valid JSON"));
        Path absent = dir.resolve("absent.json");
        assertEquals(absent + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> ModelManifest.read(absent)).getMessage());
    }

    @Test
    void validatesLabelsHashAndMetrics() {
        assertEquals("label 'a' appears twice", assertThrows(IllegalArgumentException.class,
                () -> sample("e", List.of("a", "a"))).getMessage());
        assertEquals("labels must not be empty", assertThrows(IllegalArgumentException.class,
                () -> sample("e", List.of())).getMessage());
        assertEquals("dataset.sha256 must be 64 lower-case hex digits, got 'xyz'", assertThrows(
                IllegalArgumentException.class, () -> new ModelManifest.DatasetInfo("d", "xyz", 1, 1, 1)).getMessage());
        assertEquals("metric 'loss' must be finite, got NaN", assertThrows(IllegalArgumentException.class,
                () -> new ModelManifest("k", "n", "v1", "e", List.of("a"), 1, new ModelManifest.DatasetInfo("d", SHA, 1, 0, 0),
                        Map.of("loss", Double.NaN), null, null, "unknown", Instant.EPOCH, Map.of())).getMessage());
    }
}
