package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.distill.FoldSplit;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.IntentExample;
import dev.switchboard.distill.MultiLabelDataset;
import dev.switchboard.distill.MultiLabelExample;
import dev.switchboard.distill.MultiLabelMetrics;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.MultiLabelClassifier;
import dev.switchboard.models.MultiLabelPrediction;
import dev.switchboard.models.Prediction;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval intent}: classifies every example of a split with a model folder (loading the encoder(s)
 * its manifest names) and prints the scores and a per-label table sorted by F1 ascending; with
 * {@code --json}, one JSON object instead.
 * <ul>
 *   <li>single-label: accuracy and macro-F1 (a text the model rejects as out of scope counts as its
 *       out-of-scope label, when it has one); when the split has out-of-scope examples, also in-scope
 *       accuracy, OOS recall and precision ({@link OutOfScopeMetrics});</li>
 *   <li>multi-label: micro-F1, macro-F1 and exact match ({@link MultiLabelMetrics}).</li>
 * </ul>
 * With {@code --latency N}, also the single-message latency (encoder included, one thread) of N texts.
 */
@Command(name = "intent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores an intent classifier on a dataset split.")
final class EvalIntentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true,
            description = "Dataset folder (JSONL per split), or a fold file with --folds.")
    Path data;

    @Option(names = "--model", required = true, description = "Model version folder, e.g. models/intent/banking77/v1.")
    Path model;

    @Option(names = "--split", defaultValue = "test",
            description = "test, validation (validation|valid|validate.jsonl) or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--folds", description = "With a fold file: TRAIN/VALIDATION/TEST folds; the TEST folds are scored.")
    String folds;

    @Option(names = "--oos-label", defaultValue = "oos",
            description = "Gold label of out-of-scope examples (default: ${DEFAULT-VALUE}).")
    String oosLabel;

    @Option(names = "--latency", defaultValue = "0", paramLabel = "N",
            description = "Also time N single-message classifications on one thread (default: ${DEFAULT-VALUE}).")
    int latency;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Integer call() throws Exception {
        ModelManifest manifest = ModelManifest.read(model.resolve(IntentClassifier.MANIFEST_FILE));
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        boolean multi = manifest.kind().equals(MultiLabelClassifier.KIND);
        try (Encoder encoder = ConcatEncoder.load(manifest.encoder())) {
            ObjectNode root = JSON.createObjectNode();
            root.put("model", model.toString()).put("data", data.toString()).put("split", folds != null ? "folds " + folds : split);
            String text = multi ? multiLabel(encoder, root, err) : singleLabel(encoder, manifest, root, err);
            List<String> texts = latency > 0 ? BenchmarkTexts.read(Files.isDirectory(data)
                    ? IntentDataset.splitFile(data, split).orElseThrow() : data, latency) : List.of();
            if (latency > 0) {
                LatencyStats stats = latency(texts, multi, encoder);
                root.putObject("latency_ms").put("count", stats.count()).put("p50", stats.p50Ms()).put("p99", stats.p99Ms())
                        .put("mean", stats.meanMs());
                text += String.format(Locale.ROOT, "%nsingle-message latency (one thread, encoder included, %d texts): "
                        + "p50 %.2f ms, p99 %.2f ms, mean %.2f ms%n", stats.count(), stats.p50Ms(), stats.p99Ms(), stats.meanMs());
            }
            out.print(json ? JSON.writeValueAsString(root) + "\n" : text);
            out.flush();
        }
        return 0;
    }

    private String singleLabel(Encoder encoder, ModelManifest manifest, ObjectNode root, PrintWriter err) {
        if (folds != null) {
            throw new IllegalArgumentException("--folds is for multi-label fold files");
        }
        List<IntentExample> examples = IntentDataset.readJsonl(splitFile());
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(splitFile() + " has no examples");
        }
        IntentClassifier classifier = IntentClassifier.load(model, encoder);
        long start = System.nanoTime();
        List<Prediction> predictions = classifier.classifyAll(examples.stream().map(IntentExample::text).toList());
        err.printf(Locale.ROOT, "classified %d texts in %.1f s%n", examples.size(), (System.nanoTime() - start) / 1e9);
        long unknown = examples.stream().filter(e -> !manifest.labels().contains(e.label()) && !e.label().equals(oosLabel))
                .count();
        if (unknown > 0) {
            err.printf(Locale.ROOT, "warning: %d examples have labels the model does not know; they count as errors%n", unknown);
        }
        err.flush();
        List<String> gold = examples.stream().map(IntentExample::label).toList();
        // A rejected text counts as the out-of-scope label in accuracy and the per-label table.
        List<String> predicted = predictions.stream().map(p -> p.outOfScope() ? oosLabel : p.label()).toList();
        IntentMetrics metrics = IntentMetrics.of(gold, predicted);
        OutOfScopeMetrics oos = gold.contains(oosLabel) && gold.stream().anyMatch(g -> !g.equals(oosLabel))
                ? OutOfScopeMetrics.of(gold, predictions.stream().map(Prediction::label).toList(),
                        predictions.stream().map(p -> p.outOfScope() || p.label().equals(oosLabel)).toList(), oosLabel)
                : null;
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
        StringBuilder s = new StringBuilder();
        s.append(header(manifest, metrics.count()));
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
        return s.toString();
    }

    private String multiLabel(Encoder encoder, ObjectNode root, PrintWriter err) {
        MultiLabelClassifier classifier = MultiLabelClassifier.load(model, encoder);
        List<MultiLabelExample> examples;
        if (folds != null) {
            FoldSplit f = FoldSplit.parse(folds);
            if (f.test().isEmpty()) {
                throw new IllegalArgumentException("--folds needs TEST folds to score: TRAIN/VALIDATION/TEST");
            }
            examples = MultiLabelDataset.loadFolds(data, f).test();
        } else {
            examples = MultiLabelDataset.rowsOf(splitFile());
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(data + ": no examples to score");
        }
        long start = System.nanoTime();
        List<MultiLabelPrediction> predictions = classifier.classifyLabelsAll(
                examples.stream().map(MultiLabelExample::text).toList());
        err.printf(Locale.ROOT, "classified %d texts in %.1f s%n", examples.size(), (System.nanoTime() - start) / 1e9);
        err.flush();
        MultiLabelMetrics m = MultiLabelMetrics.of(examples.stream().map(MultiLabelExample::intents).toList(),
                predictions.stream().map(MultiLabelPrediction::names).toList());
        root.put("count", m.count()).put("micro_f1", m.microF1()).put("macro_f1", m.macroF1()).put("exact_match", m.exactMatch());
        ObjectNode perLabel = root.putObject("per_label");
        StringBuilder s = new StringBuilder(header(classifier.manifest(), m.count()));
        s.append(String.format(Locale.ROOT, "micro-F1     %.4f%nmacro-F1     %.4f%nexact match  %.4f%n%n", m.microF1(),
                m.macroF1(), m.exactMatch()));
        int width = Math.max(5, m.perLabel().keySet().stream().mapToInt(String::length).max().orElse(5));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %6s  %7s%n", "label", "precision", "recall", "f1", "support"));
        m.perLabel().entrySet().stream()
                .sorted(java.util.Comparator.comparingDouble((Map.Entry<String, int[]> e) -> f1(e.getValue()))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    int[] c = e.getValue();
                    double precision = c[0] + c[1] == 0 ? 0 : (double) c[0] / (c[0] + c[1]);
                    double recall = c[0] + c[2] == 0 ? 0 : (double) c[0] / (c[0] + c[2]);
                    perLabel.putObject(e.getKey()).put("precision", precision).put("recall", recall).put("f1", f1(c))
                            .put("support", c[0] + c[2]);
                    s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d%n", e.getKey(), precision,
                            recall, f1(c), c[0] + c[2]));
                });
        return s.toString();
    }

    private static double f1(int[] c) {
        return c[0] == 0 ? 0 : 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
    }

    private Path splitFile() {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("dataset folder " + data + " does not exist" + (Files.isRegularFile(data)
                    ? " (a fold file needs --folds)" : ""));
        }
        return IntentDataset.splitFile(data, split).orElseThrow(() -> new IllegalArgumentException(
                "dataset folder " + data + " has no " + (split.equals("validation")
                        ? String.join(" / ", IntentDataset.VALIDATION_FILES) : split + ".jsonl")));
    }

    private String header(ModelManifest manifest, int count) {
        return String.format(Locale.ROOT, "model     %s (%s %s, encoder %s)%ndata      %s, split %s, %d examples%n", model,
                manifest.name(), manifest.version(), manifest.encoder(), data, folds != null ? "folds " + folds : split, count);
    }

    /** Times one message at a time on this thread, after 20 warm-up calls. */
    private LatencyStats latency(List<String> texts, boolean multi, Encoder encoder) {
        Classifier classifier = multi ? MultiLabelClassifier.load(model, encoder) : IntentClassifier.load(model, encoder);
        for (int i = 0; i < Math.min(20, texts.size()); i++) {
            classifier.classify(texts.get(i));
        }
        long[] nanos = new long[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            long t = System.nanoTime();
            classifier.classify(texts.get(i));
            nanos[i] = System.nanoTime() - t;
        }
        return LatencyStats.ofNanos(nanos);
    }
}
