package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.distill.SlotDataset;
import dev.switchboard.distill.SlotExample;
import dev.switchboard.distill.SlotSpan;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotTagger;
import java.io.PrintWriter;
import java.nio.file.Path;
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
 * {@code eval slots}: tags every message of a split with a slot-tagger folder (loading the encoder its
 * manifest names), one message at a time on one thread (the serving case, so the per-message
 * latency is measured too: tokenisation, encoder and tagger; {@link SingleThreadLatency}), and prints micro
 * precision, recall and F1 with exact span matching ({@link SlotMetrics}), where the spans go wrong
 * ({@link SpanErrors}) and a per-label table sorted by F1 ascending; with {@code --json}, one JSON object
 * instead. Gold spans are scored exactly as the file gives them. Every run also writes an HTML report
 * ({@link SlotReport}; {@code --report FILE}, {@code --no-report}) and names its path on stderr.
 */
@Command(name = "slots", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores a slot tagger on a dataset split (exact span match) and writes an HTML report.")
final class EvalSlotsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EvalOptions options;

    @Option(names = "--word-constraint", negatable = true, order = 7,
            description = "Override the model's decoding: entities on word boundaries only (default: as trained).")
    Boolean wordConstraint;

    @Override
    public Integer call() throws Exception {
        options.validate();
        Path file = options.splitFile();
        List<SlotExample> examples = SlotDataset.readJsonl(file);
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(file + " has no examples");
        }
        ModelManifest manifest = ModelManifest.read(options.model.resolve(SlotTagger.MANIFEST_FILE));
        Optional<Path> reportFile = options.reportFile(manifest, options.split);
        PrintWriter err = spec.commandLine().getErr();
        SingleThreadLatency<List<SlotSpan>> tagged;
        boolean decodedOnWords;
        try (Encoder encoder = ConcatEncoder.load(manifest.encoder(), 1)) {
            SlotTagger loaded = SlotTagger.load(options.model, encoder);
            SlotTagger tagger = wordConstraint == null ? loaded
                    : SlotTagger.of(loaded.manifest(), loaded.model().withWordConstraint(wordConstraint), encoder);
            decodedOnWords = tagger.model().wordConstraint();
            long start = System.nanoTime();
            tagged = SingleThreadLatency.run(examples.stream().map(SlotExample::text).toList(),
                    text -> tagger.extract(text).stream().map(e -> new SlotSpan(e.start(), e.end(), e.type())).toList());
            err.printf(Locale.ROOT, "tagged %d messages in %.1f s on one thread%n", examples.size(), (System.nanoTime() - start) / 1e9);
        }
        long unknown = examples.stream().flatMap(e -> e.spans().stream())
                .filter(s -> !manifest.labels().contains("B-" + s.label())).count();
        if (unknown > 0) {
            err.printf(Locale.ROOT, "warning: %d gold spans have labels the model does not know; they count as misses%n", unknown);
        }
        List<List<SlotSpan>> gold = examples.stream().map(SlotExample::spans).toList();
        List<List<SlotSpan>> predicted = tagged.results();
        SlotMetrics metrics = SlotMetrics.of(gold, predicted);
        SpanErrors errors = SpanErrors.of(gold, predicted);
        LatencyStats latency = tagged.stats(options.latency);
        List<SliceMetrics> slices = SliceMetrics.of(SliceMetrics.LENGTH,
                examples.stream().map(e -> SliceMetrics.lengthBucket(e.text())).toList(), idx -> {
                    SlotMetrics m = SlotMetrics.of(SliceMetrics.pick(gold, idx), SliceMetrics.pick(predicted, idx));
                    Map<String, Double> v = new LinkedHashMap<>();
                    v.put("precision", m.precision());
                    v.put("recall", m.recall());
                    v.put("f1", m.f1());
                    return v;
                });
        if (reportFile.isPresent()) {
            HtmlReport report = new HtmlReport("eval slots: " + manifest.name() + " " + manifest.version())
                    .header(options.model, manifest, options.data, options.split, options.commandLine());
            SlotReport.write(report, metrics, errors, slices, latency, decodedOnWords);
            report.write(reportFile.get());
            err.println("report: " + reportFile.get());
        }
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.print(options.json ? json(metrics, errors, slices, latency, decodedOnWords, reportFile) + "\n"
                : table(metrics, errors, latency, manifest, decodedOnWords));
        out.flush();
        return 0;
    }

    private String json(SlotMetrics metrics, SpanErrors errors, List<SliceMetrics> slices, LatencyStats latency,
            boolean decodedOnWords, Optional<Path> reportFile) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", options.model.toString()).put("data", options.data.toString()).put("split", options.split)
                .put("messages", metrics.messages()).put("gold_spans", metrics.goldSpans())
                .put("predicted_spans", metrics.predictedSpans()).put("true_positives", metrics.truePositives())
                .put("word_constraint", decodedOnWords)
                .put("precision", metrics.precision()).put("recall", metrics.recall()).put("f1", metrics.f1());
        JsonReport.latency(root, latency).put("samples", latency.count());
        ObjectNode perLabel = root.putObject("per_label");
        for (SlotMetrics.LabelMetrics c : metrics.byF1Ascending()) {
            perLabel.putObject(c.label()).put("precision", c.precision()).put("recall", c.recall())
                    .put("f1", c.f1()).put("support", c.support()).put("predicted", c.predicted());
        }
        ObjectNode spanErrors = root.putObject("span_errors");
        errors.categories().forEach((k, v) -> spanErrors.put(k.replace(' ', '_'), v));
        JsonReport.slices(root, slices);
        root.put("report", reportFile.map(Path::toString).orElse(null));
        return mapper.writeValueAsString(root);
    }

    private String table(SlotMetrics metrics, SpanErrors errors, LatencyStats latency, ModelManifest manifest,
            boolean decodedOnWords) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model      %s (%s %s, encoder %s)%n", options.model, manifest.name(), manifest.version(),
                manifest.encoder()));
        s.append(String.format(Locale.ROOT, "data       %s, split %s, %d messages, %d gold spans, %d predicted%n", options.data,
                options.split, metrics.messages(), metrics.goldSpans(), metrics.predictedSpans()));
        s.append(String.format(Locale.ROOT, "decoding   constrained Viterbi%s%n", decodedOnWords ? ", entities on word boundaries" : ""));
        s.append(String.format(Locale.ROOT, "precision  %.4f%nrecall     %.4f%nF1         %.4f  (micro, exact span match)%n",
                metrics.precision(), metrics.recall(), metrics.f1()));
        s.append(String.format(Locale.ROOT, "latency    p50 %.2f ms, p99 %.2f ms, mean %.2f ms per message (one thread, %d timed)%n",
                latency.p50Ms(), latency.p99Ms(), latency.meanMs(), latency.count()));
        s.append("errors    ");
        errors.categories().forEach((k, v) -> s.append(String.format(Locale.ROOT, " %s %d,", k, v)));
        s.setLength(s.length() - 1);
        s.append(String.format(Locale.ROOT, "%n%n"));
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
