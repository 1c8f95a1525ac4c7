package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingPipelineTest {

    private static final Encoder encoder = TestEncoders.shared();

    private static List<String> texts(int n) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            texts.add("Help article number " + i + " about card fees.");
        }
        return texts;
    }

    @Test
    void givesTheVectorsOfTheTextsInOrderBatchByBatch() {
        List<String> texts = texts(70);
        TestEncoders.Probe counting = new TestEncoders.Probe();
        List<float[]> got = new ArrayList<>();
        try (EmbeddingPipeline pipeline = new EmbeddingPipeline(counting, texts, 32, 2)) {
            for (int i = 0; i < texts.size(); i++) {
                got.add(pipeline.next());
            }
            var e = assertThrows(IllegalStateException.class, pipeline::next);
            assertEquals("all 70 texts were taken", e.getMessage());
        }
        assertEquals(3, counting.calls(), "batches of 32, 32 and 6");
        for (int from = 0; from < 70; from += 32) {
            float[][] expected = encoder.embed(texts.subList(from, Math.min(70, from + 32)));
            for (int j = 0; j < expected.length; j++) {
                assertArrayEquals(expected[j], got.get(from + j), 1e-5f, "text " + (from + j));
            }
        }
    }

    @Test
    void aSingleBatchIsEmbeddedOnTheCallersThread() {
        TestEncoders.Probe counting = new TestEncoders.Probe();
        try (EmbeddingPipeline pipeline = new EmbeddingPipeline(counting, texts(3), 32, 2)) {
            pipeline.next();
            assertEquals(Thread.currentThread(), counting.lastThread());
        }
    }

    @Test
    void anEncoderFailureReachesTheConsumerAfterTheGoodBatches() {
        TestEncoders.Probe failing = new TestEncoders.Probe().failOnCall(2);
        try (EmbeddingPipeline pipeline = new EmbeddingPipeline(failing, texts(50), 16, 1)) {
            for (int i = 0; i < 16; i++) {
                assertEquals(384, pipeline.next().length);
            }
            var e = assertThrows(IllegalStateException.class, pipeline::next);
            assertEquals("injected encoder failure on call 2", e.getMessage());
            assertTrue(failing.lastThread().getName().startsWith("switchboard-embed"), failing.lastThread().getName());
        }
    }
}
