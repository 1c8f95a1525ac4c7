package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The fields the {@code eval} commands' {@code --json} output shares. */
final class JsonReport {

    private JsonReport() {
    }

    /** {@code "latency_ms": {"count", "p50", "p99", "mean"}}; returns the object for command-specific fields. */
    static ObjectNode latency(ObjectNode root, LatencyStats stats) {
        return root.putObject("latency_ms").put("count", stats.count()).put("p50", stats.p50Ms()).put("p99", stats.p99Ms())
                .put("mean", stats.meanMs());
    }

    /** {@code "ece"} and {@code "reliability": [{"lower", "upper", "count", "mean_confidence", "accuracy"}, ...]}. */
    static void reliability(ObjectNode root, ReliabilityBins r) {
        root.put("ece", r.ece());
        var bins = root.putArray("reliability");
        r.bins().forEach(b -> bins.addObject().put("lower", b.lower()).put("upper", b.upper()).put("count", b.count())
                .put("mean_confidence", b.meanConfidence()).put("accuracy", b.accuracy()));
    }

    /** {@code "slices": {dimension: {slice: {"count", metric...}}}}. */
    static void slices(ObjectNode root, List<SliceMetrics> slices) {
        ObjectNode node = root.putObject("slices");
        for (SliceMetrics s : slices) {
            ObjectNode dimension = node.has(s.dimension()) ? (ObjectNode) node.get(s.dimension()) : node.putObject(s.dimension());
            ObjectNode slice = dimension.putObject(s.name()).put("count", s.count());
            s.values().forEach(slice::put);
        }
    }
}
