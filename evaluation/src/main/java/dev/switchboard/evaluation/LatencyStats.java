package dev.switchboard.evaluation;

import java.util.Arrays;

/**
 * Summary of a sample of latencies. Percentiles use the nearest-rank method: the p-th percentile
 * of n sorted values is the value at 1-based rank ⌈p/100 · n⌉.
 *
 * @param count   number of samples
 * @param meanMs  arithmetic mean, milliseconds
 * @param p50Ms   median, milliseconds
 * @param p95Ms   95th percentile, milliseconds
 * @param p99Ms   99th percentile, milliseconds
 * @param maxMs   largest sample, milliseconds
 */
public record LatencyStats(int count, double meanMs, double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    public LatencyStats {
        if (count <= 0) {
            throw new IllegalArgumentException("count must be > 0, got " + count);
        }
    }

    /** Summarises latencies given in nanoseconds. */
    public static LatencyStats ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latency samples");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElseThrow() / 1e6;
        return new LatencyStats(sorted.length, mean, rank(sorted, 50), rank(sorted, 95), rank(sorted, 99),
                sorted[sorted.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1] / 1e6;
    }
}
