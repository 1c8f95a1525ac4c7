package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CascadeClassifierTest {

    private static final List<String> LABELS = List.of("a", "b", "c");
    private static final List<String> TEXTS = List.of("my card is lost", "top up failed", "exchange rate please",
            "hello there", "card card card", "what is the fee for a transfer", "x");

    @TempDir
    Path tmp;

    private static ModelManifest manifest(String kind, String name, Map<String, Object> parameters) {
        return new ModelManifest(kind, name, "v1", NgramClassifier.NO_ENCODER, LABELS, 1,
                new ModelManifest.DatasetInfo("data", "0".repeat(64), 1, 1, 0), Map.of(), "teacher-x", "teacher/v1",
                "unknown", Instant.parse("2026-01-01T00:00:00Z"), parameters);
    }

    private static NgramClassifier random(String name, long seed) {
        HashedNgrams features = new HashedNgrams(8, 0, 0);
        Random r = new Random(seed);
        float[][] w = new float[3][features.size()];
        for (float[] row : w) {
            for (int f = 0; f < row.length; f++) {
                row[f] = (float) (3 * r.nextGaussian());
            }
        }
        return NgramClassifier.of(manifest(NgramClassifier.KIND, name, Map.of()), NgramHead.of(features, w, new float[3]), 1.5);
    }

    @Test
    void escalatesExactlyTheMessagesBelowTheThreshold() {
        NgramClassifier fast = random("fast", 1);
        NgramClassifier large = random("large", 2);
        double threshold = 0.8;
        var cascade = CascadeClassifier.of(manifest(CascadeClassifier.KIND, "cascade", Map.of("threshold", threshold)), fast,
                large);
        int below = 0;
        for (String text : TEXTS) {
            Prediction f = fast.classify(text);
            boolean up = f.confidence() < threshold;
            below += up ? 1 : 0;
            assertEquals(up ? large.classify(text) : f, cascade.classify(text), text);
            assertEquals(new CascadeClassifier.Decision(up ? large.classify(text) : f, up), cascade.decide(text), text);
        }
        assertTrue(below > 0 && below < TEXTS.size(), "the example must have both cases, has " + below + " below");
        assertEquals(2L * below, cascade.escalatedCount());
        List<Prediction> batch = cascade.classifyAll(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(cascade.classify(TEXTS.get(i)), batch.get(i));
        }
        assertEquals(4L * below, cascade.escalatedCount());
        assertEquals(4L * TEXTS.size(), cascade.classifiedCount());
        List<CascadeClassifier.Decision> decisions = cascade.decideAll(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(cascade.decide(TEXTS.get(i)), decisions.get(i), TEXTS.get(i));
        }
    }

    @Test
    void theShippedBanking77CascadeLoadsAndAnswersFromTheRightTier() {
        Path dir = Path.of(System.getProperty("switchboard.home", "..")).resolve("models/intent/banking77-cascade/v1");
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID)) {
            CascadeClassifier cascade = CascadeClassifier.load(dir, encoder);
            assertEquals(77, cascade.labels().size());
            assertEquals(NgramClassifier.KIND, cascade.fast().manifest().kind());
            assertEquals("bge-small-en-v1.5:banking77-teacher/v1", cascade.manifest().teacher());
            for (String text : List.of("I still have not received my new card", "Which currencies can I hold?",
                    "hm, the thing from before, is it ok")) {
                Prediction fast = cascade.fast().classify(text);
                Prediction expected = fast.confidence() < cascade.threshold() ? cascade.large().classify(text) : fast;
                assertEquals(expected, cascade.classify(text), text);
            }
            assertEquals("card_arrival", cascade.classify("I still have not received my new card").label());
        }
    }

    @Test
    void anNgramClassifierRoundTripsThroughItsFolder() {
        NgramClassifier model = random("fast", 3);
        model.write(tmp);
        NgramClassifier back = NgramClassifier.load(tmp);
        for (String text : TEXTS) {
            assertEquals(model.classify(text), back.classify(text));
        }
        assertEquals("teacher/v1", back.manifest().parentVersion());
    }

    @Test
    void rejectsAMissingThresholdAndForeignLabels() {
        NgramClassifier fast = random("fast", 1);
        assertEquals("manifest parameter 'threshold' must be a number", assertThrows(IllegalArgumentException.class,
                () -> CascadeClassifier.of(manifest(CascadeClassifier.KIND, "c", Map.of()), fast, fast)).getMessage());
        var other = new ModelManifest(CascadeClassifier.KIND, "c", "v1", "none", List.of("a", "b", "z"), 1,
                new ModelManifest.DatasetInfo("data", "0".repeat(64), 1, 1, 0), Map.of(), null, null, "unknown",
                Instant.now(), Map.of("threshold", 0.5));
        assertEquals("member fast/v1 has other labels than the cascade", assertThrows(IllegalArgumentException.class,
                () -> CascadeClassifier.of(other, fast, fast)).getMessage());
    }
}
