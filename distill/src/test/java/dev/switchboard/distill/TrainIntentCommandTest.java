package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.MultiLabelClassifier;
import dev.switchboard.models.MultiLabelPrediction;
import dev.switchboard.models.Prediction;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainIntentCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DistillCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void trainsWritesAManifestAndReloadsToTheSameValidationAccuracy() throws Exception {
        Path data = Banking77Slice.write(dir.resolve("bank10"), 10, 20);
        Path out = dir.resolve("models");
        Run first = run("train", "intent", "--data", data.toString(), "--out", out.toString(), "--epochs", "40");
        assertEquals(0, first.exit(), first.err());
        Path v1 = out.resolve("bank10").resolve("v1");
        assertEquals(v1.toString(), first.out().strip());
        assertTrue(first.err().contains("epoch   1/40  train loss "), first.err());

        ModelManifest m = ModelManifest.read(v1.resolve(IntentClassifier.MANIFEST_FILE));
        assertEquals(IntentClassifier.KIND, m.kind());
        assertEquals("bank10", m.name());
        assertEquals("v1", m.version());
        assertEquals(Encoders.DEFAULT_ID, m.encoder());
        assertEquals(42, m.seed());
        IntentDataset dataset = IntentDataset.load(data, 0.1, 42, DataPreparation.STANDARD);
        assertEquals(List.copyOf(new TreeSet<>(dataset.labels())), m.labels());
        assertEquals(10, m.labels().size());
        assertEquals(new ModelManifest.DatasetInfo(data.toString(), dataset.sha256(), dataset.train().size(),
                dataset.validation().size(), 50), m.dataset());
        assertEquals(200, dataset.train().size() + dataset.validation().size() + dataset.preparation().dropped());
        assertEquals(true, m.parameters().get("anonymized"));
        assertEquals(dataset.preparation().duplicatesDropped(), ((Number) m.parameters().get("duplicates_dropped")).intValue());
        assertTrue(first.err().contains("dedupe: dropped "), first.err());
        assertEquals(List.of("validation_head_accuracy", "validation_head_loss", "validation_accuracy", "validation_macro_f1",
                "validation_loss", "validation_loss_calibrated"), List.copyOf(m.metrics().keySet()));
        assertEquals(null, m.rejection(), "no out-of-scope label in the data: no rejection rule");
        assertFalse(m.codeVersion().isBlank());
        ClassifierHead head = ClassifierHead.read(v1.resolve(IntentClassifier.HEAD_FILE));
        assertEquals(head.temperature(), ((Number) m.parameters().get("temperature")).doubleValue());
        assertEquals("logistic", m.parameters().get("head"));
        assertEquals(1, head.layers().size());

        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            IntentClassifier classifier = IntentClassifier.load(v1, encoder);
            List<Prediction> predictions = classifier.classifyAll(
                    dataset.validation().stream().map(IntentExample::text).toList());
            int right = 0;
            for (int i = 0; i < predictions.size(); i++) {
                right += predictions.get(i).label().equals(dataset.validation().get(i).label()) ? 1 : 0;
            }
            assertEquals(m.metrics().get("validation_accuracy"), (double) right / predictions.size(), 1e-12);
            assertTrue(m.metrics().get("validation_accuracy") >= 0.6, "10 labels: chance is 0.1");
        }

        // Same seed again: a new version with identical weights.
        Run second = run("train", "intent", "--data", data.toString(), "--out", out.toString(), "--epochs", "40");
        assertEquals(0, second.exit(), second.err());
        Path v2 = out.resolve("bank10").resolve("v2");
        assertEquals(v2.toString(), second.out().strip());
        ClassifierHead again = ClassifierHead.read(v2.resolve(IntentClassifier.HEAD_FILE));
        assertArrayEquals(head.layers().get(0).weight(), again.layers().get(0).weight());
        assertArrayEquals(head.layers().get(0).bias(), again.layers().get(0).bias());
        assertEquals(head.temperature(), again.temperature());
        // Checked on the permission bits: root (as in CI containers) may write anyway.
        assertEquals("r--r--r--", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(v1.resolve(IntentClassifier.HEAD_FILE))), "written models are read-only");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(v1)));
        try (var left = Files.list(out.resolve("bank10"))) {
            assertEquals(List.of("v1", "v2"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary folder is left behind");
        }
    }

    @Test
    void aBrokenLineFailsWithItsNumberAndWritesNothing() throws Exception {
        Path data = dir.resolve("broken");
        Files.createDirectories(data);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            lines.add("{\"text\": \"message " + i + "\", \"label\": \"l" + (i % 2) + "\"}");
        }
        lines.set(4, "{\"text\": \"no label here\"}");
        Files.write(data.resolve("train.jsonl"), lines);
        Path out = dir.resolve("models");
        Run run = run("train", "intent", "--data", data.toString(), "--out", out.toString());
        assertEquals(1, run.exit());
        assertEquals("error: " + data.resolve("train.jsonl") + " line 5: field \"label\": missing", run.err().strip());
        assertEquals("", run.out());
        assertFalse(Files.exists(out));
    }

    @Test
    void badCommandLinesExitWithUsage() {
        Run noData = run("train", "intent");
        assertEquals(2, noData.exit());
        assertTrue(noData.err().contains("Missing required option: '--data=<data>'"), noData.err());
        Run badName = run("train", "intent", "--data", dir.toString(), "--name", "../escape");
        assertEquals(1, badName.exit());
    }

    @Test
    void outOfScopeDataGetsACalibratedRejectionRuleThatServingReproduces() throws Exception {
        Path data = ClincSlice.write(dir.resolve("clinc6"), 6, 20, 30);
        Path out = dir.resolve("models");
        Run run = run("train", "intent", "--data", data.toString(), "--out", out.toString(), "--epochs", "40",
                "--ngrams", "10", "--synthetic-oos", "0.5", "--no-cache");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("added 60 synthetic 'oos' embeddings"), run.err());
        assertTrue(run.err().contains("rejection: "), run.err());
        Path v1 = Path.of(run.out().strip());
        ModelManifest m = ModelManifest.read(v1.resolve(IntentClassifier.MANIFEST_FILE));
        assertEquals("oos", m.rejection().outOfScopeLabel());
        assertEquals(RejectionCalibrator.BALANCED, m.rejection().criterion());
        assertEquals(10, m.parameters().get("ngram_bits"));
        assertEquals(60, m.parameters().get("synthetic_outliers"));

        List<IntentExample> validation = IntentDataset.readJsonl(data.resolve("validation.jsonl"));
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            IntentClassifier classifier = IntentClassifier.load(v1, encoder);
            assertTrue(classifier.model().ngrams().isPresent());
            List<Prediction> p = classifier.classifyAll(validation.stream().map(IntentExample::text).toList());
            int in = 0;
            int inRight = 0;
            int oos = 0;
            int oosRejected = 0;
            for (int i = 0; i < p.size(); i++) {
                boolean rejected = p.get(i).outOfScope();
                assertEquals(rejected, rejected || p.get(i).label().equals("oos"), "argmax oos is always rejected");
                if (validation.get(i).label().equals("oos")) {
                    oos++;
                    oosRejected += rejected ? 1 : 0;
                } else {
                    in++;
                    inRight += !rejected && p.get(i).label().equals(validation.get(i).label()) ? 1 : 0;
                }
            }
            assertEquals(m.metrics().get("validation_in_scope_accuracy"), (double) inRight / in, 1e-9,
                    "serving applies the rule calibration measured");
            assertEquals(m.metrics().get("validation_oos_recall"), (double) oosRejected / oos, 1e-9);
            assertTrue(m.metrics().get("validation_oos_recall") >= 0.5, "most out-of-scope queries are caught");
        }
    }

    @Test
    void multiLabelFoldFilesTrainASigmoidModelWithThresholds() throws Exception {
        Path nlupp = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("nlupp/hotels.jsonl");
        Path out = dir.resolve("models");
        Run run = run("train", "intent", "--data", nlupp.toString(), "--folds", "0-5/6", "--out", out.toString(),
                "--epochs", "30", "--thresholds", "per-label", "--no-cache");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("(multi-label, folds 0-5/6)"), run.err());
        Path v1 = out.resolve("hotels").resolve("v1");
        assertEquals(v1.toString(), run.out().strip());
        ModelManifest m = ModelManifest.read(v1.resolve(IntentClassifier.MANIFEST_FILE));
        assertEquals(MultiLabelClassifier.KIND, m.kind());
        assertEquals("0,1,2,3,4,5/6", m.parameters().get("folds"));
        assertTrue(m.metrics().get("validation_micro_f1") > 0.4, m.metrics().toString());
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            MultiLabelClassifier classifier = MultiLabelClassifier.load(v1, encoder);
            assertEquals(m.labels().size(), classifier.model().thresholds().length);
            // The validation scores recorded are those of the served model's decisions.
            List<MultiLabelExample> validation = MultiLabelDataset.loadFolds(nlupp, FoldSplit.parse("0-5/6"),
                    DataPreparation.STANDARD).validation();
            MultiLabelMetrics served = MultiLabelMetrics.of(validation.stream().map(MultiLabelExample::intents).toList(),
                    classifier.classifyLabelsAll(validation.stream().map(MultiLabelExample::text).toList()).stream()
                            .map(MultiLabelPrediction::names).toList());
            assertEquals(m.metrics().get("validation_micro_f1"), served.microF1(), 1e-9);
            assertEquals(m.metrics().get("validation_macro_f1"), served.macroF1(), 1e-9);
            assertEquals(m.metrics().get("validation_exact_match"), served.exactMatch(), 1e-9);
        }
        Run wrong = run("train", "intent", "--data", nlupp.toString(), "--folds", "0/1", "--ngrams", "10", "--out", out.toString());
        assertEquals(1, wrong.exit());
        assertEquals("error: --ngrams, --adapter, --augment and --paraphrase are for single-label data", wrong.err().strip());
    }
}
