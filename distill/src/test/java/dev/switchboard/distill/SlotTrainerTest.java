package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Entity;
import dev.switchboard.models.SlotModel;
import dev.switchboard.models.TokenEncoding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlotTrainerTest {

    private static final BioTagSet TAGS = BioTagSet.ofLabels(List.of("people"));
    private static final Encoder encoder = SharedEncoder.minilm();


    private static List<TaggedSequence> sequences(List<SlotExample> examples) {
        var stats = new SlotAlignment.Stats();
        return examples.stream().map(e -> SlotAlignment.align(encoder.encodeTokens(e.text()), e.spans(), TAGS, stats)).toList();
    }

    private static SlotTrainingOptions options(int lstm, boolean crf, int epochs) {
        return new SlotTrainingOptions(42, epochs, 5, 8, 0.01, 0, 0, lstm, 1, 0, crf, 0, true, 1, false);
    }

    @Test
    void theServedModelComputesWhatTheEngineComputes() {
        BioTagSet tags = BioTagSet.ofLabels(List.of("date", "people", "time"));
        int window = 1;
        int in = 384 * (2 * window + 1);
        try (Model model = Model.newInstance("test", Device.cpu(), "PyTorch")) {
            SlotNet net = new SlotNet(tags.size(), 8, 2, 16, 0.3f, true);
            model.setBlock(net);
            var config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optInitializer(new XavierInitializer(), Parameter.Type.WEIGHT).optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(new long[] {1, 1, in}, "NTC"));
                // Biases and CRF scores start at zero: randomise every parameter so that all of them count.
                Random random = new Random(5);
                for (var p : net.getParameters()) {
                    NDArray array = p.getValue().getArray();
                    float[] values = new float[Math.toIntExact(array.size())];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (0.2 * random.nextGaussian());
                    }
                    array.set(values);
                }
                TokenEncoding encoding = encoder.encodeTokens("a table for four people tomorrow at 7:30pm");
                TaggedSequence s = SlotAlignment.align(encoding, List.of(), tags, new SlotAlignment.Stats());
                float[][] x = SlotModel.windowFeatures(s.states(), window);
                float[] flat = new float[x.length * in];
                for (int t = 0; t < x.length; t++) {
                    System.arraycopy(x[t], 0, flat, t * in, in);
                }
                NDList out = trainer.evaluate(new NDList(trainer.getManager().create(flat, new Shape(1, x.length, in))));
                float[] engine = out.get(0).toFloatArray();
                SlotModel served = SlotTrainer.snapshot(net, tags, window, true);
                float[][] logits = served.logits(s.states());
                int k = tags.size();
                for (int t = 0; t < logits.length; t++) {
                    float[] row = new float[k];
                    System.arraycopy(engine, t * k, row, 0, k);
                    assertArrayEquals(row, logits[t], 1e-4f, "piece " + t);
                }
                assertArrayEquals(out.get(1).toFloatArray(), flatten(served), 1e-6f, "CRF transitions");
            }
        }
    }

    private static float[] flatten(SlotModel model) {
        double[][] t = model.transitions();
        float[] flat = new float[t.length * t.length];
        for (int f = 0; f < t.length; f++) {
            for (int g = 0; g < t.length; g++) {
                flat[f * t.length + g] = (float) t[f][g];
            }
        }
        return flat;
    }

    @Test
    void learnsATriviallyLearnableSlotFromATinySliceAndGeneralisesToUnseenNumbers() {
        List<SlotExample> test = SlotSlice.test();
        for (boolean crf : new boolean[] {false, true}) {
            SlotTrainingResult result = new SlotTrainer(options(8, crf, 25)).train(
                    sequences(SlotSlice.train(1, 120)), sequences(SlotSlice.train(2, 40)), TAGS, r -> { });
            assertTrue(result.validationF1() >= 0.95, "crf " + crf + ": validation F1 " + result.validationF1());
            assertEquals(crf, result.model().crf());
            int tp = 0;
            int gold = 0;
            int predicted = 0;
            for (SlotExample e : test) {
                List<Entity> found = result.model().extract(encoder.encodeTokens(e.text()), "model");
                Set<SlotSpan> spans = new HashSet<>();
                found.forEach(f -> spans.add(new SlotSpan(f.start(), f.end(), f.type())));
                gold += e.spans().size();
                predicted += spans.size();
                tp += (int) e.spans().stream().filter(spans::contains).count();
            }
            double precision = (double) tp / Math.max(1, predicted);
            double recall = (double) tp / gold;
            assertTrue(precision >= 0.9 && recall >= 0.9,
                    "crf " + crf + ": test precision " + precision + ", recall " + recall + " (" + tp + "/" + gold + ")");
        }
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        List<TaggedSequence> train = sequences(SlotSlice.train(1, 60));
        List<TaggedSequence> validation = sequences(SlotSlice.train(2, 20));
        SlotModel a = new SlotTrainer(options(4, true, 2)).train(train, validation, TAGS, r -> { }).model();
        SlotModel b = new SlotTrainer(options(4, true, 2)).train(train, validation, TAGS, r -> { }).model();
        float[][] states = train.get(0).states();
        float[][] la = a.logits(states);
        float[][] lb = b.logits(states);
        for (int t = 0; t < la.length; t++) {
            assertArrayEquals(la[t], lb[t], 0f);
        }
    }

    @Test
    void reportsEveryEpochAndRejectsBadInput() {
        List<SlotEpochReport> reports = new ArrayList<>();
        List<TaggedSequence> train = sequences(SlotSlice.train(1, 30));
        SlotTrainingResult result = new SlotTrainer(options(0, false, 3)).train(train, train, TAGS, reports::add);
        assertEquals(3, reports.size());
        assertEquals(3, result.epochsRun());
        assertTrue(reports.get(2).line().startsWith("epoch   3/3  train loss "), reports.get(2).line());
        assertEquals("need training and validation sequences, got 0 and 30", assertThrows(IllegalArgumentException.class,
                () -> new SlotTrainer(options(0, false, 1)).train(List.of(), train, TAGS, r -> { })).getMessage());
        var bad = List.of(new TaggedSequence(new float[][] {new float[384]}, new boolean[1], new int[] {7}));
        assertEquals("tag index 7 is not in [0, 3)", assertThrows(IllegalArgumentException.class,
                () -> new SlotTrainer(options(0, false, 1)).train(bad, train, TAGS, r -> { })).getMessage());
        assertEquals("window must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> new SlotTrainingOptions(1, 1, 1, 1, 0.1, 0, 0, 0, 1, -1, false, 0, false, 1, false)).getMessage());
    }
}
