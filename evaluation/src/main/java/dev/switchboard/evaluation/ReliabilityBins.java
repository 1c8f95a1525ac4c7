package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A reliability diagram's data and the expected calibration error (Guo et al. 2017): the predictions
 * are put into {@code B} equal-width confidence bins, bin {@code b} (1-based) holding the confidences
 * in {@code ((b-1)/B, b/B]} (a confidence of exactly 0 goes to the first bin), and
 * <pre>ECE = Σ_b (n_b / N) · |acc_b − conf_b|</pre>
 * with {@code n_b} the predictions in bin b, {@code acc_b} the share of them that are right and
 * {@code conf_b} their mean confidence; empty bins contribute 0.
 *
 * @param bins  one row per bin, lowest confidence first (empty ones included)
 * @param count N, all predictions
 * @param ece   the expected calibration error, in [0, 1]
 */
public record ReliabilityBins(List<Bin> bins, int count, double ece) {

    /** The default number of bins (15, as in Guo et al.). */
    public static final int DEFAULT_BINS = 15;

    /**
     * @param lower          exclusive lower edge (0 for the first bin, which also holds confidence 0)
     * @param upper          inclusive upper edge
     * @param count          predictions in the bin
     * @param meanConfidence their mean confidence (0 if empty)
     * @param accuracy       the share of them that are right (0 if empty)
     */
    public record Bin(double lower, double upper, int count, double meanConfidence, double accuracy) {
    }

    public ReliabilityBins {
        bins = List.copyOf(bins);
    }

    /**
     * @param confidence per prediction, its confidence in [0, 1]
     * @param correct    per prediction, whether it is right
     * @param binCount   B &gt; 0
     * @throws IllegalArgumentException if the lists are empty, differ in length, or a confidence is outside [0, 1]
     */
    public static ReliabilityBins of(List<Double> confidence, List<Boolean> correct, int binCount) {
        if (confidence.size() != correct.size()) {
            throw new IllegalArgumentException("confidence has " + confidence.size() + " values but correct has " + correct.size());
        }
        if (confidence.isEmpty()) {
            throw new IllegalArgumentException("no predictions to bin");
        }
        if (binCount <= 0) {
            throw new IllegalArgumentException("bins must be > 0, got " + binCount);
        }
        int[] n = new int[binCount];
        double[] confSum = new double[binCount];
        int[] right = new int[binCount];
        for (int i = 0; i < confidence.size(); i++) {
            double c = confidence.get(i);
            if (!(c >= 0 && c <= 1)) {
                throw new IllegalArgumentException("confidence " + i + " is " + c + ", not in [0, 1]");
            }
            int b = Math.max(0, (int) Math.ceil(c * binCount) - 1);
            if (b > 0 && c <= (double) b / binCount) {
                b--; // c * binCount rounded up past an exact edge, e.g. (1.0 / 15) * 15 = 1.0000000000000002
            }
            n[b]++;
            confSum[b] += c;
            right[b] += correct.get(i) ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>();
        double ece = 0;
        for (int b = 0; b < binCount; b++) {
            double conf = n[b] == 0 ? 0 : confSum[b] / n[b];
            double acc = n[b] == 0 ? 0 : (double) right[b] / n[b];
            bins.add(new Bin((double) b / binCount, (double) (b + 1) / binCount, n[b], conf, acc));
            ece += (double) n[b] / confidence.size() * Math.abs(acc - conf);
        }
        return new ReliabilityBins(Collections.unmodifiableList(bins), confidence.size(), ece);
    }
}
