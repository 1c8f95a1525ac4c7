package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.distill.IntentDataset;
import dev.switchboard.distill.SlotDataset;
import dev.switchboard.distill.SlotExample;
import dev.switchboard.distill.SlotSpan;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Entity;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotTagger;
import dev.switchboard.models.ConcatEncoder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval slots}: tags every message of a split with a slot-tagger folder (loading the encoder its
 * manifest names), one message at a time on one thread (the serving case, so the per-message
 * latency is measured too: tokenisation, encoder and tagger), and prints micro precision, recall and
 * F1 with exact span matching ({@link SlotMetrics}) and a per-label table sorted by F1 ascending;
 * with {@code --json}, one JSON object instead. Gold spans are scored exactly as the file gives them.
 */
@Command(name = "slots", mixinStandardHelpOptions = true, description = "Scores a slot tagger on a dataset split (exact span match).")
final class EvalSlotsCommand implements Callable<Integer> {

    /** Messages tagged before timing starts (JIT and ONNX Runtime warm-up); they are scored too. */
    private static final int WARM_UP = 20;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true,
            description = "Dataset folder (JSONL {\"tokens\",\"tags\"} or {\"text\",\"entities\"} per split).")
    Path data;

    @Option(names = "--model", required = true, description = "Model version folder, e.g. models/slots/snips_bio/v1.")
    Path model;

    @Option(names = "--split", defaultValue = "test",
            description = "test, validation (validation|valid|validate.jsonl) or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    @Option(names = "--word-constraint", negatable = true,
            description = "Override the model's decoding: entities on word boundaries only (default: as trained).")
    Boolean wordConstraint;

    /** The decoding actually used (the model's, or the override). */
    private boolean decodedOnWords;

    @Override
    public Integer call() throws Exception {
        Path file = IntentDataset.splitFile(data, split).orElseThrow(() -> new IllegalArgumentException(
                "dataset folder " + data + " has no " + (split.equals("validation")
                        ? String.join(" / ", IntentDataset.VALIDATION_FILES) : split + ".jsonl")));
        List<SlotExample> examples = SlotDataset.readJsonl(file);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(file + " has no examples");
        }
        ModelManifest manifest = ModelManifest.read(model.resolve(SlotTagger.MANIFEST_FILE));
        List<List<SlotSpan>> predicted = new ArrayList<>();
        long[] nanos = new long[Math.max(1, examples.size() - Math.min(WARM_UP, examples.size() - 1))];
        PrintWriter err = spec.commandLine().getErr();
        try (Encoder encoder = ConcatEncoder.load(manifest.encoder(), 1)) {
            SlotTagger tagger = SlotTagger.load(model, encoder);
            if (wordConstraint != null) {
                tagger = SlotTagger.of(tagger.manifest(), tagger.model().withWordConstraint(wordConstraint), encoder);
            }
            decodedOnWords = tagger.model().wordConstraint();
            int timed = 0;
            long start = System.nanoTime();
            for (int i = 0; i < examples.size(); i++) {
                long t = System.nanoTime();
                List<Entity> entities = tagger.extract(examples.get(i).text());
                long elapsed = System.nanoTime() - t;
                if (i >= examples.size() - nanos.length) {
                    nanos[timed++] = elapsed;
                }
                predicted.add(entities.stream().map(e -> new SlotSpan(e.start(), e.end(), e.type())).toList());
            }
            err.printf(Locale.ROOT, "tagged %d messages in %.1f s on one thread%n", examples.size(), (System.nanoTime() - start) / 1e9);
        }
        long unknown = examples.stream().flatMap(e -> e.spans().stream())
                .filter(s -> !manifest.labels().contains("B-" + s.label())).count();
        if (unknown > 0) {
            err.printf(Locale.ROOT, "warning: %d gold spans have labels the model does not know; they count as misses%n", unknown);
        }
        err.flush();
        SlotMetrics metrics = SlotMetrics.of(examples.stream().map(SlotExample::spans).toList(), predicted);
        LatencyStats latency = LatencyStats.ofNanos(nanos);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(metrics, latency) + "\n" : table(metrics, latency, manifest));
        out.flush();
        return 0;
    }

    private String json(SlotMetrics metrics, LatencyStats latency) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model.toString()).put("data", data.toString()).put("split", split)
                .put("messages", metrics.messages()).put("gold_spans", metrics.goldSpans())
                .put("predicted_spans", metrics.predictedSpans()).put("true_positives", metrics.truePositives())
                .put("word_constraint", decodedOnWords)
                .put("precision", metrics.precision()).put("recall", metrics.recall()).put("f1", metrics.f1());
        root.putObject("latency_ms").put("samples", latency.count()).put("p50", latency.p50Ms())
                .put("p99", latency.p99Ms()).put("mean", latency.meanMs());
        ObjectNode perLabel = root.putObject("per_label");
        for (SlotMetrics.LabelMetrics c : metrics.byF1Ascending()) {
            perLabel.putObject(c.label()).put("precision", c.precision()).put("recall", c.recall())
                    .put("f1", c.f1()).put("support", c.support()).put("predicted", c.predicted());
        }
        return mapper.writeValueAsString(root);
    }

    private String table(SlotMetrics metrics, LatencyStats latency, ModelManifest manifest) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model      %s (%s %s, encoder %s)%n", model, manifest.name(), manifest.version(),
                manifest.encoder()));
        s.append(String.format(Locale.ROOT, "data       %s, split %s, %d messages, %d gold spans, %d predicted%n", data, split,
                metrics.messages(), metrics.goldSpans(), metrics.predictedSpans()));
        s.append(String.format(Locale.ROOT, "decoding   constrained Viterbi%s%n", decodedOnWords ? ", entities on word boundaries" : ""));
        s.append(String.format(Locale.ROOT, "precision  %.4f%nrecall     %.4f%nF1         %.4f  (micro, exact span match)%n",
                metrics.precision(), metrics.recall(), metrics.f1()));
        s.append(String.format(Locale.ROOT, "latency    p50 %.2f ms, p99 %.2f ms, mean %.2f ms per message (one thread, %d timed)%n%n",
                latency.p50Ms(), latency.p99Ms(), latency.meanMs(), latency.count()));
        int width = Math.max(5, metrics.perLabel().keySet().stream().mapToInt(String::length).max().orElse(5));
        s.append(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %6s  %7s  %9s%n", "label", "precision", "recall", "f1",
                "support", "predicted"));
        for (SlotMetrics.LabelMetrics c : metrics.byF1Ascending()) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s  %9.4f  %6.4f  %6.4f  %7d  %9d%n", c.label(), c.precision(),
                    c.recall(), c.f1(), c.support(), c.predicted()));
        }
        return s.toString();
    }
}
