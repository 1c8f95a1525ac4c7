package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    @Test
    void nearestRankPercentiles() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[99 - i] = (i + 1) * 1_000_000L; // 1..100 ms, shuffled order
        }
        LatencyStats s = LatencyStats.ofNanos(nanos);
        assertEquals(100, s.count());
        assertEquals(50.0, s.p50Ms(), 1e-9);
        assertEquals(95.0, s.p95Ms(), 1e-9);
        assertEquals(99.0, s.p99Ms(), 1e-9);
        assertEquals(100.0, s.maxMs(), 1e-9);
        assertEquals(50.5, s.meanMs(), 1e-9);
    }

    @Test
    void singleSampleIsEveryPercentile() {
        LatencyStats s = LatencyStats.ofNanos(new long[] {3_000_000L});
        assertEquals(3.0, s.p50Ms(), 1e-9);
        assertEquals(3.0, s.p99Ms(), 1e-9);
    }

    @Test
    void emptySampleIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> LatencyStats.ofNanos(new long[0]));
        assertEquals("no latency samples", e.getMessage());
    }
}
