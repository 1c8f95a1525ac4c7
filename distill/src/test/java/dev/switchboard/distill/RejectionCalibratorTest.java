package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.IntentModel;
import dev.switchboard.models.ModelManifest.Rejection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectionCalibratorTest {

    private static RejectionCalibrator.Candidate score(String name, double... values) {
        return new RejectionCalibrator.Candidate(name, values, Map.of());
    }

    @Test
    void picksAThresholdBetweenInScopeAndOutOfScopeScores() {
        // Labels a=0, b=1, oos=2. In scope: scores 0.9, 0.8, 0.7 (right) and 0.65 (predicted a, gold b: wrong);
        // out of scope: 0.4 and 0.3.
        int[] predicted = {0, 1, 0, 0, 0, 1};
        int[] gold = {0, 1, 0, 1, 2, 2};
        var c = RejectionCalibrator.choose(List.of(score("max_probability", 0.9, 0.8, 0.7, 0.65, 0.4, 0.3)), predicted, gold, 2,
                "oos", 0);
        assertEquals(1.0, c.oosRecall(), 1e-12);
        assertEquals(0.75, c.inScopeAccuracy(), 1e-12, "3 of 4 in-scope right and none of them rejected");
        assertEquals(1.0, c.oosPrecision(), 1e-12);
        assertEquals((float) ((0.4 + 0.65) / 2), c.rejection().threshold(), 0, "midway above the highest out-of-scope score");
        assertEquals("oos", c.rejection().outOfScopeLabel());
        assertEquals(RejectionCalibrator.BALANCED, c.rejection().criterion());
    }

    @Test
    void theSortedSweepMeasuresWhatTheDirectCountMeasuresAtEveryThreshold() {
        // Seeded random validation sets with ties, argmax-oos predictions, wrong predictions and no rejections.
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 50; round++) {
            int n = 1 + random.nextInt(60);
            int[] predicted = new int[n];
            int[] gold = new int[n];
            double[] score = new double[n];
            for (int i = 0; i < n; i++) {
                gold[i] = random.nextInt(4); // 3 = oos
                predicted[i] = random.nextInt(3) == 0 ? random.nextInt(4) : gold[i];
                score[i] = random.nextInt(10) / 10.0;
            }
            gold[0] = 3;
            gold[n - 1] = n == 1 ? 3 : 0;
            var sweep = new RejectionCalibrator.Sweep(predicted, gold, score, 3);
            for (double t = -0.05; t <= 1.05; t += 0.05) {
                double[] direct = directCount(predicted, gold, score, t, 3);
                double[] swept = sweep.at(t);
                for (int k = 0; k < 3; k++) {
                    assertTrue(Double.compare(direct[k], swept[k]) == 0, "round " + round + " t " + t + " k " + k
                            + ": " + direct[k] + " vs " + swept[k]);
                }
            }
        }
    }

    /** The reference: {in-scope accuracy, OOS recall, OOS precision} counted over every example at threshold t. */
    private static double[] directCount(int[] predicted, int[] gold, double[] score, double threshold, int oosIndex) {
        int in = 0;
        int inRight = 0;
        int oos = 0;
        int oosRejected = 0;
        int rejected = 0;
        for (int i = 0; i < gold.length; i++) {
            boolean reject = predicted[i] == oosIndex || score[i] < threshold;
            rejected += reject ? 1 : 0;
            if (gold[i] == oosIndex) {
                oos++;
                oosRejected += reject ? 1 : 0;
            } else {
                in++;
                inRight += !reject && predicted[i] == gold[i] ? 1 : 0;
            }
        }
        return new double[] {(double) inRight / in, (double) oosRejected / oos,
            rejected == 0 ? 0 : (double) oosRejected / rejected};
    }

    @Test
    void aMinimumRecallBoundTradesRecallForInScopeAccuracy() {
        // 40 in-scope examples all right with scores 1..40; 20 out-of-scope ones with scores 0.5..10 (step 0.5):
        // catching every one costs the 10 lowest in-scope examples.
        int n = 60;
        int[] predicted = new int[n];
        int[] gold = new int[n];
        double[] s = new double[n];
        for (int i = 0; i < 40; i++) {
            s[i] = i + 1;
        }
        for (int i = 40; i < n; i++) {
            gold[i] = 1;
            s[i] = 0.5 * (i - 39);
        }
        var all = RejectionCalibrator.choose(List.of(score("energy", s)), predicted, gold, 1, "oos", 0.8);
        // Wilson lower bound >= 0.8 needs 20 of 20 (19/20 gives 0.764).
        assertEquals(1.0, all.oosRecall(), 1e-12);
        assertEquals(30.0 / 40, all.inScopeAccuracy(), 1e-12);
        var half = RejectionCalibrator.choose(List.of(score("energy", s)), predicted, gold, 1, "oos", 0.3);
        assertTrue(RejectionCalibrator.wilsonLower(half.oosRecall(), 20) >= 0.3);
        assertTrue(RejectionCalibrator.wilsonLower(half.oosRecall() - 0.05, 20) < 0.3, "the smallest qualifying recall");
        assertTrue(half.inScopeAccuracy() > all.inScopeAccuracy());
        assertTrue(half.rejection().criterion().contains("Wilson lower bound of OOS recall >= 0.30"),
                half.rejection().criterion());
    }

    @Test
    void wilsonLowerBoundMatchesAReferenceValue() {
        // 96 of 100: Wilson 95% interval [0.9016, 0.9843].
        assertEquals(0.9016, RejectionCalibrator.wilsonLower(0.96, 100), 1e-4);
        assertEquals(0.8882, RejectionCalibrator.wilsonLower(0.95, 100), 1e-4);
    }

    @Test
    void theCombinedScoreStandardisesEachComponentOnInScopeValidationExamples() {
        float[][] w = {{1, 0}, {0, 1}, {0, 0}};
        IntentModel model = IntentModel.of(ClassifierHead.of(List.of(new ClassifierHead.Layer(w, new float[] {0, 0, 1})), 1.0))
                .withCentroids(new float[][] {{1, 0}, {0, 1}, {0, 0}});
        float[][] e = {{1, 0}, {0.6f, 0.8f}, {0.8f, 0.6f}, {0.7071f, 0.7071f}};
        float[][] z = new float[e.length][];
        for (int i = 0; i < e.length; i++) {
            z[i] = model.logits(e[i], null);
        }
        int[] gold = {0, 1, 0, 2};
        var cands = RejectionCalibrator.candidates(model, e, z, gold, 2, List.of(Rejection.CENTROID, Rejection.COMBINED));
        assertEquals(List.of(Rejection.CENTROID, Rejection.COMBINED), cands.stream().map(RejectionCalibrator.Candidate::score)
                .toList());
        assertEquals(0.8, cands.get(0).values()[2], 1e-6, "max cosine to the in-scope centroids");
        var combined = cands.get(1);
        assertEquals(Rejection.SINGLE, List.copyOf(combined.components().keySet()));
        for (int i = 0; i < e.length; i++) {
            Rejection rule = new Rejection(Rejection.COMBINED, 0, "oos", "x", combined.components());
            double served = IntentClassifier.outOfScopeScore(rule, model, e[i], z[i], ClassifierHead.softmax(z[i], 1.0), 2);
            assertEquals(combined.values()[i], served, 1e-9, "serving computes the calibrated score");
        }
        double mean = 0;
        for (int i = 0; i < 3; i++) {
            mean += combined.values()[i];
        }
        assertEquals(0, mean / 3, 1e-9, "each component has mean 0 over the in-scope examples");
    }

    @Test
    void needsBothKindsOfValidationExamples() {
        assertEquals("calibrating a rejection threshold needs in-scope and out-of-scope validation examples",
                assertThrows(IllegalArgumentException.class, () -> RejectionCalibrator.choose(List.of(score("energy", 1)),
                        new int[] {0}, new int[] {0}, 2, "oos", 0)).getMessage());
    }
}
