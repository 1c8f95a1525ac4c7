package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.ClassifierHead;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentTrainerTest {

    private static IntentDataset data;
    private static float[][] trainX;
    private static float[][] validX;
    private static int[] trainY;
    private static int[] validY;

    /** 8 BANKING77 labels x 20 examples, embedded once with the real encoder. */
    @BeforeAll
    static void embed(@TempDir Path dir) {
        data = IntentDataset.load(Banking77Slice.write(dir.resolve("slice"), 8, 20), 0.2, 42);
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            trainX = encoder.embed(data.train().stream().map(IntentExample::text).toList());
            validX = encoder.embed(data.validation().stream().map(IntentExample::text).toList());
        }
        trainY = TrainIntentCommand.labelIndices(data.train(), data.labels());
        validY = TrainIntentCommand.labelIndices(data.validation(), data.labels());
    }

    private static TrainingResult train(TrainingOptions options, List<EpochReport> reports) {
        return new IntentTrainer(options).train(trainX, trainY, validX, validY, data.labels().size(), reports::add);
    }

    @Test
    void learnsKeepsTheBestEpochAndReportsEveryEpoch() {
        List<EpochReport> reports = new ArrayList<>();
        TrainingResult result = train(TrainingOptions.defaults(42).withMaxEpochs(60), reports);
        assertEquals(result.epochsRun(), reports.size());
        double bestLoss = reports.stream().mapToDouble(EpochReport::validationLoss).min().orElseThrow();
        assertEquals(bestLoss, reports.get(result.bestEpoch() - 1).validationLoss());
        assertEquals(bestLoss, result.validationLoss(), 1e-12);
        assertEquals(reports.get(result.bestEpoch() - 1).validationAccuracy(), result.validationAccuracy(), 1e-12);
        if (result.epochsRun() < 60) {
            assertEquals(result.bestEpoch() + TrainingOptions.DEFAULT_PATIENCE, result.epochsRun(), "stopped early");
        }
        assertTrue(reports.get(0).trainLoss() > reports.get(result.bestEpoch() - 1).trainLoss(), "training loss fell");
        assertTrue(result.validationAccuracy() > 0.7, "8 labels: chance is 0.125, got " + result.validationAccuracy());
        assertTrue(result.calibratedValidationLoss() <= result.validationLoss() + 1e-9, "T is fitted on this loss");
        assertEquals(384, result.head().inputDimension());
        assertEquals(8, result.head().outputDimension());
        assertTrue(reports.get(0).line().startsWith("epoch   1/60  train loss "), reports.get(0).line());
    }

    @Test
    void theSameSeedGivesIdenticalWeightsAndAnotherSeedDoesNot() {
        TrainingOptions options = TrainingOptions.defaults(7).withMaxEpochs(5).withHidden(16);
        ClassifierHead a = train(options, new ArrayList<>()).head();
        ClassifierHead b = train(options, new ArrayList<>()).head();
        ClassifierHead c = train(TrainingOptions.defaults(8).withMaxEpochs(5).withHidden(16), new ArrayList<>()).head();
        assertEquals(2, a.layers().size(), "hidden layer + output layer");
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(a.layers().get(l).weight(), b.layers().get(l).weight());
            assertArrayEquals(a.layers().get(l).bias(), b.layers().get(l).bias());
        }
        assertEquals(a.temperature(), b.temperature());
        assertFalse(Arrays.deepEquals(a.layers().get(0).weight(), c.layers().get(0).weight()));
    }

    @Test
    void classWeightsAreInverseFrequencyAndLiftARareLabel() {
        assertArrayEquals(new float[] {0.75f, 1.5f}, IntentTrainer.inverseFrequency(new int[] {0, 0, 1}));
        // Label 0 keeps 2 of its training examples.
        List<Integer> keep = new ArrayList<>();
        int seen = 0;
        for (int i = 0; i < trainY.length; i++) {
            if (trainY[i] != 0 || seen++ < 2) {
                keep.add(i);
            }
        }
        float[][] x = keep.stream().map(i -> trainX[i]).toArray(float[][]::new);
        int[] y = keep.stream().mapToInt(i -> trainY[i]).toArray();
        double[] rareMass = new double[2];
        for (int w = 0; w < 2; w++) {
            TrainingOptions options = TrainingOptions.defaults(3).withMaxEpochs(30).withClassWeights(w == 1);
            ClassifierHead head = new IntentTrainer(options).train(x, y, validX, validY, 8, r -> { }).head();
            for (int i = 0; i < validX.length; i++) {
                if (validY[i] == 0) {
                    rareMass[w] += head.withTemperature(1.0).probabilities(validX[i])[0];
                }
            }
        }
        assertTrue(rareMass[1] > rareMass[0], "weighted training gives the rare label more probability: " + rareMass[0]
                + " -> " + rareMass[1]);
    }

    @Test
    void fitsTheTemperatureThatUndoesAKnownScaling() {
        // Labels drawn from softmax(z): the calibrated temperature of 3z is 3.
        Random random = new Random(1);
        int n = 20_000;
        float[][] scaled = new float[n][4];
        int[] gold = new int[n];
        for (int i = 0; i < n; i++) {
            float[] z = new float[4];
            for (int k = 0; k < 4; k++) {
                z[k] = (float) (2 * random.nextGaussian());
                scaled[i][k] = 3 * z[k];
            }
            double[] p = ClassifierHead.softmax(z, 1.0);
            double u = random.nextDouble();
            int k = 0;
            for (double acc = p[0]; acc < u && k < 3; acc += p[++k]) {
                // walk the cumulative distribution
            }
            gold[i] = k;
        }
        double t = IntentTrainer.fitTemperature(scaled, gold);
        assertEquals(3.0, t, 0.15);
        assertTrue(IntentTrainer.nll(scaled, gold, t) < IntentTrainer.nll(scaled, gold, 1.0));
    }

    @Test
    void rejectsInconsistentInputs() {
        var trainer = new IntentTrainer(TrainingOptions.defaults(1));
        assertEquals("label index 9 is not in [0, 8)", assertThrows(IllegalArgumentException.class,
                () -> trainer.train(trainX, trainY, validX, fill(validY.length, 9), 8, r -> { })).getMessage());
        assertEquals("need at least 2 labels, got 1", assertThrows(IllegalArgumentException.class,
                () -> trainer.train(trainX, trainY, validX, validY, 1, r -> { })).getMessage());
        assertEquals("learning rate must be > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> new TrainingOptions(1, 10, 5, 32, 0, 0, 0)).getMessage());
    }

    private static int[] fill(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }
}
