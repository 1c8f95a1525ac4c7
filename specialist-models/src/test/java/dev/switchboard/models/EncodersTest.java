package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bge-small-en-v1.5 encoders: CLS pooling, query instruction, fp32 padded batching. */
class EncodersTest {

    private static final List<String> TEXTS = List.of("How do I reset the remote control?",
            "Press and hold the Return and Play buttons together for 3 seconds to pair the remote.", "ok");

    @Test
    void int8BgeMatchesLangChain4jsReferenceImplementation() {
        var reference = new BgeSmallEnV15QuantizedEmbeddingModel();
        try (Encoder bge = Encoders.load("bge-small-en-v1.5-q", 2)) {
            assertEquals(new EncoderInfo("bge-small-en-v1.5-q", 384, Pooling.CLS, 512,
                    "Represent this sentence for searching relevant passages: "), bge.info());
            float[][] ours = bge.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(reference.embed(TEXTS.get(i)).content().vector(), ours[i], 2e-4f, "text " + i);
            }
        }
    }

    @Test
    void queriesCarryTheInstructionAndPassagesDoNot() {
        try (Encoder bge = Encoders.load("bge-small-en-v1.5-q", 1)) {
            String q = "reset the remote";
            assertArrayEquals(bge.embed("Represent this sentence for searching relevant passages: " + q), bge.embedQuery(q), 0f);
            assertTrue(Vectors.dot(bge.embed(q), bge.embedQuery(q)) < 0.999f);
        }
    }

    @Test
    void fullPrecisionPaddedBatchesEqualSingleTexts() {
        // fp32 has no dynamic quantisation: padding is masked out, so a batched vector equals the single one.
        try (Encoder bge = Encoders.load("bge-small-en-v1.5", 2)) {
            float[][] batched = bge.embed(TEXTS);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertArrayEquals(bge.embed(TEXTS.get(i)), batched[i], 1e-4f, "text " + i);
            }
        }
    }
}
