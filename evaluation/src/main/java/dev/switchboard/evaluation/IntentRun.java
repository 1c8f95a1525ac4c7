package dev.switchboard.evaluation;

import dev.switchboard.distill.IntentExample;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.IntentModels;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One single-label intent model scored on one split: its predictions and every metric the CLI and the
 * report show. A rejected text counts as the out-of-scope label in accuracy, the per-label table and
 * the confusion matrix.
 *
 * @param model       the model folder
 * @param manifest    its manifest
 * @param examples    the scored examples
 * @param predictions per example, the classifier's prediction (batched call)
 * @param predicted   per example, the predicted label after rejection
 * @param metrics     accuracy, macro-F1, per label
 * @param oos         out-of-scope metrics when the split has in-scope and out-of-scope examples, else null
 * @param reliability confidence = {@link Prediction#confidence()} of the top label; right = that top label
 *                    (before rejection) is the gold label
 * @param latency     single-thread latency of single messages, encoder included, or null if not measured
 * @param seconds     wall time of the batched classification
 */
record IntentRun(Path model, ModelManifest manifest, List<IntentExample> examples, List<Prediction> predictions,
        List<String> predicted, IntentMetrics metrics, OutOfScopeMetrics oos, ReliabilityBins reliability,
        LatencyStats latency, double seconds) {

    /** A gold → predicted confusion and how often it happened. */
    record Confusion(String gold, String predicted, int count) {
    }

    /**
     * Loads the model of any kind {@link IntentModels} knows (and the encoder its manifest names, if any), classifies every example in one batched call,
     * then, when {@code latencyTexts > 0}, times that many single-message calls on one thread.
     */
    static IntentRun evaluate(Path model, ModelManifest manifest, List<IntentExample> examples, String oosLabel,
            int latencyTexts) {
        try (Encoder encoder = IntentModels.needsEncoder(manifest) ? ConcatEncoder.load(manifest.encoder()) : null) {
            Classifier classifier = IntentModels.load(model, encoder);
            List<String> texts = examples.stream().map(IntentExample::text).toList();
            long start = System.nanoTime();
            List<Prediction> predictions = classifier.classifyAll(texts);
            double seconds = (System.nanoTime() - start) / 1e9;
            LatencyStats latency = latencyTexts > 0
                    ? SingleThreadLatency.run(SingleThreadLatency.cycle(texts, latencyTexts), classifier::classify).stats(0)
                    : null;
            return of(model, manifest, examples, predictions, oosLabel, latency, seconds);
        }
    }

    /** Scores given predictions. */
    static IntentRun of(Path model, ModelManifest manifest, List<IntentExample> examples, List<Prediction> predictions,
            String oosLabel, LatencyStats latency, double seconds) {
        Objects.requireNonNull(oosLabel, "oosLabel");
        List<String> gold = examples.stream().map(IntentExample::label).toList();
        List<String> predicted = predictions.stream().map(p -> p.outOfScope() ? oosLabel : p.label()).toList();
        OutOfScopeMetrics oos = gold.contains(oosLabel) && gold.stream().anyMatch(g -> !g.equals(oosLabel))
                ? OutOfScopeMetrics.of(gold, predictions.stream().map(Prediction::label).toList(),
                        predictions.stream().map(p -> p.outOfScope() || p.label().equals(oosLabel)).toList(), oosLabel)
                : null;
        List<Boolean> right = new ArrayList<>();
        for (int i = 0; i < gold.size(); i++) {
            right.add(predictions.get(i).label().equals(gold.get(i)));
        }
        ReliabilityBins reliability = ReliabilityBins.of(predictions.stream().map(Prediction::confidence).toList(), right,
                ReliabilityBins.DEFAULT_BINS);
        return new IntentRun(model, manifest, List.copyOf(examples), List.copyOf(predictions), predicted,
                IntentMetrics.of(gold, predicted), oos, reliability, latency, seconds);
    }

    List<String> gold() {
        return examples.stream().map(IntentExample::label).toList();
    }

    /** Accuracy and macro-F1 per length bucket, and per domain when some example has one. */
    List<SliceMetrics> slices() {
        List<SliceMetrics> rows = new ArrayList<>(slice(SliceMetrics.LENGTH,
                examples.stream().map(e -> SliceMetrics.lengthBucket(e.text())).toList()));
        if (examples.stream().anyMatch(e -> e.domain() != null)) {
            rows.addAll(slice(SliceMetrics.DOMAIN, examples.stream().map(e -> e.domain() == null ? "(none)" : e.domain()).toList()));
        }
        return rows;
    }

    private List<SliceMetrics> slice(String dimension, List<String> keys) {
        List<String> gold = gold();
        return SliceMetrics.of(dimension, keys, idx -> {
            IntentMetrics m = IntentMetrics.of(SliceMetrics.pick(gold, idx), SliceMetrics.pick(predicted, idx));
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("accuracy", m.accuracy());
            v.put("macro_f1", m.macroF1());
            return v;
        });
    }

    /** The {@code n} most frequent gold → predicted errors, most frequent first (ties by names). */
    List<Confusion> topConfusions(int n) {
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        List<String> gold = gold();
        for (int i = 0; i < gold.size(); i++) {
            if (!gold.get(i).equals(predicted.get(i))) {
                counts.merge(List.of(gold.get(i), predicted.get(i)), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().map(e -> new Confusion(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                .sorted(Comparator.comparingInt(Confusion::count).reversed().thenComparing(Confusion::gold)
                        .thenComparing(Confusion::predicted))
                .limit(n).toList();
    }
}
