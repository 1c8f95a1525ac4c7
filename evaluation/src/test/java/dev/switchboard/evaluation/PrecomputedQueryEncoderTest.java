package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.SearchMode;
import dev.switchboard.retrieval.SearchRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrecomputedQueryEncoderTest {

    private static Encoder real;

    /** The real encoder, counting the texts it is asked to embed (queries go through embed too). */
    static final class Counting implements Encoder {
        final AtomicInteger texts = new AtomicInteger();

        @Override
        public EncoderInfo info() {
            return real.info();
        }

        @Override
        public float[][] embed(List<String> inputs) {
            texts.addAndGet(inputs.size());
            return real.embed(inputs);
        }

        @Override
        public void close() {
        }
    }

    @BeforeAll
    static void load() {
        real = Encoders.load(Encoders.DEFAULT_ID, 1);
    }

    @AfterAll
    static void close() {
        real.close();
    }

    @Test
    void precomputedQueriesNeverReachTheRealEncoder() {
        Counting counting = new Counting();
        PrecomputedQueryEncoder cache = new PrecomputedQueryEncoder(counting);
        float[] expected = real.embedQuery("how do I reset my password");
        assertArrayEquals(expected, cache.precompute("how do I reset my password"));
        assertEquals(1, counting.texts.get());
        for (int i = 0; i < 50; i++) {
            float[] v = cache.embedQuery("how do I reset my password");
            assertArrayEquals(expected, v);
            v[0] = 42; // a copy: the next answer is unchanged
        }
        assertArrayEquals(expected, cache.embedQueries(List.of("how do I reset my password"))[0]);
        assertEquals(1, counting.texts.get(), "no call after precompute");
        assertEquals(0, cache.delegateQueryCalls());
        assertEquals(51, cache.cacheHits());
    }

    @Test
    void searchesInEveryModeUseTheCachedVector(@TempDir Path dir) {
        Counting counting = new Counting();
        PrecomputedQueryEncoder cache = new PrecomputedQueryEncoder(counting);
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, cache)) {
            index.upsertAll(List.of(
                    Document.of("cards", "Lost card", "If you lose your card, freeze it in the app and order a new one."),
                    Document.of("fees", "Fees", "Transfers within the country are free. International transfers cost 1%.")));
            String query = "I lost my card";
            cache.precompute(query);
            int before = counting.texts.get();
            for (SearchMode mode : SearchMode.values()) {
                assertFalse(index.search(new SearchRequest(query, 2, mode)).isEmpty(), mode.name());
            }
            assertEquals(before, counting.texts.get(), "searching did not encode the query again");
            assertEquals(0, cache.delegateQueryCalls());
            assertTrue(cache.cacheHits() >= 2, "dense and hybrid need the query vector");

            cache.passThrough(true);
            assertEquals("cards", index.search(new SearchRequest(query, 1, SearchMode.HYBRID)).get(0).documentId());
            cache.passThrough(false);
            assertEquals(before + 1, counting.texts.get(), "pass-through encodes once per search");
            assertEquals(1, cache.delegateQueryCalls());
        }
    }

    @Test
    void anUnknownQueryIsEncodedAndPassagesAlwaysAre() {
        Counting counting = new Counting();
        PrecomputedQueryEncoder cache = new PrecomputedQueryEncoder(counting);
        assertArrayEquals(real.embedQuery("unseen question"), cache.embedQuery("unseen question"));
        assertEquals(1, cache.delegateQueryCalls());
        cache.embed(List.of("a passage", "another"));
        assertEquals(3, counting.texts.get());
        assertEquals(real.info(), cache.info());
    }

    @Test
    void closingLeavesTheDelegateOpen() {
        PrecomputedQueryEncoder cache = new PrecomputedQueryEncoder(real);
        cache.close();
        assertThrows(IllegalStateException.class, () -> cache.embedQuery("x"));
        assertThrows(IllegalStateException.class, () -> cache.precompute("x"));
        assertEquals(384, real.embedQuery("still open").length);
    }
}
