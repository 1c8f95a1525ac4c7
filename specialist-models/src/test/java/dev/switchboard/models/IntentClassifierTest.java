package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentClassifierTest {

    private static final List<String> LABELS = List.of("lost_or_stolen_card", "exchange_rate", "card_arrival");
    private static final List<List<String>> PROTOTYPES = List.of(
            List.of("I lost my card", "My card was stolen"),
            List.of("What is the exchange rate?", "How much is one euro in dollars?"),
            List.of("My new card has not arrived yet", "When will my card be delivered?"));

    private static Encoder encoder;
    private static ClassifierHead head;

    @TempDir
    Path dir;

    /** A nearest-centroid head built from real embeddings: row k = 20 * mean embedding of label k. */
    @BeforeAll
    static void load() {
        encoder = Encoders.load(Encoders.DEFAULT_ID, 2);
        float[][] weight = new float[LABELS.size()][];
        for (int k = 0; k < LABELS.size(); k++) {
            float[][] e = encoder.embed(PROTOTYPES.get(k));
            weight[k] = new float[e[0].length];
            for (int i = 0; i < weight[k].length; i++) {
                weight[k][i] = 10 * (e[0][i] + e[1][i]);
            }
        }
        head = ClassifierHead.of(List.of(new ClassifierHead.Layer(weight, new float[LABELS.size()])), 1.0);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    private Path writeModel(String encoderId, List<String> labels) {
        Path model = dir.resolve("demo").resolve("v1");
        try {
            Files.createDirectories(model);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ModelManifestTest.sample(encoderId, labels).write(model.resolve(IntentClassifier.MANIFEST_FILE));
        head.write(model.resolve(IntentClassifier.HEAD_FILE));
        return model;
    }

    @Test
    void loadedModelClassifiesParaphrasesWithCalibratedRanking() {
        IntentClassifier classifier = IntentClassifier.load(writeModel(Encoders.DEFAULT_ID, LABELS), encoder);
        assertEquals(LABELS, classifier.labels());
        assertEquals("demo", classifier.manifest().name());

        Prediction stolen = classifier.classify("Someone took my wallet with my bank card in it");
        assertEquals("lost_or_stolen_card", stolen.label());
        Prediction rate = classifier.classify("how many dollars do I get for 100 euros?");
        assertEquals("exchange_rate", rate.label());

        double[] p = head.probabilities(encoder.embed("how many dollars do I get for 100 euros?"));
        assertEquals(p[1], rate.confidence(), 1e-9);
        assertEquals(LABELS.size(), rate.ranking().size());
        double sum = rate.ranking().stream().mapToDouble(ScoredLabel::score).sum();
        assertEquals(1.0, sum, 1e-9, "all three labels are ranked, so their probabilities sum to 1");
    }

    @Test
    void classifyAllAgreesWithClassify() {
        IntentClassifier classifier = IntentClassifier.load(writeModel(Encoders.DEFAULT_ID, LABELS), encoder);
        List<String> texts = List.of("card still not here after two weeks", "I think my card was stolen", "rates?");
        List<Prediction> batch = classifier.classifyAll(texts);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Prediction one = classifier.classify(texts.get(i));
            assertEquals(one.label(), batch.get(i).label());
            assertEquals(one.confidence(), batch.get(i).confidence(), 1e-4);
            labels.add(one.label());
        }
        assertEquals(List.of("card_arrival", "lost_or_stolen_card", "exchange_rate"), labels);
    }

    @Test
    void loadNamesWhatIsWrong() throws Exception {
        Path model = writeModel("bge-small-en-v15-q", LABELS);
        assertEquals("cannot load " + model + ": model demo/v3 was trained on encoder bge-small-en-v15-q but "
                + "all-minilm-l6-v2-q is loaded",
                assertThrows(IllegalArgumentException.class, () -> IntentClassifier.load(model, encoder)).getMessage());

        Path twoLabels = writeModel(Encoders.DEFAULT_ID, List.of("a", "b"));
        assertEquals("cannot load " + twoLabels + ": the head has 3 outputs but the manifest lists 2 labels",
                assertThrows(IllegalArgumentException.class, () -> IntentClassifier.load(twoLabels, encoder)).getMessage());

        Files.delete(model.resolve(IntentClassifier.HEAD_FILE));
        assertEquals("model folder " + model + " has no head.safetensors",
                assertThrows(IllegalArgumentException.class, () -> IntentClassifier.load(model, encoder)).getMessage());
        Files.delete(model.resolve(IntentClassifier.MANIFEST_FILE));
        assertEquals("model folder " + model + " has no manifest.json",
                assertThrows(IllegalArgumentException.class, () -> IntentClassifier.load(model, encoder)).getMessage());

        Path nameFolder = model.getParent();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IntentClassifier.load(nameFolder, encoder))
                .getMessage().endsWith("(it holds versions [v1]; pass a version folder such as " + model + ")"));
    }

    @Test
    void rejectsEmbeddingsOfTheWrongSize() {
        IntentClassifier classifier = IntentClassifier.load(writeModel(Encoders.DEFAULT_ID, LABELS), encoder);
        assertEquals("input has 3 values, the head expects 384", assertThrows(IllegalArgumentException.class,
                () -> classifier.classifyEmbedding(new float[3])).getMessage());
    }
}
