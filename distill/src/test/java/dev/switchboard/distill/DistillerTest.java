package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.NgramClassifier;
import dev.switchboard.models.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distillation on 8 BANKING77 labels: a MiniLM teacher (head only) taught to both students. */
class DistillerTest {

    @TempDir
    static Path tmp;
    static Encoder encoder;
    static Teacher teacher;
    static IntentDataset data;
    static Distiller.Outcome outcome;
    static List<String> test;

    @BeforeAll
    static void distill() {
        Path dir = Banking77Slice.write(tmp.resolve("data"), 8, 40);
        data = IntentDataset.load(dir, 0.1, 3);
        EmbeddingCache cache = new EmbeddingCache(Optional.of(tmp.resolve("cache")));
        encoder = Encoders.load(Encoders.DEFAULT_ID);
        var settings = new IntentPipeline.Settings(TrainingOptions.defaults(3), Optional.empty(), 0, 1, 1, "oos", 0,
                List.of(), 0);
        IntentPipeline.Outcome trained = new IntentPipeline(settings, cache, line -> { }).train(data, encoder);
        teacher = new EncoderHeadTeacher(trained.model(), data.labels(), Encoders.load(Encoders.DEFAULT_ID), cache,
                "slice-teacher/v1");
        var options = new Distiller.Options(3, Encoders.DEFAULT_ID, 10, 10, DistillationLoss.defaults(), 1, 0.99, "oos", 0.9,
                0.1);
        outcome = new Distiller(options, cache, line -> { }).run(dir, teacher, List.of("where is my new card"),
                tmp.resolve("models"), "slice", null, false);
        test = data.test().stream().map(IntentExample::text).toList();
    }

    @AfterAll
    static void close() {
        teacher.close();
        encoder.close();
    }

    @Test
    void bothStudentsAgreeWithTheTeacherFarMoreThanChance() {
        int[] expected = teacher.predict(test);
        IntentClassifier student = IntentClassifier.load(outcome.student(), encoder);
        NgramClassifier tiny = NgramClassifier.load(outcome.tiny().orElseThrow());
        double studentAgrees = agreement(student.classifyAll(test), expected);
        double tinyAgrees = agreement(tiny.classifyAll(test), expected);
        // Chance is 1/8 with 8 balanced labels.
        assertTrue(studentAgrees > 0.75, "student agrees on " + studentAgrees);
        assertTrue(tinyAgrees > 0.4, "tiny student agrees on " + tinyAgrees);
    }

    @Test
    void manifestsCarryTeacherParentAndData() {
        for (Path dir : List.of(outcome.student(), outcome.tiny().orElseThrow(), outcome.cascade().orElseThrow())) {
            ModelManifest m = ModelManifest.read(dir.resolve(IntentClassifier.MANIFEST_FILE));
            assertEquals(teacher.id(), m.teacher(), dir.toString());
            assertEquals("slice-teacher/v1", m.parentVersion(), dir.toString());
            assertEquals(3, m.seed());
            assertEquals(data.sha256(), m.dataset().sha256());
            // One augmented copy per training text, minus copies that repeat a text, plus the one text given.
            int unlabeled = ((Number) m.parameters().get("unlabeled_texts")).intValue();
            assertTrue(unlabeled > data.train().size() / 2 && unlabeled <= data.train().size() + 1, "unlabeled " + unlabeled);
            assertEquals(1, ((Number) m.parameters().get("unlabeled_given")).intValue());
        }
        assertEquals(NgramClassifier.KIND, ModelManifest.read(outcome.tiny().orElseThrow().resolve("manifest.json")).kind());
    }

    @Test
    void theCascadeEscalatesExactlyTheTinyStudentsUnconfidentMessages() {
        CascadeClassifier cascade = CascadeClassifier.load(outcome.cascade().orElseThrow(), encoder);
        List<Prediction> fast = cascade.fast().classifyAll(test);
        List<Prediction> large = cascade.large().classifyAll(test);
        List<Prediction> both = cascade.classifyAll(test);
        long below = 0;
        for (int i = 0; i < test.size(); i++) {
            boolean up = fast.get(i).confidence() < cascade.threshold();
            below += up ? 1 : 0;
            assertEquals((up ? large : fast).get(i), both.get(i), test.get(i));
        }
        assertEquals(below, cascade.escalatedCount());
        assertEquals(test.size(), cascade.classifiedCount());
        assertEquals(outcome.metrics().get("cascade_threshold"), cascade.threshold());
    }

    private static double agreement(List<Prediction> predictions, int[] expected) {
        List<String> labels = new ArrayList<>(data.labels());
        int same = 0;
        for (int i = 0; i < expected.length; i++) {
            same += predictions.get(i).label().equals(labels.get(expected[i])) ? 1 : 0;
        }
        return (double) same / expected.length;
    }

    @Test
    void theCascadeThresholdAlsoKeepsTheLargeModelsOutOfScopeRecall() {
        List<String> gold = List.of("a", "b", "oos", "oos");
        List<Prediction> large = List.of(prediction("a", 0.9, false), prediction("b", 0.9, false),
                prediction("a", 0.4, true), prediction("b", 0.4, true));
        // The fast tier is right on both in-scope texts and sure of a wrong label for the first oos text.
        List<Prediction> fast = List.of(prediction("a", 0.9, false), prediction("b", 0.9, false),
                prediction("a", 0.95, false), prediction("a", 0.5, false));
        // Accuracy alone (0.5 of 1.0) is kept at t = 0; half the large model's OOS recall needs the 0.5 text escalated.
        Distiller.CascadeChoice choice = Distiller.chooseThreshold(fast, large, gold, "oos", 0.5);
        assertEquals(0.51, choice.threshold(), 1e-9);
        assertEquals(0.75, choice.accuracy(), 1e-9);
        assertEquals(0.25, choice.escalated(), 1e-9);
        // Without out-of-scope labels only accuracy counts.
        assertEquals(0.0, Distiller.chooseThreshold(fast.subList(0, 2), large.subList(0, 2), gold.subList(0, 2), "oos", 1)
                .threshold(), 1e-9);
    }

    private static Prediction prediction(String label, double confidence, boolean outOfScope) {
        return new Prediction(label, confidence, List.of(new dev.switchboard.models.ScoredLabel(label, confidence)),
                outOfScope);
    }

    @Test
    void givenTextsAreAnonymizedAndLoseRepeatsAndTheDatasetsOwnTexts() {
        List<String> given = List.of("write to jo@example.com about my card", "Where is my NEW card", "where is my new card",
                "Write to ann@example.org about my card", "what is the exchange rate");
        assertEquals(List.of("write to <EMAIL> about my card", "what is the exchange rate"),
                Distiller.givenTexts(given, List.of("where is my new card")));
    }
}
