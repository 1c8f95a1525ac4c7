package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.distill.DistillCli;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.IntentExample;
import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class EvalIntentCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path data;
    private static Path model;
    private static Path student;

    record Run(int exit, String out, String err) {
    }

    /** Runs the CLI; adds --no-report unless the arguments choose a report (tests must not write under the project root). */
    static Run eval(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--report") && !all.contains("--no-report")) {
            all.add("--no-report");
        }
        int exit = EvaluationCli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    /** Trains a small model on 6 BANKING77 labels x 20 examples; test = 10 per label. */
    @BeforeAll
    static void train(@TempDir Path dir) throws IOException {
        Path source = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("banking77");
        data = dir.resolve("bank6");
        Files.createDirectories(data);
        Files.write(data.resolve("train.jsonl"), slice(source.resolve("train.jsonl"), 6, 20));
        Files.write(data.resolve("test.jsonl"), slice(source.resolve("test.jsonl"), 6, 10));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = DistillCli.execute(new PrintWriter(out), new PrintWriter(err), "train", "intent",
                "--data", data.toString(), "--out", dir.resolve("models").toString(), "--epochs", "30");
        assertEquals(0, exit, err.toString());
        model = Path.of(out.toString().strip());
        // A second model (3 epochs, another seed) for --compare.
        out.getBuffer().setLength(0);
        exit = DistillCli.execute(new PrintWriter(out), new PrintWriter(err), "train", "intent",
                "--data", data.toString(), "--out", dir.resolve("models").toString(), "--epochs", "3", "--seed", "7");
        assertEquals(0, exit, err.toString());
        student = Path.of(out.toString().strip());
    }

    @Test
    void reportIsWellFormedXhtmlWithSectionsAndTheNumbersOfTheJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/report.html");
        Run run = eval("eval", "intent", "--data", data.toString(), "--model", model.toString(), "--json", "--latency", "5",
                "--report", file.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("report: " + file), run.err());
        JsonNode json = JSON.readTree(run.out());
        assertEquals(file.toString(), json.get("report").asText());
        Document doc = ReportXml.parse(file);
        assertEquals(List.of("header", "scores", "confusion", "per-class", "reliability", "slices"), ReportXml.sectionIds(doc));
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains(Xhtml.num(json.get("accuracy").asDouble())), "accuracy in the report");
        assertTrue(text.contains(Xhtml.num(json.get("macro_f1").asDouble())), "macro-F1 in the report");
        assertTrue(text.contains("ECE = Σ_b (n_b / N) · |acc_b − conf_b| = " + Xhtml.num(json.get("ece").asDouble())), "ECE stated");
        assertTrue(text.contains("switchboard eval intent --data " + data), "command line in the header");
        assertEquals(6, ReportXml.rows(doc, "per-class-table").size());
        assertEquals(15, ReportXml.rows(doc, "reliability-table").size());
        int sliceCount = ReportXml.rows(doc, "slices-length-words-").stream().mapToInt(r -> Integer.parseInt(r.get(1))).sum();
        assertEquals(60, sliceCount, "length slices partition the 60 test examples");
        int jsonSlices = 0;
        for (JsonNode s : json.get("slices").get(SliceMetrics.LENGTH)) {
            jsonSlices += s.get("count").asInt();
        }
        assertEquals(60, jsonSlices);
        int binned = 0;
        for (JsonNode b : json.get("reliability")) {
            binned += b.get("count").asInt();
        }
        assertEquals(60, binned);
        // The ECE recomputed from the bins of the JSON.
        double ece = 0;
        for (JsonNode b : json.get("reliability")) {
            ece += b.get("count").asInt() / 60.0 * Math.abs(b.get("accuracy").asDouble() - b.get("mean_confidence").asDouble());
        }
        assertEquals(ece, json.get("ece").asDouble(), 1e-12);
        assertTrue(ReportXml.count(doc, "svg") >= 3, "heat map, bars and reliability diagram");
    }

    @Test
    void compareWithTwoModelsYieldsTwoPointsAndATable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("compare.html");
        Run run = eval("eval", "intent", "--data", data.toString(), "--model", model.toString(), "--compare", student.toString(),
                "--latency", "5", "--report", file.toString());
        assertEquals(0, run.exit(), run.err());
        List<String> table = run.out().lines().dropWhile(l -> !l.matches("model +accuracy.*")).toList();
        assertTrue(table.get(0).matches("model +accuracy +macro-F1 +% of first +p50 ms +p99 ms"), run.out());
        assertEquals(3, table.size(), run.out());
        assertTrue(table.get(1).contains("100.00"), "the first model is 100 % of itself: " + table.get(1));
        Document doc = ReportXml.parse(file);
        assertTrue(ReportXml.sectionIds(doc).contains("compare"));
        Element chart = ReportXml.following(doc, "compare", "svg");
        assertEquals(2, chart.getElementsByTagNameNS("http://www.w3.org/2000/svg", "circle").getLength(), "one point per model");
        assertEquals(2, ReportXml.rows(doc, "compare-table").size());
        Run json = eval("eval", "intent", "--data", data.toString(), "--model", model.toString(), "--compare", student.toString(),
                "--json");
        JsonNode compare = JSON.readTree(json.out()).get("compare");
        assertEquals(2, compare.size());
        assertEquals(student.toString(), compare.get(1).get("model").asText());
        assertTrue(compare.get(1).get("latency_p50_ms").asDouble() > 0);
    }

    @Test
    void jsonOutputMatchesTheClassifiersOwnPredictions() throws Exception {
        Run run = eval("eval", "intent", "--data", data.toString(), "--model", model.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals(1, run.out().strip().lines().count(), "one JSON object on one line");
        JsonNode json = JSON.readTree(run.out());
        assertEquals(model.toString(), json.get("model").asText());
        assertEquals(data.toString(), json.get("data").asText());
        assertEquals("test", json.get("split").asText());
        assertEquals(60, json.get("count").asInt());

        List<IntentExample> test = IntentDataset.readJsonl(data.resolve("test.jsonl"));
        List<String> predicted;
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            predicted = IntentClassifier.load(model, encoder)
                    .classifyAll(test.stream().map(IntentExample::text).toList()).stream().map(Prediction::label).toList();
        }
        IntentMetrics expected = IntentMetrics.of(test.stream().map(IntentExample::label).toList(), predicted);
        assertEquals(expected.accuracy(), json.get("accuracy").asDouble(), 1e-12);
        assertEquals(expected.macroF1(), json.get("macro_f1").asDouble(), 1e-12);
        assertTrue(expected.accuracy() > 0.6, "6 labels: chance is 1/6, got " + expected.accuracy());
        List<String> order = new ArrayList<>();
        json.get("per_class").properties().forEach(e -> {
            order.add(e.getKey());
            IntentMetrics.ClassMetrics row = expected.perClass().get(e.getKey());
            assertEquals(row.f1(), e.getValue().get("f1").asDouble(), 1e-12);
            assertEquals(row.support(), e.getValue().get("support").asInt());
        });
        assertEquals(expected.byF1Ascending().stream().map(IntentMetrics.ClassMetrics::label).toList(), order);
    }

    @Test
    void theShippedCascadeAndItsNgramMemberAreScoredLikeAnyIntentModel() throws Exception {
        Path cascade = Path.of(System.getProperty("switchboard.home", "..")).resolve("models/intent/banking77-cascade/v1");
        Path fast = cascade.resolve(CascadeClassifier.FAST_DIR);
        Run run = eval("eval", "intent", "--data", data.toString(), "--model", cascade.toString(), "--compare", fast.toString(),
                "--json", "--latency", "5");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = JSON.readTree(run.out());
        List<IntentExample> test = IntentDataset.readJsonl(data.resolve("test.jsonl"));
        List<String> gold = test.stream().map(IntentExample::label).toList();
        List<String> texts = test.stream().map(IntentExample::text).toList();
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            double expected = accuracy(CascadeClassifier.load(cascade, encoder), texts, gold);
            assertEquals(expected, json.get("accuracy").asDouble(), 1e-12);
            assertTrue(expected > 0.8, "the shipped cascade on 6 BANKING77 labels: " + expected);
        }
        JsonNode compare = json.get("compare");
        assertEquals(fast.toString(), compare.get(1).get("model").asText());
        assertEquals(accuracy(NgramClassifier.load(fast), texts, gold), compare.get(1).get("accuracy").asDouble(), 1e-12);
    }

    private static double accuracy(Classifier c, List<String> texts, List<String> gold) {
        return IntentMetrics.of(gold, c.classifyAll(texts).stream().map(Prediction::label).toList()).accuracy();
    }

    @Test
    void tableShowsAccuracyMacroF1AndRowsByAscendingF1() {
        Run run = eval("eval", "intent", "--data", data.toString(), "--model", model.toString());
        assertEquals(0, run.exit(), run.err());
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(2).matches("accuracy  0\\.\\d{4}|accuracy  1\\.0000"), lines.get(2));
        assertTrue(lines.get(3).startsWith("macro-F1  "), lines.get(3));
        assertTrue(lines.get(5).matches("label +precision +recall +f1 +support"), lines.get(5));
        List<Double> f1 = lines.subList(6, lines.size()).stream().takeWhile(l -> !l.isBlank())
                .map(l -> Double.parseDouble(l.trim().split(" +")[3])).toList();
        assertEquals(6, f1.size());
        for (int i = 1; i < f1.size(); i++) {
            assertTrue(f1.get(i - 1) <= f1.get(i), "sorted by F1 ascending: " + f1);
        }
    }

    @Test
    void missingSplitsAndModelsAreClearErrors() {
        Run noSplit = eval("eval", "intent", "--data", data.toString(), "--model", model.toString(), "--split", "validation");
        assertEquals(1, noSplit.exit());
        assertEquals("error: dataset folder " + data + " has no validation.jsonl / valid.jsonl / validate.jsonl",
                noSplit.err().strip());
        Path absent = model.resolveSibling("v99");
        Run noModel = eval("eval", "intent", "--data", data.toString(), "--model", absent.toString());
        assertEquals(1, noModel.exit());
        assertEquals("error: " + absent.resolve("manifest.json") + " does not exist", noModel.err().strip());
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

    @Test
    void outOfScopeDataReportsInScopeAccuracyRecallPrecisionAndLatency(@TempDir Path dir) throws Exception {
        Path source = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("clinc150");
        Path clinc = dir.resolve("clinc4");
        Files.createDirectories(clinc);
        for (String split : List.of("train", "validation", "test")) {
            List<String> lines = new ArrayList<>(slice(source.resolve(split + ".jsonl"), 4, 15));
            lines.removeIf(l -> l.contains("\"label\": \"oos\""));
            Files.readAllLines(source.resolve(split + ".jsonl")).stream().filter(l -> l.contains("\"label\": \"oos\""))
                    .limit(20).forEach(lines::add);
            Files.write(clinc.resolve(split + ".jsonl"), lines);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, DistillCli.execute(new PrintWriter(out), new PrintWriter(err), "train", "intent", "--data",
                clinc.toString(), "--out", dir.resolve("models").toString(), "--epochs", "30", "--no-cache"), err.toString());
        Path oosModel = Path.of(out.toString().strip());

        Run run = eval("eval", "intent", "--data", clinc.toString(), "--model", oosModel.toString(), "--json", "--latency", "5");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = JSON.readTree(run.out());
        List<IntentExample> test = IntentDataset.readJsonl(clinc.resolve("test.jsonl"));
        List<Prediction> p;
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            p = IntentClassifier.load(oosModel, encoder).classifyAll(test.stream().map(IntentExample::text).toList());
        }
        OutOfScopeMetrics expected = OutOfScopeMetrics.of(test.stream().map(IntentExample::label).toList(),
                p.stream().map(Prediction::label).toList(), p.stream().map(Prediction::outOfScope).toList(), "oos");
        assertEquals(expected.inScopeAccuracy(), json.get("in_scope_accuracy").asDouble(), 1e-12);
        assertEquals(expected.oosRecall(), json.get("oos_recall").asDouble(), 1e-12);
        assertEquals(expected.oosPrecision(), json.get("oos_precision").asDouble(), 1e-12);
        assertEquals(5, json.get("latency_ms").get("count").asInt());
        assertTrue(json.get("latency_ms").get("p50").asDouble() > 0);

        Run table = eval("eval", "intent", "--data", clinc.toString(), "--model", oosModel.toString());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(4).startsWith("in-scope accuracy  "), lines.get(4));
        assertTrue(lines.get(5).startsWith("OOS recall         "), lines.get(5));
        assertTrue(lines.get(6).startsWith("OOS precision      "), lines.get(6));
    }

    @Test
    void multiLabelModelsReportMicroMacroF1AndExactMatchOnTestFolds(@TempDir Path dir) throws Exception {
        Path nlupp = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("nlupp/hotels.jsonl");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, DistillCli.execute(new PrintWriter(out), new PrintWriter(err), "train", "intent", "--data",
                nlupp.toString(), "--folds", "0-5/6", "--out", dir.toString(), "--epochs", "30", "--no-cache"), err.toString());
        Path model = Path.of(out.toString().strip());
        Run run = eval("eval", "intent", "--data", nlupp.toString(), "--folds", "0-5/6/7", "--model", model.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        JsonNode json = JSON.readTree(run.out());
        var test = dev.switchboard.distill.MultiLabelDataset.loadFolds(nlupp, dev.switchboard.distill.FoldSplit.parse("0-5/6/7")).test();
        assertEquals(test.size(), json.get("count").asInt());
        List<List<String>> predicted;
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            predicted = dev.switchboard.models.MultiLabelClassifier.load(model, encoder)
                    .classifyLabelsAll(test.stream().map(dev.switchboard.distill.MultiLabelExample::text).toList()).stream()
                    .map(dev.switchboard.models.MultiLabelPrediction::names).toList();
        }
        var expected = dev.switchboard.distill.MultiLabelMetrics.of(
                test.stream().map(dev.switchboard.distill.MultiLabelExample::intents).toList(), predicted);
        assertEquals(expected.microF1(), json.get("micro_f1").asDouble(), 1e-12);
        assertEquals(expected.macroF1(), json.get("macro_f1").asDouble(), 1e-12);
        assertEquals(expected.exactMatch(), json.get("exact_match").asDouble(), 1e-12);
        assertTrue(expected.microF1() > 0.4, "micro-F1 " + expected.microF1());
        Run noFolds = eval("eval", "intent", "--data", nlupp.toString(), "--model", model.toString());
        assertEquals(1, noFolds.exit());
        assertEquals("error: dataset folder " + nlupp + " does not exist (a fold file needs --folds)", noFolds.err().strip());
    }
}
