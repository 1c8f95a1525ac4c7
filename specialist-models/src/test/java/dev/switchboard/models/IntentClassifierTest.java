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

    /** The centroid head plus an "oos" row (zero weights, bias 6): unrelated texts score below it. */
    private Path writeModelWithOos(ModelManifest.Rejection rejection) throws java.io.IOException {
        List<ClassifierHead.Layer> layers = head.layers();
        float[][] w = layers.get(0).weight();
        float[][] weight = java.util.Arrays.copyOf(w, w.length + 1);
        weight[w.length] = new float[w[0].length];
        float[] bias = java.util.Arrays.copyOf(layers.get(0).bias(), w.length + 1);
        bias[w.length] = 6;
        List<String> labels = new ArrayList<>(LABELS);
        labels.add("oos");
        Path model = dir.resolve("oos").resolve("v1");
        Files.createDirectories(model);
        ModelManifestTest.sample(Encoders.DEFAULT_ID, labels).withRejection(rejection)
                .write(model.resolve(IntentClassifier.MANIFEST_FILE));
        ClassifierHead.of(List.of(new ClassifierHead.Layer(weight, bias)), 1.0).write(model.resolve(IntentClassifier.HEAD_FILE));
        return model;
    }

    @Test
    void theRejectionRuleFlagsOutOfScopeTexts() throws Exception {
        Path model = writeModelWithOos(new ModelManifest.Rejection(ModelManifest.Rejection.MAX_PROBABILITY, 0.5, "oos", "test"));
        IntentClassifier classifier = IntentClassifier.load(model, encoder);
        Prediction lost = classifier.classify("I lost my card");
        assertEquals("lost_or_stolen_card", lost.label());
        assertEquals(false, lost.outOfScope());
        Prediction weather = classifier.classify("what's the weather like in Paris tomorrow");
        assertEquals("oos", weather.label(), "the background label wins on an unrelated text");
        assertTrue(weather.outOfScope());

        // The same texts against an energy threshold between their scores.
        float[] zLost = classifier.model().logits(encoder.embed("I lost my card"), null);
        double eLost = IntentClassifier.outOfScopeScore(ModelManifest.Rejection.ENERGY, zLost, null, 1.0, 3);
        Path strict = writeModelWithOos(new ModelManifest.Rejection(ModelManifest.Rejection.ENERGY, eLost + 0.01, "oos", "test"));
        assertTrue(IntentClassifier.load(strict, encoder).classify("I lost my card").outOfScope(),
                "an in-scope argmax below the energy threshold is out of scope");
        Path lenient = writeModelWithOos(new ModelManifest.Rejection(ModelManifest.Rejection.ENERGY, eLost - 0.01, "oos", "test"));
        assertEquals(false, IntentClassifier.load(lenient, encoder).classify("I lost my card").outOfScope());
    }

    @Test
    void outOfScopeScoresFollowTheirFormulas() {
        float[] z = {2, 1, 0};
        double[] p = ClassifierHead.softmax(z, 0.5);
        assertEquals(p[1], IntentClassifier.outOfScopeScore(ModelManifest.Rejection.MAX_PROBABILITY, z, p, 0.5, 0), 1e-12,
                "the excluded label does not count");
        assertEquals(0.5 * Math.log(Math.exp(2) + Math.exp(0)),
                IntentClassifier.outOfScopeScore(ModelManifest.Rejection.ENERGY, z, p, 0.5, 0), 1e-12);
    }

    @Test
    void theShippedV1ModelStillLoadsAndClassifies() {
        Path v1 = Path.of(System.getProperty("switchboard.home", "..")).resolve("models/intent/banking77/v1");
        IntentClassifier classifier = IntentClassifier.load(v1, encoder);
        assertEquals(null, classifier.manifest().rejection());
        assertTrue(classifier.model().adapter().isEmpty() && classifier.model().ngrams().isEmpty());
        Prediction p = classifier.classify("I lost my card, what do I do?");
        assertEquals("lost_or_stolen_card", p.label());
        assertEquals(false, p.outOfScope());
        assertTrue(p.confidence() > 0.9, "v1 said 0.955 when it shipped: " + p.confidence());
    }

    @Test
    void modelsWithNgramsNeedTheText() throws Exception {
        HashedNgrams features = HashedNgrams.withBits(8);
        IntentModel withNgrams = IntentModel.of(head, null, NgramHead.of(features, new float[3][features.size()], new float[3]),
                1.0, null);
        IntentClassifier classifier = IntentClassifier.of(ModelManifestTest.sample(Encoders.DEFAULT_ID, LABELS), withNgrams, encoder);
        assertEquals("model demo/v3 has n-gram features: classify(text, embedding) needs the text",
                assertThrows(IllegalStateException.class, () -> classifier.classifyEmbedding(new float[384])).getMessage());
        assertEquals("lost_or_stolen_card", classifier.classify("Someone took my wallet with my bank card in it").label(),
                "zero n-gram weights leave the head's decision");
    }
}
