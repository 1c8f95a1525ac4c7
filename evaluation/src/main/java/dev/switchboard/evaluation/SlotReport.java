package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The sections of an {@code eval slots} report. */
final class SlotReport {

    private SlotReport() {
    }

    static void write(HtmlReport report, SlotMetrics metrics, SpanErrors errors, List<SliceMetrics> slices, LatencyStats latency,
            boolean decodedOnWords) {
        Map<String, String> scores = new LinkedHashMap<>();
        scores.put("messages", String.valueOf(metrics.messages()));
        scores.put("gold spans", String.valueOf(metrics.goldSpans()));
        scores.put("predicted spans", String.valueOf(metrics.predictedSpans()));
        scores.put("precision", Xhtml.num(metrics.precision()));
        scores.put("recall", Xhtml.num(metrics.recall()));
        scores.put("F1", Xhtml.num(metrics.f1()) + " (micro, exact span match)");
        scores.put("decoding", "constrained Viterbi" + (decodedOnWords ? ", entities on word boundaries" : ""));
        scores.put("latency", IntentReport.latency(latency));
        report.section("scores", "Scores").keyValues(scores);

        List<SlotMetrics.LabelMetrics> rows = metrics.byF1Ascending();
        report.section("per-label", "Per-label F1")
                .svg(Svg.bars(rows.stream().map(SlotMetrics.LabelMetrics::label).toList(),
                        rows.stream().map(SlotMetrics.LabelMetrics::f1).toList(), "F1"))
                .table("per-label-table", List.of("label", "precision", "recall", "f1", "support", "predicted"),
                        rows.stream().map(c -> List.<Object>of(c.label(), c.precision(), c.recall(), c.f1(), c.support(),
                                c.predicted())).toList(), true);

        List<List<Object>> categories = new ArrayList<>();
        errors.categories().forEach((k, v) -> categories.add(List.of(k, v)));
        report.section("span-errors", "Span errors")
                .note("Per message, gold and predicted spans are paired in this order, each span used once: correct = same "
                        + "start, end and label; label error = same start and end, another label; boundary error = same label, "
                        + "overlapping, other boundaries; label and boundary error = overlapping, another label and other "
                        + "boundaries; missed = a gold span no predicted span overlaps; spurious = a predicted span that "
                        + "overlaps no gold span.")
                .table("span-error-table", List.of("category", "spans"), categories, false);
        TreeSet<String> labels = new TreeSet<>(errors.confusion().keySet());
        errors.confusion().values().forEach(r -> labels.addAll(r.keySet()));
        labels.remove(SpanErrors.NONE);
        List<String> order = new ArrayList<>(labels);
        order.add(SpanErrors.NONE);
        int[][] counts = new int[order.size()][order.size()];
        for (int i = 0; i < order.size(); i++) {
            Map<String, Integer> row = errors.confusion().getOrDefault(order.get(i), Map.of());
            for (int j = 0; j < order.size(); j++) {
                counts[i][j] = row.getOrDefault(order.get(j), 0);
            }
        }
        report.note("Paired spans by gold label (rows) and predicted label (columns); " + SpanErrors.NONE
                        + " column = missed, " + SpanErrors.NONE + " row = spurious.")
                .svg(Svg.heatMap(order, order, counts, "gold", "predicted"));
        IntentReport.slices(report, slices, List.of("precision", "recall", "f1"));
    }
}
