package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotModel;
import dev.switchboard.models.SlotTagger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalSlotsCommandTest {

    @TempDir
    Path dir;

    /** A tagger that makes every word an entity "x" (B-x everywhere, word constraint). */
    private Path everyWordModel() throws Exception {
        Path model = dir.resolve("models").resolve("words").resolve("v1");
        Files.createDirectories(model);
        BioTagSet tags = BioTagSet.ofLabels(List.of("x"));
        new ModelManifest(SlotTagger.KIND, "words", "v1", "all-minilm-l6-v2-q", tags.tags(), 1,
                new ModelManifest.DatasetInfo("data", "ab".repeat(32), 1, 1, 1), Map.of(), null, null, "unknown",
                Instant.parse("2026-11-22T00:00:00Z"), Map.of()).write(model.resolve(SlotTagger.MANIFEST_FILE));
        SlotModel.of(tags, 0, List.of(), List.of(new ClassifierHead.Layer(new float[3][384], new float[] {0, 5, 0})), null, null, true)
                .write(model.resolve(SlotTagger.MODEL_FILE));
        return model;
    }

    @Test
    void scoresExactSpansAndReportsLatency() throws Exception {
        Path model = everyWordModel();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.write(data.resolve("test.jsonl"), List.of(
                "{\"text\": \"hello world\", \"entities\": [{\"start\": 0, \"end\": 5, \"label\": \"x\"}, {\"start\": 6, \"end\": 11, \"label\": \"x\"}]}",
                "{\"tokens\": [\"book\", \"2\", \"tables\"], \"tags\": [\"O\", \"B-x\", \"O\"]}",
                "{\"text\": \"a b\", \"entities\": [{\"start\": 0, \"end\": 3, \"label\": \"x\"}]}",
                "{\"text\": \"at noon\", \"entities\": [{\"start\": 3, \"end\": 7, \"label\": \"time\"}]}"));
        var run = EvalIntentCommandTest.eval("eval", "slots", "--data", data.toString(), "--model", model.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out());
        // Predicted: hello, world | book, 2, tables | a, b | at, noon = 9; gold 5; exact: hello, world, 2 = 3.
        assertEquals(4, json.get("messages").asInt());
        assertEquals(5, json.get("gold_spans").asInt());
        assertEquals(9, json.get("predicted_spans").asInt());
        assertEquals(3, json.get("true_positives").asInt());
        assertEquals(3.0 / 9, json.get("precision").asDouble(), 1e-12);
        assertEquals(3.0 / 5, json.get("recall").asDouble(), 1e-12);
        assertEquals(0.0, json.get("per_label").get("time").get("f1").asDouble());
        assertEquals(1, json.get("per_label").get("time").get("support").asInt());
        assertTrue(json.get("latency_ms").get("p50").asDouble() > 0);
        assertTrue(run.err().contains("warning: 1 gold spans have labels the model does not know"), run.err());

        assertEquals(3, json.get("span_errors").get("correct").asInt());
        assertEquals(1, json.get("span_errors").get("label_error").asInt()); // "noon" tagged x, gold time
        assertEquals(1, json.get("span_errors").get("boundary_error").asInt()); // "a" of gold "a b"
        assertEquals(4, json.get("span_errors").get("spurious").asInt()); // book, tables, b, at
        assertEquals(0, json.get("span_errors").get("missed").asInt());
        assertEquals(4, json.get("slices").get(SliceMetrics.LENGTH).get("1-5").get("count").asInt());

        Path file = dir.resolve("slots.html");
        var table = EvalIntentCommandTest.eval("eval", "slots", "--data", data.toString(), "--model", model.toString(),
                "--report", file.toString());
        assertTrue(table.err().contains("report: " + file), table.err());
        org.w3c.dom.Document doc = ReportXml.parse(file);
        assertEquals(List.of("header", "scores", "per-label", "span-errors", "slices"), ReportXml.sectionIds(doc));
        assertEquals(List.of(List.of("correct", "3"), List.of("label error", "1"), List.of("boundary error", "1"),
                List.of("label and boundary error", "0"), List.of("missed", "0"), List.of("spurious", "4")),
                ReportXml.rows(doc, "span-error-table"));
        assertTrue(doc.getDocumentElement().getTextContent().contains("0.4286 (micro, exact span match)"));
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains("F1         0.4286  (micro, exact span match)"), table.out());
        assertTrue(table.out().contains("latency    p50 "), table.out());
    }

    @Test
    void missingSplitsAndBrokenLinesAreReportedWithoutAStackTrace() throws Exception {
        Path model = everyWordModel();
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        var missing = EvalIntentCommandTest.eval("eval", "slots", "--data", data.toString(), "--model", model.toString());
        assertEquals(1, missing.exit());
        assertEquals("error: dataset folder " + data + " has no test.jsonl", missing.err().strip());
        Files.write(data.resolve("test.jsonl"), List.of("{\"text\": \"a\", \"entities\": [{\"start\": 0, \"end\": 1}]}"));
        var broken = EvalIntentCommandTest.eval("eval", "slots", "--data", data.toString(), "--model", model.toString());
        assertEquals(1, broken.exit());
        assertEquals("error: " + data.resolve("test.jsonl") + " line 1: field \"entities[0].label\": missing",
                broken.err().strip());
    }
}
