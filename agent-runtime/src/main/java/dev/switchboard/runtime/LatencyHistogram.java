package dev.switchboard.runtime;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A lock-free latency histogram for percentiles: bucket {@code i} counts durations {@code d} (in
 * microseconds, at least 1) with {@code floor(8 · log2 d) = i}, so each bucket is 2^(1/8) ≈ 9% wide and a
 * percentile is reported as its bucket's geometric middle (within ±4.5%). Durations beyond 2^32 µs (about
 * 71 minutes) fall in the last bucket. Recording is one atomic increment; thread-safe.
 */
final class LatencyHistogram {

    private static final int PER_OCTAVE = 8;
    private static final int BUCKETS = 32 * PER_OCTAVE + 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    void recordNanos(long nanos) {
        long micros = Math.max(1, nanos / 1_000);
        int i = (int) Math.floor(PER_OCTAVE * Math.log(micros) / Math.log(2));
        counts.incrementAndGet(Math.min(BUCKETS - 1, Math.max(0, i)));
    }

    long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /**
     * The {@code q}-quantile in milliseconds (0 &lt; q ≤ 1), rounded to 0.01 ms; NaN when nothing was recorded.
     * Reads the buckets without a snapshot: under concurrent recording it is off by the few samples added meanwhile.
     */
    double percentileMillis(double q) {
        if (!(q > 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in (0, 1], got " + q);
        }
        long[] c = new long[BUCKETS];
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        if (n == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += c[i];
            if (seen >= rank) {
                double micros = Math.pow(2, (i + 0.5) / PER_OCTAVE);
                return Math.round(micros / 10.0) / 100.0;
            }
        }
        throw new AssertionError("unreachable");
    }
}
