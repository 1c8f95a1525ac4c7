package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RerankersTest {

    private static final Encoder encoder = TestEncoders.shared();


    static SearchHit hit(String id, String title, String text, double score) {
        return new SearchHit(id + "#0", id, title, "", text, text, 0, text.length(), score, 0, 0, "", List.of(),
                Instant.EPOCH, Map.of(), 0, text.length());
    }

    // The index ranked the shipping answer first; the password answer is the one that fits.
    private static final List<SearchHit> HITS = List.of(
            hit("shipping", "Shipping times", "Orders ship within two business days from our warehouse.", 0.9),
            hit("password", "Reset your password", "Open Settings, choose Security and tap Reset password to get an email link.", 0.6),
            hit("refunds", "Refunds", "Refunds reach your card within five days after we receive the item.", 0.3));
    private static final String QUERY = "I forgot my password, how do I change it?";

    private static List<String> ids(List<SearchHit> hits) {
        return hits.stream().map(SearchHit::documentId).toList();
    }

    private static double cos(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** max(cos(q, title), cos(q, "title. section. text")), computed here from the encoder directly. */
    private static double view(String query, SearchHit h) {
        float[] q = encoder.embedQuery(query);
        double passage = cos(q, encoder.embed(ChunkFields.embeddingText(h.title(), h.section(), h.text())));
        return h.title().isBlank() ? passage : Math.max(passage, cos(q, encoder.embed(h.title())));
    }

    private static SearchHit byChunk(List<SearchHit> hits, String chunkId) {
        return hits.stream().filter(h -> h.chunkId().equals(chunkId)).findFirst().orElseThrow();
    }

    @Test
    void withMixOneTheScoreIsTheBetterOfTheTitleAndPassageCosines() {
        List<SearchHit> untitled = List.of(HITS.get(0), hit("faq", "", "Tap Forgot password on the sign-in screen.", 0.1));
        List<SearchHit> all = new ArrayList<>(HITS);
        all.addAll(untitled.subList(1, 2));
        List<SearchHit> out = Rerankers.embedding(encoder, 1).rerank(QUERY, all);

        assertEquals("password", out.get(0).documentId());
        assertEquals(Set.copyOf(ids(all)), Set.copyOf(ids(out)));
        for (SearchHit h : out) {
            assertEquals(view(QUERY, h), h.score(), 1e-5, h.documentId()); // "faq" has no title: passage only
        }
        for (int i = 1; i < out.size(); i++) {
            assertTrue(out.get(i - 1).score() >= out.get(i).score());
        }
        assertEquals("embedding:" + Encoders.DEFAULT_ID + "@1.00", Rerankers.embedding(encoder, 1).id());
    }

    @Test
    void mixZeroKeepsTheIndexOrderAndMixInBetweenBlendsNormalisedScores() {
        List<SearchHit> prior = Rerankers.embedding(encoder, 0).rerank(QUERY, HITS);
        assertEquals(ids(HITS), ids(prior));
        assertArrayEquals(new double[] {1.0, 0.5, 0.0}, prior.stream().mapToDouble(SearchHit::score).toArray(), 1e-12); // min-max of 0.9, 0.6, 0.3

        double[] view = HITS.stream().mapToDouble(h -> view(QUERY, h)).toArray();
        double min = Arrays.stream(view).min().orElseThrow();
        double max = Arrays.stream(view).max().orElseThrow();
        double[] priorNorm = {1.0, 0.5, 0.0};
        List<SearchHit> mixed = Rerankers.embedding(encoder, 0.4).rerank(QUERY, HITS);
        for (int i = 0; i < HITS.size(); i++) {
            double expected = 0.4 * (view[i] - min) / (max - min) + 0.6 * priorNorm[i];
            assertEquals(expected, byChunk(mixed, HITS.get(i).chunkId()).score(), 1e-5);
        }
        assertEquals("embedding:" + Encoders.DEFAULT_ID + "@0.50", Rerankers.embedding(encoder).id());
    }

    @Test
    void embeddingRerankerValidatesAndHandlesNoHits() {
        assertEquals(List.of(), Rerankers.embedding(encoder).rerank(QUERY, List.of()));
        assertEquals(List.of(), Rerankers.sameEncoder(encoder).rerank(QUERY, List.of()));
        assertEquals("rerank mix must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> Rerankers.embedding(encoder, 1.5)).getMessage());
        assertEquals("rerank mix must be in [0, 1], got -0.1",
                assertThrows(IllegalArgumentException.class, () -> Rerankers.sameEncoder(encoder, -0.1)).getMessage());
        assertEquals("encoder must not be null", assertThrows(NullPointerException.class, () -> Rerankers.embedding(null)).getMessage());
    }

    @Test
    void sameEncoderUsesTheIndexCosineAndAgreesWithReEmbedding(@TempDir Path dir) {
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            for (SearchHit h : HITS) {
                index.upsert(Document.of(h.documentId(), h.title(), h.text()));
            }
            index.upsert(Document.of("faq", "", "Tap Forgot password on the sign-in screen to reset it."));
            List<SearchHit> hits = index.search(SearchRequest.builder(QUERY).topK(4).build());
            assertEquals(4, hits.size());

            List<SearchHit> same = Rerankers.sameEncoder(encoder, 0.5).rerank(QUERY, hits);
            List<SearchHit> embedded = Rerankers.embedding(encoder, 0.5).rerank(QUERY, hits);
            assertEquals(ids(embedded), ids(same));
            for (SearchHit h : same) {
                assertEquals(byChunk(embedded, h.chunkId()).score(), h.score(), 1e-5, h.chunkId());
            }
            // A hit's cosine is the index's passage view: with a fake cosine the same-encoder view follows it.
            SearchHit faked = hits.get(hits.size() - 1);
            faked = new SearchHit(faked.chunkId(), faked.documentId(), "", faked.section(), faked.text(), faked.snippet(),
                    faked.start(), faked.end(), faked.score(), faked.bm25Score(), 0.99, faked.source(), faked.tags(),
                    faked.updatedAt(), faked.metadata(), faked.snippetStart(), faked.snippetEnd());
            assertEquals(0.99, Rerankers.sameEncoder(encoder, 1).rerank(QUERY, List.of(faked)).get(0).score(), 1e-12);
            assertEquals("same-encoder:" + Encoders.DEFAULT_ID + "@0.50", Rerankers.sameEncoder(encoder).id());

            // Given the index's query vector, the same-encoder reranker embeds only the titles (one batch).
            TestEncoders.Probe probe = new TestEncoders.Probe();
            List<SearchHit> withVector = Rerankers.sameEncoder(probe, 0.5).rerank(QUERY, encoder.embedQuery(QUERY), hits);
            assertEquals(1, probe.calls());
            assertEquals(same, withVector);
            Rerankers.embedding(probe, 0.5).rerank(QUERY, encoder.embedQuery(QUERY), hits);
            assertEquals(3, probe.calls(), "another encoder embeds the query itself, then titles and passages");
        }
    }

    /** Deterministic stand-in for a cross-encoder: how many distinct query words the segment contains. */
    static final class WordOverlapModel implements ScoringModel {
        final List<List<String>> calls = new ArrayList<>();

        @Override
        public Response<List<Double>> scoreAll(List<TextSegment> segments, String query) {
            calls.add(segments.stream().map(TextSegment::text).toList());
            Set<String> words = words(query);
            return Response.from(segments.stream()
                    .map(s -> (double) words(s.text()).stream().filter(words::contains).count())
                    .toList());
        }

        static Set<String> words(String s) {
            return Arrays.stream(s.toLowerCase(Locale.ROOT).split("\\W+")).filter(w -> w.length() > 2).collect(Collectors.toSet());
        }
    }

    @Test
    void scoringModelRerankerOrdersByTheModelsScoresOnTheEmbeddedText() {
        WordOverlapModel model = new WordOverlapModel();
        List<SearchHit> out = Rerankers.scoringModel(model).rerank("reset password email", HITS);

        assertEquals(List.of("password", "shipping", "refunds"), ids(out)); // 3, 0, 0: the tie keeps the index order
        assertEquals(List.of(3.0, 0.0, 0.0), out.stream().map(SearchHit::score).toList());
        assertEquals(List.of("Shipping times. Orders ship within two business days from our warehouse.",
                "Reset your password. Open Settings, choose Security and tap Reset password to get an email link.",
                "Refunds. Refunds reach your card within five days after we receive the item."), model.calls.get(0));
        assertEquals("scoring-model:WordOverlapModel", Rerankers.scoringModel(model).id());
    }

    @Test
    void aScoringModelThatAnswersWronglyIsAClearError() {
        ScoringModel tooFew = (segments, query) -> Response.from(List.of(1.0));
        assertTrue(assertThrows(IllegalStateException.class, () -> Rerankers.scoringModel(tooFew).rerank("q", HITS))
                .getMessage().endsWith(" returned 1 scores for 3 segments"));
        ScoringModel nan = (segments, query) -> Response.from(List.of(1.0, Double.NaN, 0.0));
        assertTrue(assertThrows(IllegalStateException.class, () -> Rerankers.scoringModel(nan).rerank("q", HITS))
                .getMessage().endsWith(" returned NaN for segment 1"));
        assertEquals("scoring model must not be null",
                assertThrows(NullPointerException.class, () -> Rerankers.scoringModel(null)).getMessage());
    }

    @Test
    void theIndexReranksHybridSearchesByDefaultAndOthersWhenAsked(@TempDir Path dir) {
        WordOverlapModel model = new WordOverlapModel();
        IndexOptions options = IndexOptions.defaults().withReranker(Rerankers.scoringModel(model), 3);
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder, options)) {
            for (SearchHit h : HITS) {
                index.upsert(Document.of(h.documentId(), h.title(), h.text()));
            }
            String query = "when will my refund email reach the card";
            List<SearchHit> plain = index.search(SearchRequest.builder(query).topK(3).rerank(false).build());
            index.search(SearchRequest.builder(query).mode(SearchMode.BM25).topK(3).build());
            index.search(new SearchRequest(query, 3, SearchMode.DENSE));
            assertEquals(0, model.calls.size(), "opted out, or not hybrid");

            List<SearchHit> reranked = index.search(SearchRequest.builder(query).topK(2).build());
            assertEquals(1, model.calls.size(), "hybrid reranks by default");
            assertEquals(3, model.calls.get(0).size()); // the reranker saw rerankDepth hits, the caller gets topK
            assertEquals(List.of("refunds"), ids(reranked).subList(0, 1));
            assertEquals(3.0, reranked.get(0).score()); // refund, reach, card
            assertEquals(2, reranked.size());
            assertEquals(3, plain.size());

            index.search(SearchRequest.hybrid(query, 2));
            index.search(SearchRequest.builder(query).mode(SearchMode.BM25).rerank(true).build());
            assertEquals(3, model.calls.size(), "the short form of hybrid, and BM25 when asked");
        }
    }

    @Test
    void theDefaultRerankDepthIsTheMeasuredOne() {
        assertEquals(30, Rerankers.DEFAULT_DEPTH);
        assertEquals(Rerankers.DEFAULT_DEPTH, IndexOptions.defaults().rerankDepth());
        assertEquals(Rerankers.DEFAULT_DEPTH, IndexOptions.defaults().withReranker(Rerankers.sameEncoder(encoder)).rerankDepth());
    }
}
