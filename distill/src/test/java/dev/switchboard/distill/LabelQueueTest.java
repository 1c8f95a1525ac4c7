package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.models.Prediction;
import dev.switchboard.models.ScoredLabel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelQueueTest {

    @TempDir
    Path dir;

    private static Prediction prediction(double p1, double p2) {
        return new Prediction("a", p1, List.of(new ScoredLabel("a", p1), new ScoredLabel("b", p2)));
    }

    private static float[] unit(double... v) {
        double n = 0;
        for (double x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    @Test
    void mostUncertainFirstThenNoveltyOverANearCopy() {
        List<String> texts = List.of("sure", "unsure A", "unsure A again", "unsure B", "Unsure A!");
        float[][] e = {unit(1, 0, 0), unit(0, 1, 0), unit(0, 0.99, 0.1), unit(0, 0, 1), unit(0, 1, 0)};
        List<Prediction> p = List.of(prediction(0.98, 0.01), prediction(0.40, 0.38), prediction(0.41, 0.38),
                prediction(0.45, 0.30), prediction(0.40, 0.38));
        List<LabelQueue.Item> q = LabelQueue.rank(texts, e, p, 3, 0.7);
        assertEquals(List.of("unsure A", "unsure B", "unsure A again"), q.stream().map(LabelQueue.Item::text).toList(),
                "the near copy of the first pick falls behind a less uncertain but different message; the exact "
                        + "duplicate is dropped");
        assertEquals(1 - (0.40 - 0.38), q.getFirst().uncertainty(), 1e-12);
        assertEquals(0.7 * (1 - 0.02), q.getFirst().score(), 1e-12);
        assertEquals(4, LabelQueue.rank(texts, e, p, 10, 0.7).size(), "exact duplicates are dropped");
        assertEquals(List.of("unsure A", "unsure A again", "unsure B"),
                LabelQueue.rank(texts, e, p, 3, 1.0).stream().map(LabelQueue.Item::text).toList(), "lambda 1: uncertainty only");
    }

    @Test
    void theCommandRanksRealMessagesWithATrainedModelAndWritesALabelableQueue() throws Exception {
        Path data = Banking77Slice.write(dir.resolve("bank6"), 6, 16);
        var train = TrainIntentCommandTest.run("train", "intent", "--data", data.toString(), "--out", dir.resolve("m").toString(),
                "--epochs", "30");
        assertEquals(0, train.exit(), train.err());
        Path model = Path.of(train.out().strip());
        Path input = dir.resolve("inbox.jsonl");
        Files.write(input, List.of(
                "{\"text\": \"my card still has not arrived, mail me at jo@example.com\"}",
                "{\"message\": \"My card still has not arrived, mail me at jo@example.com!\", \"intent\": \"x\"}",
                "{\"text\": \"what is the weather like on mars\"}",
                "{\"text\": \"I want to activate my new card\"}",
                "{\"text\": \"the card I ordered has still not come\"}"));
        Path out = dir.resolve("queue.jsonl");
        var run = TrainIntentCommandTest.run("label-queue", "--model", model.toString(), "--input", input.toString(), "--top", "3",
                "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("rank   score  uncert  predicted"), run.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        ObjectMapper json = new ObjectMapper();
        double previous = Double.POSITIVE_INFINITY;
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertTrue(n.has("label") && n.get("label").isNull(), line);
            assertFalse(n.get("text").asText().contains("@"), "anonymized: " + line);
            assertTrue(n.get("score").asDouble() <= previous + 1e-9, "scores fall in pick order");
            previous = n.get("score").asDouble();
        }
        assertEquals(1, lines.stream().filter(l -> l.contains("<EMAIL>")).count(), "the duplicate message is queued once");
    }
}
