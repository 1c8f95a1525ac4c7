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

    @Test
    void theRejectionRuleRoundTripsAndOlderManifestsHaveNone() throws Exception {
        ModelManifest manifest = sample("all-minilm-l6-v2-q", List.of("a", "oos")).withRejection(
                new ModelManifest.Rejection(ModelManifest.Rejection.COMBINED, -4.5, "oos", "max balanced accuracy",
                        Map.of(ModelManifest.Rejection.ENERGY, new ModelManifest.Rejection.Standardization(9.5, 1.25))));
        Path file = dir.resolve("manifest.json");
        manifest.write(file);
        assertEquals(manifest, ModelManifest.read(file));
        String json = Files.readString(file);
        assertTrue(json.contains("\"score\" : \"combined\""), json);

        // A manifest written before the field existed (no "rejection" key) reads with none.
        Files.writeString(file, json.substring(0, json.indexOf(",\n  \"rejection\"")) + "\n}\n");
        assertEquals(null, ModelManifest.read(file).rejection());
        assertEquals(manifest.withRejection(null), ModelManifest.read(file));
    }

    @Test
    void validatesTheRejectionRule() {
        assertEquals("rejection.score must be one of [max_probability, energy, centroid] or 'combined', got 'knn'",
                assertThrows(IllegalArgumentException.class, () -> new ModelManifest.Rejection("knn", 0.5, null, "x")).getMessage());
        assertEquals("rejection.components must be given for, and only for, the 'combined' score",
                assertThrows(IllegalArgumentException.class, () -> new ModelManifest.Rejection("combined", 0.5, null, "x"))
                        .getMessage());
        assertEquals("a standardisation needs a finite mean and std > 0, got 0.0 and 0.0", assertThrows(
                IllegalArgumentException.class, () -> new ModelManifest.Rejection.Standardization(0, 0)).getMessage());
        assertEquals("rejection.threshold must be finite, got NaN", assertThrows(IllegalArgumentException.class,
                () -> new ModelManifest.Rejection("energy", Double.NaN, null, "x")).getMessage());
        assertEquals("rejection.outOfScopeLabel 'oos' is not one of the labels", assertThrows(IllegalArgumentException.class,
                () -> sample("e", List.of("a", "b")).withRejection(new ModelManifest.Rejection("energy", 1, "oos", "x")))
                .getMessage());
    }
}
