package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityBinsTest {

    @Test
    void eceOfHandMadePredictionsEqualsTheHandComputedValue() {
        // 15 bins. 0.9 -> bin 14 (13/15, 14/15]; 0.95 and 1.0 -> bin 15; 0.5 -> bin 8 (7/15, 8/15]; 0.0 -> bin 1.
        List<Double> confidence = List.of(0.9, 0.9, 0.95, 1.0, 0.5, 0.0);
        List<Boolean> correct = List.of(true, false, true, true, false, false);
        ReliabilityBins r = ReliabilityBins.of(confidence, correct, 15);
        // bin 14: 2/6 * |0.5 - 0.9|; bin 15: 2/6 * |1 - 0.975|; bin 8: 1/6 * |0 - 0.5|; bin 1: 1/6 * |0 - 0|.
        double expected = 2.0 / 6 * 0.4 + 2.0 / 6 * 0.025 + 1.0 / 6 * 0.5;
        assertEquals(0.225, expected, 1e-12);
        assertEquals(expected, r.ece(), 1e-12);
        assertEquals(15, r.bins().size());
        assertEquals(6, r.count());
        assertEquals(2, r.bins().get(13).count());
        assertEquals(0.5, r.bins().get(13).accuracy(), 1e-12);
        assertEquals(0.975, r.bins().get(14).meanConfidence(), 1e-12);
        assertEquals(1, r.bins().get(7).count());
        assertEquals(1, r.bins().get(0).count());
        assertEquals(6, r.bins().stream().mapToInt(ReliabilityBins.Bin::count).sum());
    }

    @Test
    void aConfidenceOnABinEdgeBelongsToTheLowerBin() {
        ReliabilityBins r = ReliabilityBins.of(List.of(1.0 / 15, 2.0 / 15, 14.0 / 15), List.of(true, true, true), 15);
        assertEquals(1, r.bins().get(0).count());
        assertEquals(1, r.bins().get(1).count());
        assertEquals(1, r.bins().get(13).count());
    }

    @Test
    void perfectCalibrationHasZeroErrorAndBadInputIsRejected() {
        ReliabilityBins r = ReliabilityBins.of(List.of(0.5, 0.5, 1.0), List.of(true, false, true), 10);
        assertEquals(0, r.ece(), 1e-12);
        assertEquals("confidence 0 is 1.5, not in [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> ReliabilityBins.of(List.of(1.5), List.of(true), 15)).getMessage());
        assertEquals("confidence has 1 values but correct has 2", assertThrows(IllegalArgumentException.class,
                () -> ReliabilityBins.of(List.of(0.5), List.of(true, false), 15)).getMessage());
    }
}
