package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** When unchanged weights count as a stall (the retry itself is tested through {@link HeadLoopTest}). */
class StallGuardTest {

    @Test
    void unchangedWeightsStallOnlyAtATrainingLossAndALearningRateThatShouldHaveMovedThem() {
        IntentTrainer.limitThreads();
        try (NDManager manager = Engine.getEngine(IntentTrainer.ENGINE).newBaseManager()) {
            NDArray w = manager.create(new float[] {0.5f, -2f});
            StallGuard guard = StallGuard.of(w);
            assertThrows(StallGuard.Stalled.class, () -> guard.afterEpoch(1, 1.0, 0.01));
            // a fitted model (loss ~0) and a learning rate below 1e-4 of the median |w| (|w| 0.5 and 2: median 2)
            assertDoesNotThrow(() -> guard.afterEpoch(2, 1e-5, 0.01));
            assertDoesNotThrow(() -> guard.afterEpoch(3, 1.0, 1.9e-4));
            w.addi(manager.create(new float[] {1e-3f, 0}));
            assertDoesNotThrow(() -> guard.afterEpoch(4, 1.0, 0.01), "one weight moved");
            assertThrows(StallGuard.Stalled.class, () -> guard.afterEpoch(5, 1.0, 2.1e-4));
        }
    }
}
