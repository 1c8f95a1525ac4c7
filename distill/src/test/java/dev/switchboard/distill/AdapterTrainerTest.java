package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.ResidualAdapter;
import dev.switchboard.models.Vectors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdapterTrainerTest {

    private static float[][] trainX;
    private static int[] trainY;
    private static float[][] validX;
    private static int[] validY;

    /** 8 BANKING77 labels x 20 examples (20% held out), embedded with the real encoder. */
    @BeforeAll
    static void embed(@TempDir Path dir) {
        IntentDataset data = IntentDataset.load(Banking77Slice.write(dir.resolve("slice"), 8, 20), 0.2, 42);
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 2)) {
            trainX = encoder.embed(data.train().stream().map(IntentExample::text).toList());
            validX = encoder.embed(data.validation().stream().map(IntentExample::text).toList());
        }
        trainY = TrainIntentCommand.labelIndices(data.train(), data.labels());
        validY = TrainIntentCommand.labelIndices(data.validation(), data.labels());
    }

    /** Mean same-label cosine minus mean different-label cosine. */
    static double separation(float[][] x, int[] y) {
        double same = 0;
        double other = 0;
        long ns = 0;
        long no = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                double c = Vectors.dot(x[i], x[j]);
                if (y[i] == y[j]) {
                    same += c;
                    ns++;
                } else {
                    other += c;
                    no++;
                }
            }
        }
        return same / ns - other / no;
    }

    @Test
    void bothLossesPullLabelsApartOnTrainingAndHeldOutTextsReproducibly() {
        double before = separation(trainX, trainY);
        double beforeHeldOut = separation(validX, validY);
        for (AdapterOptions.Loss loss : AdapterOptions.Loss.values()) {
            var options = new AdapterOptions(7, 16, 5, 0.003, 0, loss, 0.1, 4, 4);
            List<String> lines = new ArrayList<>();
            ResidualAdapter adapter = new AdapterTrainer(options).train(trainX, trainY, lines::add);
            assertEquals(5, lines.size());
            assertTrue(lines.get(0).startsWith("adapter epoch 1/5  " + loss.id() + " loss "), lines.get(0));
            assertEquals(16, adapter.rank());
            double after = separation(AdapterTrainer.apply(adapter, trainX), trainY);
            double afterHeldOut = separation(AdapterTrainer.apply(adapter, validX), validY);
            assertTrue(after > before + 0.05, loss + ": training separation " + before + " -> " + after);
            assertTrue(afterHeldOut > beforeHeldOut, loss + ": held-out separation " + beforeHeldOut + " -> " + afterHeldOut);
            ResidualAdapter again = new AdapterTrainer(options).train(trainX, trainY, l -> { });
            assertArrayEquals(adapter.down(), again.down(), "same seed, same adapter");
            assertArrayEquals(adapter.up(), again.up());
        }
    }

    @Test
    void optionsAreValidated() {
        assertEquals("adapter rank must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new AdapterOptions(1, 0, 1, 0.1, 0, AdapterOptions.Loss.SUPCON, 0.1, 2, 2)).getMessage());
        assertEquals("examples per class must be >= 2, got 1", assertThrows(IllegalArgumentException.class,
                () -> new AdapterOptions(1, 4, 1, 0.1, 0, AdapterOptions.Loss.SUPCON, 0.1, 2, 1)).getMessage());
        assertEquals("unknown adapter loss 'mse'; known: supcon, pairs",
                assertThrows(IllegalArgumentException.class, () -> AdapterOptions.Loss.of("mse")).getMessage());
    }
}
