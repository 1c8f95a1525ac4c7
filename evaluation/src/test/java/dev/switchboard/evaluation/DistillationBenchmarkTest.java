package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.distill.DistillCli;
import dev.switchboard.distill.Distiller;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.IntentExample;
import dev.switchboard.models.NgramClassifier;
import dev.switchboard.models.Prediction;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bench distill} on 6 BANKING77 labels: it distills a MiniLM teacher itself, then prints the table. */
class DistillationBenchmarkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void distillsThenTablesTeacherStudentTinyAndCascade(@TempDir Path dir) throws IOException {
        Path source = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("banking77");
        Path data = dir.resolve("bank6");
        Files.createDirectories(data);
        Files.write(data.resolve("train.jsonl"), slice(source.resolve("train.jsonl"), 6, 30));
        Files.write(data.resolve("test.jsonl"), slice(source.resolve("test.jsonl"), 6, 10));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, DistillCli.execute(new PrintWriter(out), new PrintWriter(err), "train", "intent", "--data",
                data.toString(), "--out", dir.resolve("teachers").toString(), "--epochs", "30"), err.toString());
        Path teacher = Path.of(out.toString().strip());

        out = new StringWriter();
        Path models = dir.resolve("models");
        int exit = EvaluationCli.execute(new PrintWriter(out), new PrintWriter(err), "bench", "distill", "--data",
                data.toString(), "--teacher-model", teacher.toString(), "--out", models.toString(), "--latency", "20");
        assertEquals(0, exit, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(6, lines.size(), out.toString());
        assertTrue(lines.get(2).startsWith("| teacher bank6/v1 | ") && lines.get(2).contains(" | 100.00% | "), lines.get(2));
        List<String> names = lines.subList(2, 6).stream().map(l -> l.split(" \\| ")[0].substring(2)).toList();
        assertEquals(List.of("teacher bank6/v1", "student bank6-student/v1", "tiny bank6-tiny/v1",
                "cascade bank6-cascade/v1"), names);

        // The tiny student's accuracy and size are what its folder gives.
        Path tinyDir = models.resolve("bank6-tiny/v1");
        List<IntentExample> test = IntentDataset.readJsonl(data.resolve("test.jsonl"));
        List<Prediction> predicted = NgramClassifier.load(tinyDir).classifyAll(test.stream().map(IntentExample::text).toList());
        int right = 0;
        for (int i = 0; i < test.size(); i++) {
            right += Distiller.correct(predicted.get(i), test.get(i).label(), "oos") ? 1 : 0;
        }
        String[] tiny = lines.get(4).split(" \\| ");
        assertEquals((double) right / test.size(), Double.parseDouble(tiny[1]), 5e-5);
        assertTrue(right > 2 * test.size() / 6, "tiny student: " + right + " of " + test.size() + " (chance 1/6)");
        assertEquals(BenchIndex.sizeOnDisk(tinyDir), Long.parseLong(tiny[8].replace(",", "")));
        assertTrue(lines.get(5).matches(".*\\| \\d+\\.\\d% \\|$"), "cascade escalation share: " + lines.get(5));
    }

    private static List<String> slice(Path file, int labels, int perLabel) throws IOException {
        Map<String, List<String>> byLabel = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            byLabel.computeIfAbsent(JSON.readTree(line).get("label").asText(), k -> new ArrayList<>()).add(line);
        }
        List<String> out = new ArrayList<>();
        byLabel.values().stream().limit(labels).forEach(l -> out.addAll(l.subList(0, Math.min(perLabel, l.size()))));
        return out;
    }
}
