package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEncoderTest {

    private static Encoder encoder;

    @BeforeAll
    static void load() {
        encoder = Encoders.load(Encoders.DEFAULT_ID, 2);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embeddingsAreUnitVectorsOfTheDeclaredDimension() {
        float[][] vectors = encoder.embed(List.of("I lost my card", "What is the exchange rate today?"));
        assertEquals(2, vectors.length);
        for (float[] v : vectors) {
            assertEquals(384, v.length);
            assertEquals(1.0, Vectors.dot(v, v), 1e-4);
        }
        assertEquals(new EncoderInfo("all-minilm-l6-v2-q", 384, Pooling.MEAN, 256, ""), encoder.info());
    }

    @Test
    void matchesLangChain4jsReferenceImplementation() {
        // The same ONNX file run by langchain4j's own (unbatched) code: our padding, masking and
        // pooling must not change the result.
        var reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        List<String> texts = List.of("My card payment was declined at the supermarket.",
                "How long does a transfer from Europe take?", "hi");
        float[][] ours = encoder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] theirs = reference.embed(texts.get(i)).content().vector();
            assertArrayEquals(theirs, ours[i], 2e-4f, "text " + i);
        }
    }

    @Test
    void paraphrasesAreCloserThanUnrelatedTexts() {
        float[][] v = encoder.embed(List.of(
                "I lost my card, what do I do?",
                "My debit card has been stolen",
                "What is the weather like in Paris?"));
        assertTrue(Vectors.dot(v[0], v[1]) > Vectors.dot(v[0], v[2]) + 0.2,
                "paraphrase " + Vectors.dot(v[0], v[1]) + " vs unrelated " + Vectors.dot(v[0], v[2]));
    }

    @Test
    void anEmbeddingDoesNotDependOnItsBatchMates() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            texts.add("message " + i + " " + "about a pending top up ".repeat(i % 7 + 1));
        }
        float[][] batched = encoder.embed(texts);
        for (int i = 0; i < texts.size(); i += 13) {
            assertArrayEquals(encoder.embed(texts.get(i)), batched[i], 1e-6f, "text " + i);
        }
    }

    @Test
    void overlongTextIsTruncatedNotRejected() {
        String longText = "word ".repeat(2000);
        float[] v = encoder.embed(longText);
        float[] truncatedEquivalent = encoder.embed("word ".repeat(300));
        assertArrayEquals(truncatedEquivalent, v, 1e-4f);
    }

    @Test
    void queriesGetThePrefixOnlyWhenTheEncoderHasOne() {
        assertArrayEquals(encoder.embed("lost card"), encoder.embedQuery("lost card"), 0f);
    }

    @Test
    void badInputIsNamed() {
        assertEquals(0, encoder.embed(List.of()).length);
        var e = assertThrows(IllegalArgumentException.class, () -> encoder.embed(Arrays.asList("a", null)));
        assertEquals("text 1 is null", e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> Encoders.load("gpt-5"));
        assertTrue(unknown.getMessage().startsWith("unknown encoder 'gpt-5'; known encoders: [all-minilm-l6-v2-q"));
    }

    @Test
    void closedEncoderRefusesWork() {
        Encoder other = Encoders.load(Encoders.DEFAULT_ID, 1);
        other.close();
        var e = assertThrows(IllegalStateException.class, () -> other.embed("x"));
        assertEquals("encoder all-minilm-l6-v2-q is closed", e.getMessage());
    }

    @Test
    void tokenStatesMapBackToTheTextAndPoolToTheSentenceVector() {
        String text = "Send £20 to Anna, ending 4821!";
        TokenEncoding tokens = encoder.encodeTokens(text);
        assertEquals("[CLS]", tokens.tokens().get(0));
        assertEquals("[SEP]", tokens.tokens().get(tokens.size() - 1));
        assertTrue(tokens.isSpecial(0) && tokens.isSpecial(tokens.size() - 1));
        StringBuilder covered = new StringBuilder();
        for (int i = 1; i < tokens.size() - 1; i++) {
            String piece = text.substring(tokens.starts()[i], tokens.ends()[i]).toLowerCase(java.util.Locale.ROOT);
            assertEquals(tokens.tokens().get(i).replace("##", ""), piece, "token " + i);
            covered.append(piece);
        }
        assertEquals(text.replace(" ", "").toLowerCase(java.util.Locale.ROOT), covered.toString());
        // Mean of the token states, normalised, is exactly the sentence embedding (MEAN pooling).
        float[] mean = new float[384];
        for (float[] state : tokens.states()) {
            for (int d = 0; d < mean.length; d++) {
                mean[d] += state[d] / tokens.size();
            }
        }
        Vectors.normalize(mean);
        assertArrayEquals(encoder.embed(text), mean, 1e-5f);
    }
}
