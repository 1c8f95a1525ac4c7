package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code distill --from-texts ... --serving ...} on 6 BANKING77 labels with a MiniLM teacher folder. */
class DistillCommandTest {

    @TempDir
    Path tmp;

    @Test
    void relabelsLoggedTextsRetrainsTheStudentAndSaysWhetherToPromote() throws Exception {
        // Embeddings cached under the temporary folder: each text is embedded once across the steps.
        String home = System.getProperty("switchboard.home");
        System.setProperty("switchboard.home", tmp.toString());
        try {
            distillFromTexts();
        } finally {
            if (home == null) {
                System.clearProperty("switchboard.home");
            } else {
                System.setProperty("switchboard.home", home);
            }
        }
    }

    private void distillFromTexts() throws Exception {
        Path data = Banking77Slice.write(tmp.resolve("data"), 6, 30);
        Path models = tmp.resolve("models");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DistillCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "train", "intent", "--data",
                data.toString(), "--out", models.toString(), "--name", "serving");
        assertEquals(0, code, err.toString());
        Path serving = models.resolve("serving").resolve("v1");
        Path logs = tmp.resolve("decisions.jsonl");
        Files.write(logs, List.of("{\"text\":\"my card has still not arrived\",\"intent\":\"card_arrival\"}", "",
                "{\"text\":\"can I pay with apple pay\"}"));
        // More unlabeled text: a repeat (by case) of a logged text and a training text are dropped, one is new.
        String trainText = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                Files.readAllLines(data.resolve("train.jsonl")).get(0)).get("text").asText();
        Path more = tmp.resolve("more.jsonl");
        Files.write(more, List.of("{\"text\":\"Can I pay with Apple Pay\",\"label\":\"ignored\"}",
                "{\"text\":\"" + trainText.replace("\"", "\\\"") + "\"}", "{\"text\":\"how do I close my account\"}"));

        out.getBuffer().setLength(0);
        code = DistillCli.execute(new PrintWriter(out, true), new PrintWriter(err, true), "distill", "--data", data.toString(),
                "--teacher", "bge", "--teacher-model", serving.toString(), "--from-texts", logs.toString(), "--unlabeled",
                more.toString(), "--unlabeled", logs.toString(), "--serving",
                serving.toString(), "--out", models.toString(), "--name", "slice", "--ngrams", "0");
        assertEquals(0, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(List.of(models.resolve("slice-student").resolve("v1").toString()), lines.subList(0, 1));
        String verdict = lines.get(lines.size() - 1);
        assertTrue(verdict.equals("promote") || verdict.equals("keep"), out.toString());
        assertTrue(err.toString().contains("test accuracy (42 examples): student "), err.toString());

        ModelManifest m = ModelManifest.read(models.resolve("slice-student/v1").resolve(IntentClassifier.MANIFEST_FILE));
        assertEquals("serving/v1", m.parentVersion());
        assertEquals("all-minilm-l6-v2-q:serving/v1", m.teacher());
        assertEquals(3, ((Number) m.parameters().get("unlabeled_given")).intValue());
        // The verdict follows the two accuracies it printed.
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID)) {
            IntentDataset dataset = IntentDataset.load(data, 0.1, 42);
            EmbeddingCache cached = new EmbeddingCache(Optional.of(EmbeddingCache.defaultDir()));
            double student = DistillCommand.testAccuracy(models.resolve("slice-student/v1"), dataset, cached);
            double current = DistillCommand.testAccuracy(serving, dataset, cached);
            assertEquals(student >= current ? "promote" : "keep", verdict);
        }
    }

    /** Without --teacher-model, the teacher is trained on the data the students learn from: the same prepared split. */
    @Test
    void trainsItsTeacherOnTheDataItDistills() {
        Path data = Banking77Slice.write(tmp.resolve("data"), 4, 20);
        Path models = tmp.resolve("models");
        StringWriter err = new StringWriter();
        int code = DistillCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "distill",
                "--data", data.toString(), "--teacher", "bge", "--out", models.toString(), "--name", "slice", "--ngrams", "0",
                "--tiny-ngrams", "8", "--no-cache");
        assertEquals(0, code, err.toString());
        ModelManifest teacher = ModelManifest.read(models.resolve("slice-teacher/v1").resolve(IntentClassifier.MANIFEST_FILE));
        ModelManifest student = ModelManifest.read(models.resolve("slice-student/v1").resolve(IntentClassifier.MANIFEST_FILE));
        IntentDataset prepared = IntentDataset.load(data, 0.1, 42, DataPreparation.STANDARD);
        assertEquals(new ModelManifest.DatasetInfo(data.toString(), prepared.sha256(), prepared.train().size(),
                prepared.validation().size(), prepared.test().size()), teacher.dataset());
        assertEquals(teacher.dataset(), student.dataset());
        assertEquals(prepared.labels(), teacher.labels());
        assertEquals("slice-teacher/v1", student.parentVersion());
    }

    @Test
    void namesTheLineOfABrokenTextFile() throws Exception {
        Path logs = tmp.resolve("bad.jsonl");
        Files.write(logs, List.of("{\"text\":\"fine\"}", "{\"txt\":\"oops\"}"));
        StringWriter err = new StringWriter();
        int code = DistillCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "distill",
                "--data", tmp.toString(), "--teacher-model", tmp.toString(), "--from-texts", logs.toString(), "--serving",
                tmp.toString(), "--no-cache");
        assertEquals(1, code);
        assertEquals("error: " + logs + " line 2: field \"text\": missing", err.toString().strip());
    }

    @Test
    void refusesANegativeUnlabeledMaximum() throws Exception {
        Path texts = tmp.resolve("texts.jsonl");
        Files.write(texts, List.of("{\"text\":\"fine\"}"));
        StringWriter err = new StringWriter();
        int code = DistillCli.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), "distill",
                "--data", tmp.toString(), "--teacher-model", tmp.toString(), "--unlabeled", texts.toString(),
                "--unlabeled-max", "-1", "--no-cache");
        assertEquals(1, code);
        assertEquals("error: --unlabeled-max must be >= 0, got -1", err.toString().strip());
    }
}
