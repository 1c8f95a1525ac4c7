package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeadLoopTest {

    private static final int CLASSES = 4;
    private static final int DIM = 16;
    private static final TrainingOptions OPTIONS = new TrainingOptions(3, 30, 20, 8, 0.01, 0, 0);

    /** Four seeded Gaussian clusters; {@code x[i]} belongs to class {@code i % 4}. */
    private static float[][] points(int n, long seed) {
        Random random = new Random(seed);
        float[][] centres = new float[CLASSES][DIM];
        Random fixed = new Random(1);
        for (float[] c : centres) {
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) fixed.nextGaussian();
            }
        }
        float[][] x = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < DIM; d++) {
                x[i][d] = centres[i % CLASSES][d] + 0.5f * (float) random.nextGaussian();
            }
        }
        return x;
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % CLASSES;
        }
        return y;
    }

    /**
     * Cross-entropy, except in the attempts listed as stalling: there, after the first batch (DJL refuses an
     * all-zero gradient on the first step), a loss of 1 whose gradient is 0, so Adam's moments decay and the
     * weights stop moving, as in the stalled run.
     */
    private static HeadLoop.BatchLoss stallingIn(List<Integer> stallingAttempts, List<Trainer> attempts, int[] y) {
        return (trainer, batch, logits, rows) -> {
            boolean firstBatch = !attempts.contains(trainer);
            if (firstBatch) {
                attempts.add(trainer);
            }
            if (!firstBatch && stallingAttempts.contains(attempts.indexOf(trainer) + 1)) {
                NDArray zero = logits.mul(0).sum();
                return zero.add(1);
            }
            float[] ys = new float[rows.length];
            for (int b = 0; b < rows.length; b++) {
                ys[b] = y[rows[b]];
            }
            return trainer.getLoss().evaluate(new NDList(batch.create(ys, new Shape(rows.length))), new NDList(logits));
        };
    }

    private static HeadLoop.Outcome run(HeadLoop.BatchLoss loss, List<EpochReport> reports) {
        float[][] validX = points(80, 8);
        int[] validY = labels(80);
        return HeadLoop.run(OPTIONS, "test-head", Loss.softmaxCrossEntropyLoss(), points(400, 7), CLASSES, loss,
                head -> {
                    float[][] logits = IntentTrainer.logits(head, validX);
                    return new double[] {IntentTrainer.nll(logits, validY, 1), Scores.accuracy(validY,
                            Scores.argmax(logits))};
                }, reports::add);
    }

    @Test
    void aRunWhoseWeightsStopChangingIsStartedAgainFromScratch() {
        List<Trainer> attempts = new ArrayList<>();
        List<EpochReport> reports = new ArrayList<>();
        HeadLoop.Outcome outcome = run(stallingIn(List.of(1), attempts, labels(400)), reports);
        assertEquals(2, attempts.size(), "the stalled first attempt and a second one");
        assertTrue(reports.stream().anyMatch(r -> r.trainLoss() == 1.0), "the first attempt reported its epochs");
        assertTrue(outcome.epochsRun() > 1);
        float[][] validX = points(80, 8);
        double accuracy = Scores.accuracy(labels(80), Scores.argmax(IntentTrainer.logits(outcome.best(), validX)));
        assertTrue(accuracy > 0.9, "the second attempt learned: " + accuracy);
        // From scratch: the same weights as a run that never stalled (same options, same seed).
        HeadLoop.Outcome normal = run(stallingIn(List.of(), new ArrayList<>(), labels(400)), new ArrayList<>());
        assertEquals(normal.bestEpoch(), outcome.bestEpoch());
        for (int l = 0; l < normal.best().layers().size(); l++) {
            assertArrayEquals(normal.best().layers().get(l).weight(), outcome.best().layers().get(l).weight());
            assertArrayEquals(normal.best().layers().get(l).bias(), outcome.best().layers().get(l).bias());
        }
    }

    @Test
    void aRunThatStallsAgainFailsNamingTheEpoch() {
        List<Trainer> attempts = new ArrayList<>();
        StallGuard.TrainingStalled e = assertThrows(StallGuard.TrainingStalled.class,
                () -> run(stallingIn(List.of(1, 2), attempts, labels(400)), new ArrayList<>()));
        assertEquals(StallGuard.ATTEMPTS, attempts.size());
        assertTrue(e.getMessage().matches("test-head: the weights did not change in epoch \\d+ \\(training loss 1\\.0000\\): "
                + "training stalled in 2 attempts; test-head was not trained"), e.getMessage());
    }

    @Test
    void aHeadThatTrainsNormallyIsNotTakenForStalled() {
        List<Trainer> attempts = new ArrayList<>();
        HeadLoop.Outcome outcome = run(stallingIn(List.of(), attempts, labels(400)), new ArrayList<>());
        assertEquals(1, attempts.size());
        assertTrue(outcome.epochsRun() > 1);
    }
}
