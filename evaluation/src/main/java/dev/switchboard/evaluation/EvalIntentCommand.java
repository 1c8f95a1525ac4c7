package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.distill.FoldSplit;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.IntentExample;
import dev.switchboard.distill.MultiLabelDataset;
import dev.switchboard.distill.MultiLabelExample;
import dev.switchboard.distill.MultiLabelMetrics;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.IntentModels;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.MultiLabelClassifier;
import dev.switchboard.models.MultiLabelPrediction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval intent}: classifies every example of a split with a model folder (loading the encoder(s)
 * its manifest names) and prints the scores and a per-label table sorted by F1 ascending; with
 * {@code --json}, one JSON object instead. Every run also writes an HTML report ({@link HtmlReport};
 * {@code --report FILE}, {@code --no-report}) and names its path on stderr.
 * <ul>
 *   <li>single-label: accuracy and macro-F1 (a text the model rejects as out of scope counts as its
 *       out-of-scope label, when it has one); when the split has out-of-scope examples, also in-scope
 *       accuracy, OOS recall and precision ({@link OutOfScopeMetrics}); the expected calibration error
 *       ({@link ReliabilityBins}) and per-slice metrics ({@link SliceMetrics}); with {@code --compare B ...},
 *       every model on the same split with its single-thread latency (a table, and accuracy against
 *       latency in the report);</li>
 *   <li>multi-label: micro-F1, macro-F1 and exact match ({@link MultiLabelMetrics}).</li>
 * </ul>
 * With {@code --latency N}, also the single-message latency (encoder included, one thread) of N texts.
 */
@Command(name = "intent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores an intent classifier on a dataset split and writes an HTML report.")
final class EvalIntentCommand implements Callable<Integer> {

    /** Texts timed per model with --compare when --latency is not given. */
    static final int COMPARE_LATENCY = 200;

    @Spec
    CommandSpec spec;

    @Mixin
    EvalOptions options;

    @Option(names = "--folds", order = 7, description = "With a fold file: TRAIN/VALIDATION/TEST folds; the TEST folds are scored.")
    String folds;

    @Option(names = "--oos-label", defaultValue = "oos", order = 8,
            description = "Gold label of out-of-scope examples (default: ${DEFAULT-VALUE}).")
    String oosLabel;

    @Option(names = "--compare", paramLabel = "MODEL", order = 9,
            description = "Another model folder (e.g. the teacher or a student) to score on the same split, with latency; repeatable.")
    List<Path> compare = new ArrayList<>();

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        options.validate();
        Path model = options.model;
        ModelManifest manifest = ModelManifest.read(model.resolve(IntentClassifier.MANIFEST_FILE));
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        boolean multi = manifest.kind().equals(MultiLabelClassifier.KIND);
        String splitName = folds != null ? "folds " + folds : options.split;
        Optional<Path> reportFile = options.reportFile(manifest, splitName);
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model.toString()).put("data", options.data.toString()).put("split", splitName);
        HtmlReport report = new HtmlReport("eval intent: " + manifest.name() + " " + manifest.version())
                .header(model, manifest, options.data, splitName, options.commandLine());
        String text;
        if (multi) {
            if (!compare.isEmpty()) {
                throw new IllegalArgumentException("--compare is for single-label models");
            }
            text = multiLabel(manifest, root, report, err);
        } else {
            text = singleLabel(manifest, root, report, err);
        }
        if (reportFile.isPresent()) {
            report.write(reportFile.get());
            root.put("report", reportFile.get().toString());
            err.println("report: " + reportFile.get());
        } else {
            root.putNull("report");
        }
        err.flush();
        out.print(options.json ? JSON.writeValueAsString(root) + "\n" : text);
        out.flush();
        return 0;
    }

    private String singleLabel(ModelManifest manifest, ObjectNode root, HtmlReport report, PrintWriter err) {
        if (folds != null) {
            throw new IllegalArgumentException("--folds is for multi-label fold files");
        }
        List<IntentExample> examples = IntentDataset.readJsonl(options.splitFile());
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(options.splitFile() + " has no examples");
        }
        int latencyTexts = options.latency > 0 ? options.latency : compare.isEmpty() ? 0 : COMPARE_LATENCY;
        IntentRun run = IntentRun.evaluate(options.model, manifest, examples, oosLabel, latencyTexts);
        err.printf(Locale.ROOT, "classified %d texts in %.1f s%n", examples.size(), run.seconds());
        long unknown = examples.stream().filter(e -> !manifest.labels().contains(e.label()) && !e.label().equals(oosLabel))
                .count();
        if (unknown > 0) {
            err.printf(Locale.ROOT, "warning: %d examples have labels the model does not know; they count as errors%n", unknown);
        }
        List<IntentRun> compared = new ArrayList<>();
        for (Path other : compare) {
            ModelManifest m = ModelManifest.read(other.resolve(IntentClassifier.MANIFEST_FILE));
            if (!IntentModels.KINDS.contains(m.kind())) {
                throw new IllegalArgumentException(other + " is a " + m.kind() + ", not a single-label intent model ("
                        + String.join(", ", IntentModels.KINDS) + ")");
            }
            compared.add(IntentRun.evaluate(other, m, examples, oosLabel, latencyTexts));
            err.printf(Locale.ROOT, "compared %s%n", other);
        }
        err.flush();
        IntentMetrics metrics = run.metrics();
        OutOfScopeMetrics oos = run.oos();
        root.put("count", metrics.count()).put("accuracy", metrics.accuracy()).put("macro_f1", metrics.macroF1());
        if (oos != null) {
            root.put("in_scope_accuracy", oos.inScopeAccuracy()).put("oos_recall", oos.oosRecall())
                    .put("oos_precision", oos.oosPrecision()).put("rejected", oos.rejected());
        }
        ObjectNode perClass = root.putObject("per_class");
        for (IntentMetrics.ClassMetrics c : metrics.byF1Ascending()) {
            perClass.putObject(c.label()).put("precision", c.precision()).put("recall", c.recall())
                    .put("f1", c.f1()).put("support", c.support());
        }
        JsonReport.reliability(root, run.reliability());
        JsonReport.slices(root, run.slices());
        var confusions = root.putArray("top_confusions");
        run.topConfusions(IntentReport.TOP_CONFUSIONS).forEach(c -> confusions.addObject().put("gold", c.gold())
                .put("predicted", c.predicted()).put("count", c.count()));
        if (run.latency() != null) {
            JsonReport.latency(root, run.latency());
        }
        IntentReport.write(report, run, compared, oosLabel);
        StringBuilder s = new StringBuilder();
        s.append(header(manifest, metrics.count(), options.split));
        s.append(String.format(Locale.ROOT, "accuracy  %.4f%nmacro-F1  %.4f%n", metrics.accuracy(), metrics.macroF1()));
        if (oos != null) {
            s.append(String.format(Locale.ROOT, "in-scope accuracy  %.4f  (%d in-scope; a rejected one counts as wrong)%n"
                    + "OOS recall         %.4f  (%d '%s' examples)%nOOS precision      %.4f  (%d rejected)%n",
                    oos.inScopeAccuracy(), oos.inScope(), oos.oosRecall(), oos.outOfScope(), oosLabel, oos.oosPrecision(),
                    oos.rejected()));
        }
        s.append(String.format(Locale.ROOT, "%n"));
        int width = Math.max(5, metrics.perClass().keySet().stream().mapToInt(String::length).max().orElse(5));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %6s  %7s%n", "label", "precision", "recall", "f1", "support"));
        for (IntentMetrics.ClassMetrics c : metrics.byF1Ascending()) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d%n", c.label(), c.precision(),
                    c.recall(), c.f1(), c.support()));
        }
        s.append(String.format(Locale.ROOT, "%nECE       %.4f  (%d confidence bins)%n", run.reliability().ece(),
                ReliabilityBins.DEFAULT_BINS));
        if (run.latency() != null) {
            LatencyStats stats = run.latency();
            s.append(String.format(Locale.ROOT, "%nsingle-message latency (one thread, encoder included, %d texts): "
                    + "p50 %.2f ms, p99 %.2f ms, mean %.2f ms%n", stats.count(), stats.p50Ms(), stats.p99Ms(), stats.meanMs()));
        }
        if (!compared.isEmpty()) {
            s.append(compareTable(run, compared, root));
        }
        return s.toString();
    }

    /** The teacher-vs-student table: every model's accuracy, share of the first model's, and latency. */
    private static String compareTable(IntentRun run, List<IntentRun> compared, ObjectNode root) {
        List<IntentRun> all = new ArrayList<>(List.of(run));
        all.addAll(compared);
        int width = Math.max(5, all.stream().mapToInt(r -> IntentReport.name(r).length()).max().orElse(5));
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n%-" + width + "s  %8s  %8s  %10s  %8s  %8s%n",
                "model", "accuracy", "macro-F1", "% of first", "p50 ms", "p99 ms"));
        var rows = root.putArray("compare");
        for (IntentRun r : all) {
            double kept = 100 * r.metrics().accuracy() / run.metrics().accuracy();
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %8.4f  %8.4f  %10.2f  %8.2f  %8.2f%n", IntentReport.name(r),
                    r.metrics().accuracy(), r.metrics().macroF1(), kept, r.latency().p50Ms(), r.latency().p99Ms()));
            rows.addObject().put("model", r.model().toString()).put("name", r.manifest().name())
                    .put("version", r.manifest().version()).put("encoder", r.manifest().encoder())
                    .put("accuracy", r.metrics().accuracy()).put("macro_f1", r.metrics().macroF1())
                    .put("latency_p50_ms", r.latency().p50Ms()).put("latency_p99_ms", r.latency().p99Ms());
        }
        return s.toString();
    }

    private String multiLabel(ModelManifest manifest, ObjectNode root, HtmlReport report, PrintWriter err) {
        List<MultiLabelExample> examples;
        if (folds != null) {
            FoldSplit f = FoldSplit.parse(folds);
            if (f.test().isEmpty()) {
                throw new IllegalArgumentException("--folds needs TEST folds to score: TRAIN/VALIDATION/TEST");
            }
            examples = MultiLabelDataset.loadFolds(options.data, f).test();
        } else {
            examples = MultiLabelDataset.rowsOf(options.splitFile());
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(options.data + ": no examples to score");
        }
        List<String> texts = examples.stream().map(MultiLabelExample::text).toList();
        List<List<String>> gold = examples.stream().map(MultiLabelExample::intents).toList();
        List<List<String>> predicted;
        LatencyStats latency = null;
        try (Encoder encoder = ConcatEncoder.load(manifest.encoder())) {
            MultiLabelClassifier classifier = MultiLabelClassifier.load(options.model, encoder);
            long start = System.nanoTime();
            predicted = classifier.classifyLabelsAll(texts).stream().map(MultiLabelPrediction::names).toList();
            err.printf(Locale.ROOT, "classified %d texts in %.1f s%n", examples.size(), (System.nanoTime() - start) / 1e9);
            if (options.latency > 0) {
                latency = SingleThreadLatency.run(SingleThreadLatency.cycle(texts, options.latency), classifier::classify).stats(0);
            }
        }
        MultiLabelMetrics m = MultiLabelMetrics.of(gold, predicted);
        root.put("count", m.count()).put("micro_f1", m.microF1()).put("macro_f1", m.macroF1()).put("exact_match", m.exactMatch());
        ObjectNode perLabel = root.putObject("per_label");
        StringBuilder s = new StringBuilder(header(manifest, m.count(), folds != null ? "folds " + folds : options.split));
        s.append(String.format(Locale.ROOT, "micro-F1     %.4f%nmacro-F1     %.4f%nexact match  %.4f%n%n", m.microF1(),
                m.macroF1(), m.exactMatch()));
        int width = Math.max(5, m.perLabel().keySet().stream().mapToInt(String::length).max().orElse(5));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %6s  %7s%n", "label", "precision", "recall", "f1", "support"));
        List<List<Object>> rows = new ArrayList<>();
        m.perLabel().entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, int[]> e) -> f1(e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    int[] c = e.getValue();
                    double precision = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
                    double recall = c[0] + c[2] == 0 ? 0 : (double) c[0] / (c[0] + c[2]);
                    perLabel.putObject(e.getKey()).put("precision", precision).put("recall", recall).put("f1", f1(c))
                            .put("support", c[0] + c[2]);
                    rows.add(List.of(e.getKey(), precision, recall, f1(c), c[0] + c[2]));
                    s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d%n", e.getKey(), precision,
                            recall, f1(c), c[0] + c[2]));
                });
        List<SliceMetrics> slices = SliceMetrics.of(SliceMetrics.LENGTH, texts.stream().map(SliceMetrics::lengthBucket).toList(),
                idx -> {
                    MultiLabelMetrics sm = MultiLabelMetrics.of(SliceMetrics.pick(gold, idx), SliceMetrics.pick(predicted, idx));
                    Map<String, Double> v = new LinkedHashMap<>();
                    v.put("micro_f1", sm.microF1());
                    v.put("exact_match", sm.exactMatch());
                    return v;
                });
        JsonReport.slices(root, slices);
        Map<String, String> scores = new LinkedHashMap<>();
        scores.put("examples", String.valueOf(m.count()));
        scores.put("micro-F1", Xhtml.num(m.microF1()));
        scores.put("macro-F1", Xhtml.num(m.macroF1()));
        scores.put("exact match", Xhtml.num(m.exactMatch()));
        scores.put("latency", latency == null ? "not measured (--latency N)" : IntentReport.latency(latency));
        report.section("scores", "Scores (multi-label)").keyValues(scores).section("per-label", "Per-label F1")
                .svg(Svg.bars(rows.stream().map(r -> (String) r.get(0)).toList(), rows.stream().map(r -> (Double) r.get(3)).toList(), "F1"))
                .table("per-label-table", List.of("label", "precision", "recall", "f1", "support"), rows, true);
        IntentReport.slices(report, slices, List.of("micro_f1", "exact_match"));
        if (latency != null) {
            JsonReport.latency(root, latency);
            s.append(String.format(Locale.ROOT, "%nsingle-message latency (one thread, encoder included, %d texts): "
                    + "p50 %.2f ms, p99 %.2f ms, mean %.2f ms%n", latency.count(), latency.p50Ms(), latency.p99Ms(), latency.meanMs()));
        }
        return s.toString();
    }

    private static double f1(int[] c) {
        return c[0] == 0 ? 0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
    }

    private String header(ModelManifest manifest, int count, String splitName) {
        return String.format(Locale.ROOT, "model     %s (%s %s, encoder %s)%ndata      %s, split %s, %d examples%n", options.model,
                manifest.name(), manifest.version(), manifest.encoder(), options.data, splitName, count);
    }
}
