package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The serving case of a specialist: one message at a time on the calling thread, encoder included.
 * {@link #WARM_UP} untimed calls on the first texts (JIT and ONNX Runtime warm-up) come first, then every
 * text is run and timed once.
 *
 * @param results per text, what the call returned
 * @param nanos   per text, how long its call took
 * @param <R>     the result type
 */
record SingleThreadLatency<R>(List<R> results, long[] nanos) {

    /** Untimed calls before the timed pass. */
    static final int WARM_UP = 20;

    /** Runs {@code call} on each text in turn (after the warm-up). */
    static <R> SingleThreadLatency<R> run(List<String> texts, Function<String, R> call) {
        for (int i = 0; i < Math.min(WARM_UP, texts.size()); i++) {
            call.apply(texts.get(i));
        }
        List<R> results = new ArrayList<>(texts.size());
        long[] nanos = new long[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            long t = System.nanoTime();
            results.add(call.apply(texts.get(i)));
            nanos[i] = System.nanoTime() - t;
        }
        return new SingleThreadLatency<>(List.copyOf(results), nanos);
    }

    /** The first {@code n} texts of {@code texts}, repeated cyclically when there are fewer. */
    static List<String> cycle(List<String> texts, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(texts.get(i % texts.size()));
        }
        return out;
    }

    /** Percentiles of the first {@code limit} timed calls (all when {@code limit <= 0}). */
    LatencyStats stats(int limit) {
        return LatencyStats.ofNanos(limit > 0 && limit < nanos.length ? Arrays.copyOf(nanos, limit) : nanos);
    }
}
