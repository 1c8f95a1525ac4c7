package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeIndexTest {

    private static final Encoder encoder = TestEncoders.shared();

    @TempDir
    Path tmp;

    static Path kb() throws URISyntaxException {
        return Path.of(KnowledgeIndexTest.class.getResource("/kb").toURI());
    }

    @Test
    void ingestsAFolderOfMarkdownAndTextFiles() throws Exception {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            IngestReport report = index.ingest(kb());

            assertEquals(5, report.documents());
            assertEquals(List.of(), report.skipped());
            assertEquals(List.of("notes.csv"), report.failures().stream().map(IngestFailure::source).toList());
            assertTrue(report.failures().get(0).reason().startsWith("unsupported file type '.csv'"), report.failures().toString());
            assertEquals(0, report.duplicateChunks());
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

            // RRF named explicitly: the index's default fusion may be another method.
            List<SearchHit> hybrid = index.search(SearchRequest.builder(query).topK(10).fusion(FusionConfig.rrf(60)).build());

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
    void upsertReplacesEveryChunkAndIsVisibleAtOnce() {
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
                () -> KnowledgeIndex.open(dir, TestEncoders.Probe.renamed("other-encoder", 384)));
        assertTrue(e.getMessage().contains("built with encoder all-minilm-l6-v2-q (384 dimensions)"), e.getMessage());
        assertTrue(e.getMessage().contains("not with encoder other-encoder (384 dimensions)"), e.getMessage());

        var d = assertThrows(IllegalStateException.class,
                () -> KnowledgeIndex.open(dir, TestEncoders.Probe.renamed(Encoders.DEFAULT_ID, 768)));
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
                    new IngestFailure("exchange.md", "same document id 'exchange' as exchange.markdown")),
                    report.failures().stream().filter(f -> !f.source().equals("notes.csv")).toList());
            assertEquals(6, report.failures().size(), "notes.csv is an unsupported type");
            assertEquals(List.of(".draft.md"), report.skipped());
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

    @Test
    void hitsCarryTheDocumentsMetadataAndTheSnippetsOffsets() {
        Instant updated = Instant.parse("2025-03-04T05:06:07.089Z");
        String text = "# Fees\n\nAccounts are free.\n\n## Cards\n\nA metal card costs 9 EUR a month.   It is made of\n steel. "
                + "Plastic cards are free.";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.upsert(new Document("fees", "Fees", text, "help/fees.md", Map.of("lang", "en", "audience", "retail"),
                    List.of("pricing", "cards"), updated));

            SearchHit hit = index.search(new SearchRequest("metal card steel", 1, SearchMode.BM25)).get(0);

            assertEquals("help/fees.md", hit.source());
            assertEquals(List.of("pricing", "cards"), hit.tags());
            assertEquals(updated, hit.updatedAt());
            assertEquals(Map.of("lang", "en", "audience", "retail"), hit.metadata());
            assertEquals("Cards", hit.section());
            assertEquals("A metal card costs 9 EUR a month. It is made of steel.", hit.snippet());
            // The offsets point at the cited passage in the document text itself.
            assertEquals("A metal card costs 9 EUR a month.   It is made of\n steel.", text.substring(hit.snippetStart(), hit.snippetEnd()));
            assertTrue(hit.start() <= hit.snippetStart() && hit.snippetEnd() <= hit.end());
        }
    }

    @Test
    void aTruncatedSnippetsEndPointsAtTheCut() {
        String text = "Intro line here.\n\n" + "Quokka " + "word ".repeat(100) + "end.";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.upsert(Document.of("long", "Long", text));

            SearchHit hit = index.search(new SearchRequest("quokka", 1, SearchMode.BM25)).get(0);

            assertTrue(hit.snippet().endsWith("…"), hit.snippet());
            String cited = text.substring(hit.snippetStart(), hit.snippetEnd());
            assertEquals(hit.snippet().substring(0, hit.snippet().length() - 1), cited);
            assertTrue(cited.startsWith("Quokka word"), cited);
        }
    }

    @Test
    void sameContentInAnotherDocumentIsIndexedOnce() {
        String a = "# A\n\n## One\n\nShared paragraph about quokkas and their fees.\n\n## Two\n\nOnly in alpha.";
        String b = "## Intro\n\nSHARED  paragraph about\nquokkas and their FEES.\n\n## Other\n\nOnly in beta.";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            assertEquals(0, index.upsert(Document.of("a", "A", a)).duplicateChunks());

            IngestReport report = index.upsert(Document.of("b", "B", b));

            assertEquals(1, report.chunks());
            assertEquals(1, report.duplicateChunks(), "case and whitespace do not make content different");
            assertEquals(3, index.chunkCount());
            assertEquals(1, index.duplicateChunkCount());
            assertEquals(2, index.documentCount());
            for (SearchMode mode : SearchMode.values()) {
                List<SearchHit> hits = index.search(new SearchRequest("quokkas fees", 10, mode));
                assertEquals(1, hits.stream().filter(h -> h.text().toLowerCase().contains("quokkas")).count(), mode + ": " + hits);
                assertEquals("a#0", hits.get(0).chunkId(), mode.toString());
            }
            // The duplicate is still part of its document.
            assertEquals(List.of("b#0", "b#1"), index.chunks("b").stream().map(SearchHit::chunkId).toList());
            assertEquals(b.substring(index.chunks("b").get(0).start(), index.chunks("b").get(0).end()), index.chunks("b").get(0).text());

            // Re-upserting a document is not a duplicate of itself.
            IngestReport again = index.upsert(Document.of("a", "A", a));
            assertEquals(2, again.chunks());
            assertEquals(0, again.duplicateChunks());
            assertEquals(3, index.chunkCount());
        }
    }

    @Test
    void whenTheOriginalGoesTheDuplicateBecomesSearchable() {
        String shared = "Quokkas may enter the branch on Sundays.";
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder)) {
            index.upsertAll(List.of(Document.of("a", "A", shared), Document.of("b", "B", shared),
                    Document.of("c", "C", "Otters pay no fees.")));
            assertEquals(2, index.chunkCount());
            assertEquals(3, index.documentCount(), "a document whose only chunk is a duplicate still counts");

            assertTrue(index.delete("a"));

            assertEquals(2, index.chunkCount());
            assertEquals(0, index.duplicateChunkCount());
            for (SearchMode mode : SearchMode.values()) {
                assertEquals("b#0", index.search(new SearchRequest("quokkas branch", 1, mode)).get(0).chunkId(), mode.toString());
            }
            // Replacing the holder with other content promotes the duplicate too.
            index.upsert(Document.of("a", "A", shared));
            assertEquals(1, index.duplicateChunkCount(), "now a duplicates b");
            index.upsert(Document.of("b", "B", "Different words now."));
            assertEquals("a#0", index.search(new SearchRequest("quokkas branch", 1, SearchMode.DENSE)).get(0).chunkId());
            assertEquals(0, index.duplicateChunkCount());
            assertTrue(index.delete("b"));
            assertTrue(index.delete("a"));
            assertEquals(List.of("c#0"), index.search(SearchRequest.hybrid("quokkas branch", 5)).stream().map(SearchHit::chunkId).toList());
        }
    }

    @Test
    void deduplicationCanBeSwitchedOff() {
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("idx"), encoder, IndexOptions.defaults().withDeduplicate(false))) {
            IngestReport report = index.upsertAll(List.of(Document.of("a", "A", "Same words."), Document.of("b", "B", "Same words.")));

            assertEquals(2, report.chunks());
            assertEquals(0, report.duplicateChunks());
            assertEquals(2, index.search(new SearchRequest("same words", 5, SearchMode.BM25)).size());
        }
    }

    @Test
    void anAcknowledgedWriteIsDurableWithoutClose() throws Exception {
        Path dir = tmp.resolve("idx");
        Path crashed = tmp.resolve("after-crash");
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            index.upsertAll(List.of(Document.of("keep", "Keep", "Wombats are welcome."), Document.of("gone", "Gone", "Emus are not.")));
            index.delete("gone");
            // What is on disk now, while the index is still open, is what a crash would leave.
            copy(dir, crashed);
            Files.deleteIfExists(crashed.resolve("write.lock"));
        }
        try (KnowledgeIndex recovered = KnowledgeIndex.open(crashed, encoder)) {
            assertEquals(1, recovered.documentCount());
            assertEquals("keep#0", recovered.search(new SearchRequest("wombats", 1, SearchMode.BM25)).get(0).chunkId());
            assertEquals(List.of(), recovered.search(new SearchRequest("emus", 1, SearchMode.BM25)));
        }
    }

    @Test
    void aFailedUpsertChangesNothing() {
        Path dir = tmp.resolve("idx");
        TestEncoders.Probe failing = new TestEncoders.Probe();
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, failing)) {
            index.upsert(Document.of("doc-0", "Version one", "The first version mentions pelicans."));
            List<Document> batch = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                batch.add(Document.of("doc-" + i, "Note " + i, "Note number " + i + " of the second version."));
            }
            int third = failing.calls() + 3; // the third batch of 64
            failing.failOnCall(third);

            var e = assertThrows(IllegalStateException.class, () -> index.upsertAll(batch));

            assertEquals("injected encoder failure on call " + third, e.getMessage());
            assertEquals(1, index.documentCount());
            assertEquals(1, index.chunkCount());
            assertEquals("The first version mentions pelicans.", index.search(new SearchRequest("pelicans", 1, SearchMode.BM25)).get(0).text());
            // The index is still writable, and the retried batch goes through.
            assertEquals(200, index.upsertAll(batch).documents());
            assertEquals(200, index.documentCount());
            assertEquals(List.of(), index.search(new SearchRequest("pelicans", 1, SearchMode.BM25)));
        }
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            assertEquals(200, index.documentCount());
        }
    }

    @Test
    void int8VectorsUseTheScalarQuantizedFormatAndAreFixedAtCreation() throws Exception {
        Path dir = tmp.resolve("idx");
        IndexOptions int8 = IndexOptions.defaults().withVectorFormat(IndexOptions.VectorFormat.INT8);
        String query = "my wallet got pinched on the subway";
        List<String> floatRanking;
        try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("float"), encoder)) {
            index.ingest(kb());
            floatRanking = index.search(new SearchRequest(query, 3, SearchMode.DENSE)).stream().map(SearchHit::chunkId).toList();
        }
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder, int8)) {
            index.ingest(kb());
            assertEquals(IndexOptions.VectorFormat.INT8, index.vectorFormat());
            List<SearchHit> dense = index.search(new SearchRequest(query, 3, SearchMode.DENSE));
            assertEquals(floatRanking, dense.stream().map(SearchHit::chunkId).toList());
            // Hits report the exact cosine of the float vectors, not the quantized score.
            SearchHit top = dense.get(0);
            float[] c = encoder.embed(ChunkFields.embeddingText(top.title(), top.section(), top.text()));
            assertEquals(dot(encoder.embedQuery(query), c), top.cosine(), 1e-4);
        }
        try (Directory d = FSDirectory.open(dir); DirectoryReader reader = DirectoryReader.open(d)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                assertEquals(Lucene104HnswScalarQuantizedVectorsFormat.NAME, leaf.reader().getFieldInfos()
                        .fieldInfo(ChunkFields.VECTOR).getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
            }
            assertEquals("INT8", reader.getIndexCommit().getUserData().get(KnowledgeIndex.VECTOR_FORMAT_KEY));
        }
        var e = assertThrows(IllegalStateException.class, () -> KnowledgeIndex.open(dir, encoder));
        assertEquals("index " + dir + " stores its vectors as INT8, not as FLOAT32: open it with "
                + "IndexOptions.withVectorFormat(INT8) or re-ingest into a new index", e.getMessage());
        var f = assertThrows(IllegalStateException.class, () -> KnowledgeIndex.open(tmp.resolve("float"), encoder, int8));
        assertTrue(f.getMessage().contains("stores its vectors as FLOAT32, not as INT8"), f.getMessage());
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
}
