package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The sections of an {@code eval intent} report (single-label). */
final class IntentReport {

    /** Confused pairs listed under the confusion matrix. */
    static final int TOP_CONFUSIONS = 20;

    private IntentReport() {
    }

    /** Scores, confusion matrix, per-class F1, reliability, slices and (with compared models) accuracy vs latency. */
    static void write(HtmlReport report, IntentRun run, List<IntentRun> compared, String oosLabel) {
        scores(report, run, oosLabel);
        confusion(report, run);
        perClass(report, run);
        reliability(report, run.reliability());
        slices(report, run.slices(), List.of("accuracy", "macro_f1"));
        if (!compared.isEmpty()) {
            compare(report, run, compared);
        }
    }

    private static void scores(HtmlReport report, IntentRun run, String oosLabel) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("examples", String.valueOf(run.metrics().count()));
        rows.put("accuracy", Xhtml.num(run.metrics().accuracy()));
        rows.put("macro-F1", Xhtml.num(run.metrics().macroF1()));
        if (run.oos() != null) {
            rows.put("in-scope accuracy", Xhtml.num(run.oos().inScopeAccuracy()) + " (" + run.oos().inScope()
                    + " in-scope; a rejected one counts as wrong)");
            rows.put("OOS recall", Xhtml.num(run.oos().oosRecall()) + " (" + run.oos().outOfScope() + " '" + oosLabel + "' examples)");
            rows.put("OOS precision", Xhtml.num(run.oos().oosPrecision()) + " (" + run.oos().rejected() + " rejected)");
        }
        rows.put("ECE", Xhtml.num(run.reliability().ece()) + " (" + ReliabilityBins.DEFAULT_BINS + " bins)");
        rows.put("latency", run.latency() == null ? "not measured (--latency N)" : latency(run.latency()));
        report.section("scores", "Scores").keyValues(rows);
    }

    static String latency(LatencyStats l) {
        return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, mean %.2f ms (%d single messages, one thread, "
                + "encoder included)", l.p50Ms(), l.p99Ms(), l.meanMs(), l.count());
    }

    private static void confusion(HtmlReport report, IntentRun run) {
        List<String> order = run.metrics().byF1Ascending().stream().map(IntentMetrics.ClassMetrics::label).toList();
        Map<String, Integer> index = new HashMap<>();
        order.forEach(l -> index.put(l, index.size()));
        int[][] counts = new int[order.size()][order.size()];
        List<String> gold = run.gold();
        for (int i = 0; i < gold.size(); i++) {
            counts[index.get(gold.get(i))][index.get(run.predicted().get(i))]++;
        }
        report.section("confusion", "Confusion matrix")
                .note("Rows: gold label, columns: predicted label, both in the order of ascending F1 (worst first), so "
                        + "the diagonal (blue) runs top-left to bottom-right. A cell's shade grows with the square root of "
                        + "its share of the row; hover a cell for its count.")
                .svg(Svg.heatMap(order, order, counts, "gold", "predicted"));
        List<List<Object>> rows = new ArrayList<>();
        for (IntentRun.Confusion c : run.topConfusions(TOP_CONFUSIONS)) {
            int support = run.metrics().perClass().get(c.gold()).support();
            rows.add(List.of(c.gold(), c.predicted(), c.count(), (double) c.count() / support));
        }
        report.note("The " + TOP_CONFUSIONS + " most frequent confusions (share = count / gold support).")
                .table("top-confusions", List.of("gold", "predicted", "count", "share"), rows, true);
    }

    private static void perClass(HtmlReport report, IntentRun run) {
        List<IntentMetrics.ClassMetrics> rows = run.metrics().byF1Ascending();
        report.section("per-class", "Per-class F1")
                .svg(Svg.bars(rows.stream().map(IntentMetrics.ClassMetrics::label).toList(),
                        rows.stream().map(IntentMetrics.ClassMetrics::f1).toList(), "F1"))
                .table("per-class-table", List.of("label", "precision", "recall", "f1", "support", "predicted"),
                        rows.stream().map(c -> List.<Object>of(c.label(), c.precision(), c.recall(), c.f1(), c.support(),
                                c.predicted())).toList(), true);
    }

    private static void reliability(HtmlReport report, ReliabilityBins r) {
        report.section("reliability", "Reliability diagram")
                .note("Confidence = the probability of the top label; right = the top label (before out-of-scope rejection) "
                        + "is the gold label. " + r.bins().size() + " equal-width bins, bin b holding confidences in "
                        + "((b-1)/B, b/B]. ECE = Σ_b (n_b / N) · |acc_b − conf_b| = " + Xhtml.num(r.ece()) + " over N = "
                        + r.count() + ".")
                .svg(Svg.reliability(r));
        List<List<Object>> rows = new ArrayList<>();
        for (ReliabilityBins.Bin b : r.bins()) {
            rows.add(List.of(String.format(Locale.ROOT, "(%.3f, %.3f]", b.lower(), b.upper()), b.count(), b.meanConfidence(),
                    b.accuracy(), (double) b.count() / r.count() * Math.abs(b.accuracy() - b.meanConfidence())));
        }
        report.table("reliability-table", List.of("confidence", "count", "mean confidence", "accuracy", "ECE term"), rows, false);
    }

    /** One table per slice dimension. */
    static void slices(HtmlReport report, List<SliceMetrics> slices, List<String> metrics) {
        report.section("slices", "Per-slice metrics")
                .note("Length = words (runs of non-whitespace); the slices of each dimension partition the examples. "
                        + "A slice's macro-F1 (or per-label scores) averages over the labels gold or predicted within it.");
        Map<String, List<List<Object>>> byDimension = new LinkedHashMap<>();
        for (SliceMetrics s : slices) {
            List<Object> row = new ArrayList<>(List.of(s.name(), s.count()));
            metrics.forEach(m -> row.add(s.values().get(m)));
            byDimension.computeIfAbsent(s.dimension(), k -> new ArrayList<>()).add(row);
        }
        byDimension.forEach((dimension, rows) -> {
            List<String> headers = new ArrayList<>(List.of(dimension, "count"));
            headers.addAll(metrics);
            report.table("slices-" + dimension.replaceAll("[^a-z]+", "-"), headers, rows, true);
        });
    }

    private static void compare(HtmlReport report, IntentRun run, List<IntentRun> compared) {
        List<IntentRun> all = new ArrayList<>(List.of(run));
        all.addAll(compared);
        List<Svg.Point> points = all.stream().filter(r -> r.latency() != null)
                .map(r -> new Svg.Point(name(r), r.latency().p50Ms(), r.metrics().accuracy())).toList();
        report.section("compare", "Accuracy against latency")
                .note("Every model on the same split; latency = single messages on one thread, encoder included.")
                .svg(Svg.scatterLogX(points, "p50 latency (ms)", "accuracy"))
                .table("compare-table", List.of("model", "encoder", "accuracy", "macro-F1", "% of first", "p50 ms", "p99 ms"),
                        all.stream().map(r -> List.<Object>of(name(r), r.manifest().encoder(), r.metrics().accuracy(),
                                r.metrics().macroF1(), 100 * r.metrics().accuracy() / run.metrics().accuracy(),
                                r.latency().p50Ms(), r.latency().p99Ms())).toList(), true);
    }

    /** {@code name version}. */
    static String name(IntentRun r) {
        return r.manifest().name() + " " + r.manifest().version();
    }
}
