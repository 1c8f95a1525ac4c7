package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import dev.switchboard.models.Encoders;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeIndexTest {

    private static Encoder encoder;

    @TempDir
    Path tmp;

    @BeforeAll
    static void loadEncoder() {
        encoder = Encoders.load(Encoders.DEFAULT_ID);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    static Path kb() throws URISyntaxException {
        return Path.of(KnowledgeIndexTest.class.getResource("/kb").toURI());
    }

    @Test
    void ingestsAFolderOfMarkdownAndTextFiles() throws Exception {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            IngestReport report = index.ingest(kb());

            assertEquals(5, report.documents());
            assertEquals(List.of("notes.csv"), report.skipped());
            assertEquals(List.of(), report.failures());
            assertEquals(5, index.documentCount());
            assertEquals(report.chunks(), index.chunkCount());
            assertEquals(expectedChunks(kb()), report.chunks());

            SearchHit hit = index.search(new SearchRequest("replacement sent to a hotel", 1, SearchMode.BM25)).get(0);
            assertEquals("cards/lost-card", hit.documentId());
            assertEquals("Lost or stolen card", hit.title());
            assertEquals("Order a replacement > Travelling abroad", hit.section());
            assertEquals(hit.documentId() + "#3", hit.chunkId());
            String file = Files.readString(kb().resolve("cards/lost-card.md"));
            assertEquals(file.substring(hit.start(), hit.end()), hit.text());
            assertTrue(hit.snippet().contains("hotel address"), hit.snippet());

            SearchHit plain = index.search(new SearchRequest("selfie video passport", 1, SearchMode.BM25)).get(0);
            assertEquals("verification", plain.documentId());
            assertEquals("verification", plain.title(), "a .txt file without heading is titled by its name");
        }
    }

    @Test
    void bm25FindsAnExactTermAndEveryHitCarriesItsCosine() throws Exception {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.ingest(kb());

            List<SearchHit> hits = index.search(new SearchRequest("IBAN", 5, SearchMode.BM25));

            assertEquals(1, hits.size(), "only one chunk mentions IBAN: " + hits);
            SearchHit hit = hits.get(0);
            assertEquals("transfers/send-money#0", hit.chunkId());
            assertTrue(hit.bm25Score() > 0);
            assertEquals(hit.bm25Score(), hit.score(), 0.0);
            // The cosine is the query embedding against the stored chunk vector.
            float[] q = encoder.embedQuery("IBAN");
            float[] c = encoder.embed(ChunkFields.embeddingText(hit.title(), hit.section(), hit.text()));
            assertEquals(dot(q, c), hit.cosine(), 1e-3);
        }
    }

    @Test
    void denseFindsAParaphraseThatSharesNoWord() throws Exception {
        String query = "my wallet got pinched on the subway";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.ingest(kb());

            assertEquals(List.of(), index.search(new SearchRequest(query, 5, SearchMode.BM25)), "BM25 must find nothing");
            List<SearchHit> dense = index.search(new SearchRequest(query, 3, SearchMode.DENSE));

            assertEquals(3, dense.size());
            assertEquals("cards/lost-card", dense.get(0).documentId());
            assertEquals(0.0, dense.get(0).bm25Score(), 0.0);
            assertEquals(dense.get(0).cosine(), dense.get(0).score(), 0.0);
            assertTrue(dense.get(0).score() >= dense.get(1).score() && dense.get(1).score() >= dense.get(2).score());
            // Hybrid without a lexical match is the dense ranking.
            List<SearchHit> hybrid = index.search(SearchRequest.hybrid(query, 3));
            assertEquals(dense.stream().map(SearchHit::chunkId).toList(), hybrid.stream().map(SearchHit::chunkId).toList());
        }
    }

    @Test
    void hybridIsTheReciprocalRankFusionOfBothRankings() throws Exception {
        String query = "how long does a replacement card take to arrive";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.ingest(kb());
            // With topK = 10 hybrid fuses the top 50 of each ranking: here, every candidate.
            List<SearchHit> lexical = index.search(new SearchRequest(query, 50, SearchMode.BM25));
            List<SearchHit> dense = index.search(new SearchRequest(query, 50, SearchMode.DENSE));
            Map<String, Double> expected = new HashMap<>();
            Map<String, Double> bm25 = new HashMap<>();
            for (int r = 0; r < lexical.size(); r++) {
                expected.merge(lexical.get(r).chunkId(), 1.0 / (60 + r + 1), Double::sum);
                bm25.put(lexical.get(r).chunkId(), lexical.get(r).bm25Score());
            }
            for (int r = 0; r < dense.size(); r++) {
                expected.merge(dense.get(r).chunkId(), 1.0 / (60 + r + 1), Double::sum);
            }

            List<SearchHit> hybrid = index.search(SearchRequest.hybrid(query, 10));

            assertEquals(10, hybrid.size());
            double last = Double.MAX_VALUE;
            for (SearchHit h : hybrid) {
                assertEquals(expected.get(h.chunkId()), h.score(), 1e-12, h.chunkId());
                assertEquals(bm25.getOrDefault(h.chunkId(), 0.0), h.bm25Score(), 1e-9, h.chunkId());
                assertTrue(h.score() <= last, "not sorted at " + h.chunkId());
                last = h.score();
            }
            double cutoff = last;
            var returned = hybrid.stream().map(SearchHit::chunkId).toList();
            expected.forEach((id, s) -> assertTrue(returned.contains(id) || s <= cutoff, id + " should have been returned"));
            assertTrue(lexical.size() < dense.size(), "the constructed case needs chunks without lexical match");
            assertTrue(hybrid.stream().anyMatch(h -> h.bm25Score() == 0), "dense-only chunks take part in the fusion");
        }
    }

    @Test
    void stopWordQueriesStillSearchDensely() throws Exception {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.ingest(kb());

            assertEquals(List.of(), index.search(new SearchRequest("to be or not to be", 3, SearchMode.BM25)));
            List<SearchHit> hybrid = index.search(SearchRequest.hybrid("to be or not to be", 3));
            assertEquals(3, hybrid.size());
            hybrid.forEach(h -> assertEquals(0.0, h.bm25Score(), 0.0));
        }
    }

    @Test
    void upsertReplacesEveryChunkAndIsVisibleWithoutCommit() {
        String v1 = "# Fees\n\nThe zanzibar plan costs 3 EUR.\n\n## Extra\n\nZanzibar cards are green.\n\n## More\n\nAsk zanzibar support.";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.upsert(new Document("faq/fees", "Fees", v1, "faq", Map.of("lang", "en")));
            assertEquals(3, index.chunkCount());
            assertEquals(3, index.search(new SearchRequest("zanzibar", 5, SearchMode.BM25)).size());

            index.upsert(Document.of("faq/fees", "Fees", "The quokka plan is free."));

            assertEquals(1, index.documentCount());
            assertEquals(1, index.chunkCount());
            assertEquals(List.of(), index.search(new SearchRequest("zanzibar", 5, SearchMode.BM25)));
            SearchHit hit = index.search(new SearchRequest("quokka", 5, SearchMode.BM25)).get(0);
            assertEquals("faq/fees#0", hit.chunkId());
            assertEquals("The quokka plan is free.", hit.text());
            assertEquals(0, hit.start());
        }
    }

    @Test
    void deleteRemovesEveryChunkOfOneDocument() {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.upsertAll(List.of(
                    Document.of("a", "Alpha", "Alpha cards work abroad.\n\nAlpha cards are free."),
                    Document.of("b", "Beta", "Beta accounts pay interest.")));
            assertEquals(2, index.documentCount());

            assertTrue(index.delete("a"));

            assertEquals(1, index.documentCount());
            assertEquals(1, index.chunkCount());
            assertEquals(List.of("b#0"), index.search(SearchRequest.hybrid("alpha cards", 5)).stream().map(SearchHit::chunkId).toList());
            assertFalse(index.delete("a"));
            assertFalse(index.delete("never-there"));
        }
    }

    @Test
    void upsertAllRejectsDuplicateIdsAndWritesNothing() {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            var e = assertThrows(IllegalArgumentException.class, () -> index.upsertAll(List.of(
                    Document.of("a", "A", "One."), Document.of("b", "B", "Two."), Document.of("a", "A", "Three."))));
            assertEquals("duplicate document id in one upsert: a", e.getMessage());
            var h = assertThrows(IllegalArgumentException.class, () -> index.upsert(Document.of("h", "H", "# Only\n## Headings")));
            assertEquals("document h: no text besides headings", h.getMessage());
            assertEquals(0, index.chunkCount());
        }
    }

    @Test
    void reopeningAfterCloseKeepsEverything() throws Exception {
        Path dir = tmp.resolve("idx");
        List<SearchHit> before;
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            index.ingest(kb());
            index.upsert(Document.of("extra", "Extra", "Savings pots pay 2% interest."));
            index.delete("exchange");
            before = index.search(SearchRequest.hybrid("interest on savings", 5));
        }
        assertTrue(KnowledgeIndex.exists(dir));
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            assertEquals(5, index.documentCount());
            assertEquals(before, index.search(SearchRequest.hybrid("interest on savings", 5)));
            assertEquals("extra#0", before.get(0).chunkId());
        }
    }

    @Test
    void anotherEncoderCannotOpenTheIndex() {
        Path dir = tmp.resolve("idx");
        KnowledgeIndex.open(dir, encoder).close();

        var e = assertThrows(IllegalStateException.class,
                () -> KnowledgeIndex.open(dir, new RenamedEncoder(encoder, "other-encoder", 384)));
        assertTrue(e.getMessage().contains("built with encoder all-minilm-l6-v2-q (384 dimensions)"), e.getMessage());
        assertTrue(e.getMessage().contains("not with encoder other-encoder (384 dimensions)"), e.getMessage());

        var d = assertThrows(IllegalStateException.class,
                () -> KnowledgeIndex.open(dir, new RenamedEncoder(encoder, Encoders.DEFAULT_ID, 768)));
        assertTrue(d.getMessage().contains("not with encoder all-minilm-l6-v2-q (768 dimensions)"), d.getMessage());
        // The failed opens left the index usable.
        KnowledgeIndex.open(dir, encoder).close();
    }

    @Test
    void badFilesAreReportedAndTheOthersIngested() throws Exception {
        Path folder = tmp.resolve("kb");
        copy(kb(), folder);
        Files.write(folder.resolve("empty.md"), new byte[0]);
        Files.writeString(folder.resolve("blank.txt"), "  \n\n\t\n");
        Files.writeString(folder.resolve("cards/headings-only.md"), "# Title\n\n## Section\n");
        Files.write(folder.resolve("bad-utf8.md"), new byte[] {'H', 'i', (byte) 0xC3, 0x28});
        Files.writeString(folder.resolve("exchange.md"), "Same id as exchange.markdown.");
        Files.writeString(folder.resolve(".draft.md"), "A hidden draft.");

        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            IngestReport report = index.ingest(folder);

            assertEquals(List.of(
                    new IngestFailure("bad-utf8.md", "not valid UTF-8 text"),
                    new IngestFailure("blank.txt", "empty file"),
                    new IngestFailure("cards/headings-only.md", "no text besides headings"),
                    new IngestFailure("empty.md", "empty file"),
                    new IngestFailure("exchange.md", "same document id 'exchange' as exchange.markdown")), report.failures());
            assertEquals(List.of(".draft.md", "notes.csv"), report.skipped());
            assertEquals(5, report.documents());
            assertEquals(5, index.documentCount());
            assertEquals("exchange", index.search(new SearchRequest("interbank rate", 1, SearchMode.BM25)).get(0).documentId());
        }
    }

    @Test
    void ingestOfAMissingPathFails() {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            var e = assertThrows(IllegalArgumentException.class, () -> index.ingest(tmp.resolve("nope")));
            assertEquals("no such file or folder: " + tmp.resolve("nope"), e.getMessage());
        }
    }

    @Test
    void searchesRunWhileDocumentsAreWritten() throws Exception {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder);
             ExecutorService pool = Executors.newFixedThreadPool(4)) {
            index.ingest(kb());
            List<Future<?>> tasks = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 8; i++) {
                        index.upsert(Document.of("w" + writer + "/" + i, "Note " + i, "Writer " + writer + " wrote note " + i + "."));
                    }
                }));
            }
            for (int s = 0; s < 2; s++) {
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        List<SearchHit> hits = index.search(SearchRequest.hybrid("freeze a lost card", 3));
                        assertEquals(3, hits.size());
                        assertEquals("cards/lost-card", hits.get(0).documentId());
                    }
                }));
            }
            for (Future<?> f : tasks) {
                f.get();
            }
            assertEquals(5 + 16, index.documentCount());
        }
    }

    @Test
    void oneIndexFolderCannotBeOpenedTwice() {
        Path dir = tmp.resolve("idx");
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            var e = assertThrows(IllegalStateException.class, () -> KnowledgeIndex.open(dir, encoder));
            assertEquals("index " + dir + " is already open (by another KnowledgeIndex or process)", e.getMessage());
            index.upsert(Document.of("still", "Works", "The first handle still works."));
            assertEquals(1, index.documentCount());
        }
    }

    @Test
    void aClosedIndexRejectsCalls() {
        KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder);
        index.close();
        index.close();

        var e = assertThrows(IllegalStateException.class, () -> index.search(SearchRequest.hybrid("card", 1)));
        assertEquals("knowledge index " + tmp.resolve("idx") + " is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> index.upsert(Document.of("x", "X", "Text.")));
    }

    @Test
    void snippetsAreShortSentencesOfTheChunk() throws Exception {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.ingest(kb());
            for (SearchHit h : index.search(SearchRequest.hybrid("what does a replacement card cost", 10))) {
                assertTrue(h.snippet().length() <= Snippets.MAX_CHARS, h.snippet());
                assertTrue(h.text().replaceAll("\\s+", " ").contains(h.snippet()), h.snippet());
            }
            SearchHit top = index.search(new SearchRequest("what does a replacement card cost", 1, SearchMode.BM25)).get(0);
            assertTrue(top.snippet().startsWith("A replacement card costs 5 EUR"), top.snippet());
        }
    }

    private static int expectedChunks(Path folder) throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(p -> !p.toString().endsWith(".csv") && Files.isRegularFile(p)).toList()) {
                n += new Chunker().chunk(Files.readString(f)).size();
            }
        }
        return n;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The real encoder under another identity: only what the index records about it differs. */
    private record RenamedEncoder(Encoder delegate, String id, int dimension) implements Encoder {
        @Override
        public EncoderInfo info() {
            EncoderInfo i = delegate.info();
            return new EncoderInfo(id, dimension, i.pooling(), i.maxTokens(), i.queryPrefix());
        }

        @Override
        public float[][] embed(List<String> texts) {
            return delegate.embed(texts);
        }

        @Override
        public void close() {
            // the delegate is shared by the test class
        }
    }
}
