package dev.switchboard.distill;

import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.IntentModel;
import dev.switchboard.models.ModelManifest.Rejection;
import dev.switchboard.models.ModelManifest.Rejection.Standardization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses an out-of-scope rule on validation data that has out-of-scope examples. For each candidate
 * score (see {@link Rejection}) and each threshold between two adjacent distinct validation scores (and
 * below all of them) it measures
 * <ul>
 *   <li>in-scope accuracy: in-scope examples predicted right AND not rejected, over in-scope examples;</li>
 *   <li>OOS recall: out-of-scope examples rejected, over out-of-scope examples;</li>
 * </ul>
 * and keeps, with {@code minRecall = 0}, the rule maximising {@value #BALANCED}; with
 * {@code minRecall = R > 0}, the rule with the highest in-scope accuracy among those whose validation OOS
 * recall has a 95% Wilson lower bound of at least R (a validation set holds few out-of-scope examples:
 * CLINC150's 100 give a recall estimate ± 3 points, and its test queries were harder, so the raw estimate
 * would be optimistic); if none qualifies, the rule with the highest lower bound. Ties go to the higher
 * in-scope accuracy, then to the earlier candidate, then to the lower threshold. A text is rejected if
 * its argmax is the out-of-scope label or its score is below the threshold.
 */
final class RejectionCalibrator {

    static final String BALANCED = "max (in-scope accuracy + OOS recall) / 2 on validation";
    /** z of a two-sided 95% interval. */
    static final double Z95 = 1.959964;

    /** A score computed for every validation example; {@code components} only for the combined score. */
    record Candidate(String score, double[] values, Map<String, Standardization> components) {
    }

    /** The chosen rule and its validation numbers. */
    record Choice(Rejection rejection, double inScopeAccuracy, double oosRecall, double oosPrecision) {
    }

    private RejectionCalibrator() {
    }

    /**
     * The candidate scores of a model on validation data: each of {@code names} among
     * {@link Rejection#SINGLE} (centroid only if the model has centroids) and {@link Rejection#COMBINED}
     * (over every available single score, standardised on the in-scope validation examples).
     */
    static List<Candidate> candidates(IntentModel model, float[][] embeddings, float[][] logits, int[] gold, int oosIndex,
            List<String> names) {
        double temperature = model.head().temperature();
        Map<String, double[]> single = new LinkedHashMap<>();
        for (String s : Rejection.SINGLE) {
            if (s.equals(Rejection.CENTROID) && model.centroids().isEmpty()) {
                continue;
            }
            double[] v = new double[logits.length];
            for (int i = 0; i < v.length; i++) {
                double[] p = ClassifierHead.softmax(logits[i], temperature);
                v[i] = IntentClassifier.outOfScopeScore(new Rejection(s, 0, null, "-"), model, embeddings[i], logits[i], p,
                        oosIndex);
            }
            single.put(s, v);
        }
        List<Candidate> out = new ArrayList<>();
        for (String name : names) {
            if (single.containsKey(name)) {
                out.add(new Candidate(name, single.get(name), Map.of()));
            } else if (name.equals(Rejection.COMBINED)) {
                Map<String, Standardization> components = new LinkedHashMap<>();
                double[] sum = new double[logits.length];
                for (var e : single.entrySet()) {
                    Standardization st = standardization(e.getValue(), gold, oosIndex);
                    components.put(e.getKey(), st);
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] += (e.getValue()[i] - st.mean()) / st.std();
                    }
                }
                out.add(new Candidate(name, sum, components));
            }
        }
        return out;
    }

    /** Mean and (population) standard deviation over in-scope examples, rounded to F32 like everything stored. */
    static Standardization standardization(double[] values, int[] gold, int oosIndex) {
        double mean = 0;
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            if (gold[i] != oosIndex) {
                mean += values[i];
                n++;
            }
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < values.length; i++) {
            if (gold[i] != oosIndex) {
                var += (values[i] - mean) * (values[i] - mean);
            }
        }
        return new Standardization(mean, Math.max(Math.sqrt(var / n), 1e-9));
    }

    /**
     * @param candidates scores to choose from, in order of preference on ties
     * @param predicted  argmax label of each validation example (over all labels)
     * @param gold       gold label indices
     * @param oosIndex   index of the out-of-scope label; must occur in {@code gold}
     * @param oosLabel   its name (for the rule)
     * @param minRecall  0 for the balanced criterion, else the minimum Wilson lower bound of OOS recall
     */
    static Choice choose(List<Candidate> candidates, int[] predicted, int[] gold, int oosIndex, String oosLabel,
            double minRecall) {
        if (!(minRecall >= 0 && minRecall <= 1)) {
            throw new IllegalArgumentException("minimum OOS recall must be in [0, 1], got " + minRecall);
        }
        if (Arrays.stream(gold).noneMatch(g -> g == oosIndex) || Arrays.stream(gold).allMatch(g -> g == oosIndex)) {
            throw new IllegalArgumentException("calibrating a rejection threshold needs in-scope and out-of-scope "
                    + "validation examples");
        }
        int oosCount = (int) Arrays.stream(gold).filter(g -> g == oosIndex).count();
        String criterion = minRecall == 0 ? BALANCED : String.format(Locale.ROOT,
                "max in-scope accuracy with the 95%% Wilson lower bound of OOS recall >= %.2f on validation", minRecall);
        Choice best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (Candidate c : candidates) {
            double[] sorted = Arrays.stream(c.values()).distinct().sorted().toArray();
            Sweep sweep = new Sweep(predicted, gold, c.values(), oosIndex);
            for (int t = 0; t < sorted.length; t++) {
                // Below the lowest score (reject on argmax only), else midway below the t-th distinct score.
                // Rounded to F32 now, so that the rule measured here is the one stored and served.
                double threshold = (float) (t == 0 ? sorted[0] - 1 : (sorted[t - 1] + sorted[t]) / 2);
                double[] m = sweep.at(threshold);
                double lower = wilsonLower(m[1], oosCount);
                // Constrained: qualifying rules rank by accuracy (offset 2 above all others, which rank by
                // their recall bound so that the closest one wins when none qualifies).
                double value = minRecall == 0 ? (m[0] + m[1]) / 2 : lower >= minRecall - 1e-12 ? 2 + m[0] : lower;
                if (value > bestValue + 1e-12
                        || (Math.abs(value - bestValue) <= 1e-12 && m[0] > best.inScopeAccuracy() + 1e-12)) {
                    bestValue = value;
                    best = new Choice(new Rejection(c.score(), threshold, oosLabel, criterion, c.components()), m[0],
                            m[1], m[2]);
                }
            }
        }
        return best;
    }

    /** Lower end of the 95% Wilson score interval of a proportion p observed over n trials. */
    static double wilsonLower(double p, int n) {
        double z2 = Z95 * Z95;
        double center = p + z2 / (2 * n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return (center - half) / (1 + z2 / n);
    }

    /**
     * {in-scope accuracy, OOS recall, OOS precision} at any threshold in O(log n) after an O(n log n) set-up,
     * so that trying every distinct score as a threshold costs O(n log n) instead of recounting all n examples
     * at each (O(n²); RejectionCalibratorTest keeps that direct count as the reference). An example is rejected
     * if its argmax is the out-of-scope label (at every threshold) or its score is below the threshold, so each
     * count is a fixed part plus the number of scores below the threshold in one sorted array.
     */
    static final class Sweep {
        private final int in;
        private final int oos;
        private final int oosArgmax;
        private final int argmaxRejected;
        private final double[] inRightScores;
        private final double[] oosOtherScores;
        private final double[] otherScores;

        Sweep(int[] predicted, int[] gold, double[] score, int oosIndex) {
            int inCount = 0;
            int oosCount = 0;
            int argmaxOos = 0;
            int oosArgmaxCount = 0;
            var inRight = new java.util.ArrayList<Double>();
            var oosOther = new java.util.ArrayList<Double>();
            var other = new java.util.ArrayList<Double>();
            for (int i = 0; i < gold.length; i++) {
                boolean argmax = predicted[i] == oosIndex;
                argmaxOos += argmax ? 1 : 0;
                if (!argmax) {
                    other.add(score[i]);
                }
                if (gold[i] == oosIndex) {
                    oosCount++;
                    oosArgmaxCount += argmax ? 1 : 0;
                    if (!argmax) {
                        oosOther.add(score[i]);
                    }
                } else {
                    inCount++;
                    if (!argmax && predicted[i] == gold[i]) {
                        inRight.add(score[i]);
                    }
                }
            }
            this.in = inCount;
            this.oos = oosCount;
            this.oosArgmax = oosArgmaxCount;
            this.inRightScores = sorted(inRight);
            this.oosOtherScores = sorted(oosOther);
            this.otherScores = sorted(other);
            this.argmaxRejected = argmaxOos;
        }

        /** {in-scope accuracy, OOS recall, OOS precision; 0 when nothing is rejected} at {@code threshold}. */
        double[] at(double threshold) {
            int inRight = inRightScores.length - below(inRightScores, threshold);
            int oosRejected = oosArgmax + below(oosOtherScores, threshold);
            int rejected = argmaxRejected + below(otherScores, threshold);
            return new double[] {(double) inRight / in, (double) oosRejected / oos,
                rejected == 0 ? 0 : (double) oosRejected / rejected};
        }

        private static double[] sorted(java.util.List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }

        /** How many of the sorted values are {@code < t}. */
        private static int below(double[] sorted, double t) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted[mid] < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
