package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.IntentExample;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.Prediction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval intent}: classifies every example of a split with a model folder (loading the encoder
 * its manifest names) and prints accuracy, macro-F1 and a per-label table sorted by F1 ascending;
 * with {@code --json}, one JSON object instead.
 */
@Command(name = "intent", mixinStandardHelpOptions = true, description = "Scores an intent classifier on a dataset split.")
final class EvalIntentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset folder (JSONL {\"text\",\"label\"} per split).")
    Path data;

    @Option(names = "--model", required = true, description = "Model version folder, e.g. models/intent/banking77/v1.")
    Path model;

    @Option(names = "--split", defaultValue = "test",
            description = "test, validation (validation|valid|validate.jsonl) or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path file = IntentDataset.splitFile(data, split).orElseThrow(() -> new IllegalArgumentException(
                "dataset folder " + data + " has no " + (split.equals("validation")
                        ? String.join(" / ", IntentDataset.VALIDATION_FILES) : split + ".jsonl")));
        List<IntentExample> examples = IntentDataset.readJsonl(file);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(file + " has no examples");
        }
        ModelManifest manifest = ModelManifest.read(model.resolve(IntentClassifier.MANIFEST_FILE));
        List<String> predicted;
        PrintWriter err = spec.commandLine().getErr();
        try (Encoder encoder = Encoders.load(manifest.encoder())) {
            IntentClassifier classifier = IntentClassifier.load(model, encoder);
            long start = System.nanoTime();
            predicted = classifier.classifyAll(examples.stream().map(IntentExample::text).toList()).stream()
                    .map(Prediction::label).toList();
            err.printf(Locale.ROOT, "classified %d texts in %.1f s%n", examples.size(), (System.nanoTime() - start) / 1e9);
        }
        long unknown = examples.stream().filter(e -> !manifest.labels().contains(e.label())).count();
        if (unknown > 0) {
            err.printf(Locale.ROOT, "warning: %d examples have labels the model does not know; they count as errors%n", unknown);
        }
        err.flush();
        IntentMetrics metrics = IntentMetrics.of(examples.stream().map(IntentExample::label).toList(), predicted);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(metrics) + "\n" : table(metrics, manifest));
        out.flush();
        return 0;
    }

    private String json(IntentMetrics metrics) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model.toString()).put("data", data.toString()).put("split", split)
                .put("count", metrics.count()).put("accuracy", metrics.accuracy()).put("macro_f1", metrics.macroF1());
        ObjectNode perClass = root.putObject("per_class");
        for (IntentMetrics.ClassMetrics c : metrics.byF1Ascending()) {
            perClass.putObject(c.label()).put("precision", c.precision()).put("recall", c.recall())
                    .put("f1", c.f1()).put("support", c.support());
        }
        return mapper.writeValueAsString(root);
    }

    private String table(IntentMetrics metrics, ModelManifest manifest) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model     %s (%s %s, encoder %s)%n", model, manifest.name(), manifest.version(),
                manifest.encoder()));
        s.append(String.format(Locale.ROOT, "data      %s, split %s, %d examples%n", data, split, metrics.count()));
        s.append(String.format(Locale.ROOT, "accuracy  %.4f%nmacro-F1  %.4f%n%n", metrics.accuracy(), metrics.macroF1()));
        int width = Math.max(5, metrics.perClass().keySet().stream().mapToInt(String::length).max().orElse(5));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %6s  %7s%n", "label", "precision", "recall", "f1", "support"));
        for (IntentMetrics.ClassMetrics c : metrics.byF1Ascending()) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d%n", c.label(), c.precision(), c.recall(),
                    c.f1(), c.support()));
        }
        return s.toString();
    }
}
