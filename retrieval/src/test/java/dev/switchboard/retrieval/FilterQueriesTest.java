package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filters through a real index: every mode returns the top k among the matching chunks only. */
class FilterQueriesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String[] TOPICS = {
        "Card delivery takes five working days.",
        "A lost card must be frozen in the app.",
        "International transfers need the IBAN of the recipient.",
        "Savings pots pay interest every month.",
        "Cash withdrawals abroad cost two euros.",
        "Verification needs a passport and a selfie."};

    private static final Encoder encoder = TestEncoders.shared();
    private static List<Document> corpus;

    @TempDir
    static Path tmp;
    private static KnowledgeIndex index;

    @BeforeAll
    static void build() {
        corpus = new ArrayList<>();
        // 24 documents: topic i % 6, region by i % 3, tags by i % 4, one day apart, source by i % 2.
        for (int i = 0; i < 24; i++) {
            String region = List.of("eu", "uk", "us").get(i % 3);
            List<String> tags = switch (i % 4) {
                case 0 -> List.of("cards");
                case 1 -> List.of("cards", "travel");
                case 2 -> List.of("payments");
                default -> List.of();
            };
            corpus.add(new Document("doc-" + i, "Help " + i, TOPICS[i % 6] + " Article " + i + " for " + region + ".",
                    i % 2 == 0 ? "faq.md" : "guide.md", Map.of("region", region), tags, T0.plusSeconds(86_400L * i)));
        }
        index = KnowledgeIndex.open(tmp.resolve("idx"), encoder);
        index.upsertAll(corpus);
    }

    @AfterAll
    static void close() {
        index.close();
    }

    @Test
    void equalsAnyOfAndDateRangeSelectExactlyTheMatchingChunksInEveryMode() {
        assertMatches(List.of(Filter.equalTo("region", "uk")), d -> d.metadata().get("region").equals("uk"));
        assertMatches(List.of(Filter.equalTo("source", "guide.md")), d -> d.source().equals("guide.md"));
        assertMatches(List.of(Filter.equalTo("document_id", "doc-7")), d -> d.id().equals("doc-7"));
        assertMatches(List.of(Filter.anyOf("tags", List.of("travel", "payments"))),
                d -> d.tags().contains("travel") || d.tags().contains("payments"));
        assertMatches(List.of(Filter.updatedBetween(T0.plusSeconds(86_400L * 5), T0.plusSeconds(86_400L * 9))),
                d -> d.id().matches("doc-[5-8]"));
        assertMatches(List.of(Filter.updatedBetween(null, T0.plusSeconds(86_400L * 2))), d -> d.id().matches("doc-[01]"));
        assertMatches(List.of(Filter.updatedBetween(T0.plusSeconds(86_400L * 22), null)), d -> d.id().matches("doc-2[23]"));
        // Filters are AND-ed.
        assertMatches(List.of(Filter.equalTo("tags", "cards"), Filter.equalTo("region", "eu"), Filter.equalTo("source", "faq.md")),
                d -> d.tags().contains("cards") && d.metadata().get("region").equals("eu") && d.source().equals("faq.md"));
        assertMatches(List.of(Filter.equalTo("region", "mars")), d -> false);
        assertMatches(List.of(Filter.equalTo("collection", "")), d -> true);
    }

    @Test
    void dateBoundsAreInclusiveExclusiveToTheMillisecond() {
        Instant t5 = T0.plusSeconds(86_400L * 5);
        assertMatches(List.of(Filter.updatedBetween(t5, t5.plusMillis(1))), d -> d.id().equals("doc-5"));
        assertMatches(List.of(Filter.updatedBetween(t5.plusNanos(1), t5.plusSeconds(86_400).plusNanos(1))), d -> d.id().equals("doc-6"));
        assertMatches(List.of(Filter.updatedBetween(t5.minusMillis(1), t5)), d -> false);
    }

    @Test
    void theTopKAreTheBestMatchingChunksNotTheMatchesAmongTheOverallTopK() {
        // The query is about cards; the filter keeps only the savings articles, which rank low overall.
        String query = "how long until my new card arrives";
        List<Filter> savings = List.of(Filter.anyOf("document_id", List.of("doc-3", "doc-9", "doc-15", "doc-21")));
        for (SearchMode mode : List.of(SearchMode.DENSE, SearchMode.HYBRID)) {
            List<SearchHit> hits = index.search(SearchRequest.builder(query).topK(3).mode(mode).filters(savings).build());
            assertEquals(3, hits.size(), mode.toString());
        }
        // Dense: exactly the three nearest of the four matching chunks, by exact cosine.
        float[] q = encoder.embedQuery(query);
        List<String> expected = corpus.stream()
                .filter(d -> Set.of("doc-3", "doc-9", "doc-15", "doc-21").contains(d.id()))
                .sorted(Comparator.comparingDouble((Document d) -> -dot(q, encoder.embed(ChunkFields.embeddingText(d.title(), "", d.text())))))
                .limit(3)
                .map(d -> d.id() + "#0")
                .toList();
        List<SearchHit> dense = index.search(SearchRequest.builder(query).topK(3).mode(SearchMode.DENSE).filters(savings).build());
        assertEquals(expected, dense.stream().map(SearchHit::chunkId).toList());
        // BM25: "card" is in none of them, "new"/"long" neither: nothing matches lexically.
        assertEquals(List.of(), index.search(SearchRequest.builder(query).topK(3).mode(SearchMode.BM25).filters(savings).build()));
    }

    @Test
    void filtersThatNoFieldCanAnswerAreRejected() {
        var range = assertThrows(IllegalArgumentException.class, () -> search(List.of(
                new Filter.DateRange("source", T0, null)), SearchMode.HYBRID));
        assertEquals("date range filters work on 'updated_at' only, not on 'source'", range.getMessage());
        var equals = assertThrows(IllegalArgumentException.class, () -> search(List.of(
                Filter.equalTo("updated_at", "2025-01-01")), SearchMode.BM25));
        assertEquals("filter on 'updated_at' must be a date range", equals.getMessage());
        var text = assertThrows(IllegalArgumentException.class, () -> search(List.of(
                Filter.equalTo("title", "Help 1")), SearchMode.DENSE));
        assertEquals("cannot filter on 'title' (analysed text): filter on document_id, source, tags, updated_at, "
                + "collection or a metadata key", text.getMessage());
    }

    @Test
    void aLongMetadataValueIsStoredButCannotBeMatchedExactly(@TempDir Path dir) {
        String longValue = "x".repeat(ChunkFields.MAX_KEYWORD_CHARS + 1);
        try (KnowledgeIndex small = KnowledgeIndex.open(dir.resolve("idx"), encoder)) {
            small.upsert(new Document("long", "Long", "Pelicans fly.", "", Map.of("note", longValue, "kind", "bird")));

            SearchHit hit = small.search(new SearchRequest("pelicans", 1, SearchMode.BM25)).get(0);
            assertEquals(longValue, hit.metadata().get("note"));
            assertEquals(1, small.search(SearchRequest.builder("pelicans").filter(Filter.equalTo("kind", "bird")).build()).size());
            assertEquals(0, small.search(SearchRequest.builder("pelicans").filter(Filter.equalTo("note", longValue)).build()).size());
        }
    }

    private static void assertMatches(List<Filter> filters, Predicate<Document> expected) {
        List<String> matching = corpus.stream().filter(expected).map(d -> d.id() + "#0").sorted().toList();
        for (SearchMode mode : SearchMode.values()) {
            // A query every document matches lexically ("article"), so BM25 ranks them all too.
            List<SearchHit> hits = search(filters, mode);
            assertEquals(matching, hits.stream().map(SearchHit::chunkId).sorted().toList(), mode + " " + filters);
            hits.forEach(h -> assertTrue(expected.test(corpus.get(Integer.parseInt(h.documentId().substring(4))))));
        }
    }

    private static List<SearchHit> search(List<Filter> filters, SearchMode mode) {
        return index.search(SearchRequest.builder("article about cards").topK(50).mode(mode).filters(filters).build());
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
