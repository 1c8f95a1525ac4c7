package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultiLabelTrainerTest {

    @Test
    void globalThresholdMaximisesMicroF1AndPerLabelOnesTheirOwnF1() {
        // Label 0 is on for scores >= 0.8, label 1 for scores >= 0.3 (5 positives each, so per-label tuning applies).
        List<double[]> rows = new ArrayList<>();
        List<boolean[]> gold = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double s0 = i < 5 ? 0.85 : 0.6;
            double s1 = i < 5 ? 0.35 : 0.1;
            rows.add(new double[] {s0, s1});
            gold.add(new boolean[] {i < 5, i < 5});
        }
        double[][] p = rows.toArray(double[][]::new);
        boolean[][] g = gold.toArray(boolean[][]::new);
        float[] perLabel = MultiLabelTrainer.thresholds(p, g, MultiLabelTrainer.ThresholdMode.PER_LABEL);
        assertTrue(perLabel[0] > 0.6 && perLabel[0] <= 0.85, "label 0: " + perLabel[0]);
        assertTrue(perLabel[1] > 0.1 && perLabel[1] <= 0.35, "label 1: " + perLabel[1]);
        assertEquals(1.0, MultiLabelTrainer.microF1(p, g, perLabel), 1e-12);
        float[] global = MultiLabelTrainer.thresholds(p, g, MultiLabelTrainer.ThresholdMode.GLOBAL);
        assertEquals(global[0], global[1]);
        assertTrue(MultiLabelTrainer.microF1(p, g, global) < 1.0, "no single threshold separates both labels");
        for (float t : MultiLabelTrainer.grid()) {
            assertTrue(MultiLabelTrainer.microF1(p, g, new float[] {t, t}) <= MultiLabelTrainer.microF1(p, g, global) + 1e-12);
        }
    }

    @Test
    void learnsNluppIntentsOnAFoldSliceReproducibly() {
        Path nlupp = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("nlupp/hotels.jsonl");
        MultiLabelDataset d = MultiLabelDataset.loadFolds(nlupp, FoldSplit.parse("0-5/6/7"));
        float[][] trainX;
        float[][] validX;
        float[][] testX;
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            trainX = encoder.embed(d.train().stream().map(MultiLabelExample::text).toList());
            validX = encoder.embed(d.validation().stream().map(MultiLabelExample::text).toList());
            testX = encoder.embed(d.test().stream().map(MultiLabelExample::text).toList());
        }
        var options = TrainingOptions.defaults(3).withMaxEpochs(60);
        List<EpochReport> reports = new ArrayList<>();
        MultiLabelTrainer.Result r = new MultiLabelTrainer(options, MultiLabelTrainer.ThresholdMode.GLOBAL).train(trainX,
                MultiLabelDataset.multiHot(d.train(), d.labels()), validX, MultiLabelDataset.multiHot(d.validation(), d.labels()),
                reports::add);
        assertEquals(r.epochsRun(), reports.size());
        assertEquals(d.labels().size(), r.thresholds().length);
        assertEquals(r.validationLoss(), MultiLabelTrainer.bce(IntentTrainer.logits(r.head(), validX),
                MultiLabelDataset.multiHot(d.validation(), d.labels())), 1e-9);
        double testF1 = MultiLabelTrainer.microF1(MultiLabelTrainer.probabilities(IntentTrainer.logits(r.head(), testX)),
                MultiLabelDataset.multiHot(d.test(), d.labels()), r.thresholds());
        assertTrue(testF1 > 0.5, "40 hotel intents from ~300 examples: micro-F1 " + testF1);
        MultiLabelTrainer.Result again = new MultiLabelTrainer(options, MultiLabelTrainer.ThresholdMode.GLOBAL).train(trainX,
                MultiLabelDataset.multiHot(d.train(), d.labels()), validX, MultiLabelDataset.multiHot(d.validation(), d.labels()),
                e -> { });
        assertArrayEquals(r.head().layers().get(0).weight(), again.head().layers().get(0).weight());
    }
}
