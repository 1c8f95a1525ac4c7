package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiLabelClassifierTest {

    private static final List<String> LABELS = List.of("lost_card", "exchange_rate");
    private static Encoder encoder;
    private static IntentModel model;

    /** Sigmoid head: z_k = 20·cos(text, prototype_k) - 10, thresholds 0.5. */
    @BeforeAll
    static void build() {
        encoder = Encoders.load(Encoders.DEFAULT_ID, 2);
        float[][] w = {scale(encoder.embed("I lost my card"), 20), scale(encoder.embed("what is the exchange rate"), 20)};
        model = IntentModel.of(ClassifierHead.of(List.of(new ClassifierHead.Layer(w, new float[] {-10, -10})), 1.0), null, null, 0,
                new float[] {0.5f, 0.5f});
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private static float[] scale(float[] v, float s) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return out;
    }

    private static ModelManifest manifest(String kind) {
        return new ModelManifest(kind, "nlu", "v1", Encoders.DEFAULT_ID, LABELS, 1,
                new ModelManifest.DatasetInfo("d", ModelManifestTest.SHA, 1, 1, 0), Map.of(), null, null, "unknown",
                Instant.EPOCH, Map.of());
    }

    @Test
    void labelsAtOrAboveTheirThresholdAreOnAndNoneMeansOutOfScope(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("v1");
        Files.createDirectories(folder);
        manifest(MultiLabelClassifier.KIND).write(folder.resolve(IntentClassifier.MANIFEST_FILE));
        model.write(folder.resolve(IntentClassifier.HEAD_FILE));
        MultiLabelClassifier classifier = MultiLabelClassifier.load(folder, encoder);

        MultiLabelPrediction lost = classifier.classifyLabels("I have lost my card");
        assertEquals(List.of("lost_card"), lost.names());
        assertEquals(2, lost.ranking().size());
        double[] p = model.probabilities(encoder.embed("I have lost my card"), null);
        assertEquals(p[0], lost.ranking().get(0).score(), 1e-9);

        MultiLabelPrediction none = classifier.classifyLabels("play some jazz music");
        assertEquals(List.of(), none.names());
        Prediction single = classifier.classify("play some jazz music");
        assertTrue(single.outOfScope(), "no label on");
        assertEquals(List.of(none.names()), classifier.classifyLabelsAll(List.of("play some jazz music")).stream()
                .map(MultiLabelPrediction::names).toList());
    }

    @Test
    void singleAndMultiLabelModelsAreNotMixedUp() {
        assertEquals("the model is multi-label (it has per-label thresholds); load it with MultiLabelClassifier",
                assertThrows(IllegalArgumentException.class,
                        () -> IntentClassifier.of(manifest(IntentClassifier.KIND), model, encoder)).getMessage());
        assertEquals("manifest kind is 'intent-classifier', expected 'multi-label-intent-classifier'",
                assertThrows(IllegalArgumentException.class,
                        () -> MultiLabelClassifier.of(manifest(IntentClassifier.KIND), model, encoder)).getMessage());
    }
}
