package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeBaseTest {

    private static final Encoder encoder = TestEncoders.shared();

    @TempDir
    Path tmp;


    @Test
    void createListGetAndDeleteCollections() {
        CollectionId faq = CollectionId.of("acme", "faq");
        CollectionId manuals = CollectionId.of("acme", "manuals");
        try (KnowledgeBase base = KnowledgeBase.open(tmp, encoder, IndexOptions.defaults())) {
            Instant before = Instant.now().minusMillis(1);
            CollectionInfo created = base.create(manuals);
            base.create(faq);
            base.create(CollectionId.of("globex", "faq"));

            assertEquals(new CollectionInfo(manuals, Encoders.DEFAULT_ID, 0, 0, created.created()), created);
            assertTrue(!created.created().isBefore(before) && !created.created().isAfter(Instant.now()));
            assertTrue(Files.isDirectory(tmp.resolve("acme").resolve("faq")), "one folder per collection");
            var dup = assertThrows(IllegalStateException.class, () -> base.create(faq));
            assertEquals("collection acme/faq already exists", dup.getMessage());

            base.get(faq).upsertAll(List.of(Document.of("a", "A", "Alpha text."), Document.of("b", "B", "Beta text.\n\nMore beta.")));
            assertSame(base.get(faq), base.find(faq).orElseThrow(), "kept open");
            assertEquals(List.of("faq", "manuals"), base.list("acme").stream().map(c -> c.id().name()).toList());
            assertEquals(2, base.list("acme").get(0).documents());
            assertEquals(2, base.list("acme").get(0).chunks(), "Beta's two short paragraphs are one chunk");
            assertEquals(List.of(), base.list("initech"));

            CollectionId missing = CollectionId.of("acme", "nope");
            assertEquals(Optional.empty(), base.find(missing));
            var none = assertThrows(NoSuchElementException.class, () -> base.get(missing));
            assertEquals("collection acme/nope does not exist", none.getMessage());

            KnowledgeIndex handle = base.get(manuals);
            assertTrue(base.delete(manuals));
            assertFalse(Files.exists(tmp.resolve("acme").resolve("manuals")));
            assertFalse(base.delete(manuals));
            assertEquals(Optional.empty(), base.find(manuals));
            assertThrows(IllegalStateException.class, () -> handle.search(SearchRequest.hybrid("x", 1)));
            assertEquals(List.of("faq"), base.list("acme").stream().map(c -> c.id().name()).toList());
            // A deleted collection can be created again, empty.
            base.create(manuals);
            assertEquals(0, base.get(manuals).documentCount());
        }
        // Reopened: collections are found on disk and described without opening them.
        try (KnowledgeBase base = KnowledgeBase.open(tmp, encoder, IndexOptions.defaults())) {
            List<CollectionInfo> acme = base.list("acme");
            assertEquals(List.of("faq", "manuals"), acme.stream().map(c -> c.id().name()).toList());
            assertEquals(2, acme.get(0).documents());
            assertEquals(Encoders.DEFAULT_ID, acme.get(0).encoder());
            assertEquals(acme.get(0), base.list("acme").get(0));
            assertEquals("a#0", base.get(faq).search(SearchRequest.hybrid("alpha", 1)).get(0).chunkId());
            assertEquals(acme.get(0), base.list("acme").get(0), "the same once opened");
        }
    }

    @Test
    void namesThatCouldEscapeTheRootAreRejected() {
        try (KnowledgeBase base = KnowledgeBase.open(tmp.resolve("kb"), encoder, IndexOptions.defaults())) {
            for (String bad : List.of("..", ".", "a/b", "../x", "A", "", " x", "a\\b", "x".repeat(65))) {
                assertThrows(IllegalArgumentException.class, () -> CollectionId.of(bad, "n"), bad);
                assertThrows(IllegalArgumentException.class, () -> CollectionId.of("t", bad), bad);
            }
            var e = assertThrows(IllegalArgumentException.class, () -> base.list(".."));
            assertTrue(e.getMessage().startsWith("tenant '..' is invalid"), e.getMessage());
            Files.createDirectories(tmp.resolve("kb").resolve("acme").resolve("Not-A-Name"));
            assertEquals(List.of(), base.list("acme"), "folders that are not collections are ignored");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void aCollectionFolderMovedUnderAnotherNameIsRefused() throws Exception {
        Path root = tmp.resolve("kb");
        try (KnowledgeBase base = KnowledgeBase.open(root, encoder, IndexOptions.defaults())) {
            base.create(CollectionId.of("acme", "faq"));
        }
        Files.createDirectories(root.resolve("globex"));
        Files.move(root.resolve("acme").resolve("faq"), root.resolve("globex").resolve("faq"));
        try (KnowledgeBase base = KnowledgeBase.open(root, encoder, IndexOptions.defaults())) {
            var e = assertThrows(IllegalStateException.class, () -> base.get(CollectionId.of("globex", "faq")));
            assertEquals("index " + root.resolve("globex").resolve("faq") + " holds collection acme/faq, not globex/faq",
                    e.getMessage());
        }
    }

    /**
     * 5 tenants × 6 collections; each document carries its collection's marker word and shares the
     * rest of its vocabulary with every collection. Random upserts, deletes, collection re-creations and
     * searches (every mode, with and without filters, queries naming other collections' markers) from
     * two threads: no hit may come from another collection, nor from a deleted document.
     */
    @Test
    void noSearchEverReturnsAnotherCollectionsChunks() throws Exception {
        Random random = new Random(20261122L);
        String[] vocabulary = ("card payment transfer fee account freeze limit travel refund loan savings "
                + "interest branch app password verify identity statement overdraft").split(" ");
        List<CollectionId> ids = new ArrayList<>();
        Map<CollectionId, String> markers = new HashMap<>();
        for (int t = 0; t < 5; t++) {
            for (int c = 0; c < 6; c++) {
                CollectionId id = CollectionId.of("tenant-" + t, "col-" + c);
                ids.add(id);
                markers.put(id, "zq" + (char) ('a' + t) + (char) ('a' + c) + "marker");
            }
        }
        // live document ids per collection; guarded by the map's monitor
        Map<CollectionId, Set<String>> live = new HashMap<>();
        try (KnowledgeBase base = KnowledgeBase.open(tmp, encoder, IndexOptions.defaults());
             ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (CollectionId id : ids) {
                base.create(id);
                live.put(id, new HashSet<>());
            }
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                Random r = new Random(random.nextLong());
                // Each worker owns half of the collections for writes (so the model stays exact) and searches all.
                List<CollectionId> own = ids.subList(w * 15, w * 15 + 15);
                workers.add(pool.submit(() -> {
                    int checkedHits = 0;
                    for (int step = 0; step < 120; step++) {
                        CollectionId id = own.get(r.nextInt(own.size()));
                        int op = r.nextInt(10);
                        if (op < 4) {
                            List<Document> docs = new ArrayList<>();
                            for (int k = 0; k < 1 + r.nextInt(3); k++) {
                                String docId = id.tenant() + "." + id.name() + ".d" + r.nextInt(8);
                                if (docs.stream().noneMatch(d -> d.id().equals(docId))) {
                                    docs.add(document(docId, markers.get(id), vocabulary, r, worker));
                                }
                            }
                            base.get(id).upsertAll(docs);
                            synchronized (live) {
                                docs.forEach(d -> live.get(id).add(d.id()));
                            }
                        } else if (op < 6) {
                            String docId = id.tenant() + "." + id.name() + ".d" + r.nextInt(8);
                            boolean deleted = base.get(id).delete(docId);
                            synchronized (live) {
                                assertEquals(live.get(id).remove(docId), deleted, "delete result for " + docId);
                            }
                        } else if (op == 6 && r.nextInt(4) == 0) {
                            assertTrue(base.delete(id));
                            base.create(id);
                            synchronized (live) {
                                live.get(id).clear();
                            }
                        } else {
                            CollectionId target = ids.get(r.nextInt(ids.size()));
                            checkedHits += searchAndCheck(base, target, markers, live, vocabulary, r, own.contains(target));
                        }
                    }
                    return checkedHits;
                }));
            }
            int hits = 0;
            for (Future<Integer> f : workers) {
                hits += f.get();
            }
            // Finally every collection, every mode, its own marker and every other one.
            Random r = new Random(7);
            for (CollectionId id : ids) {
                hits += searchAndCheck(base, id, markers, live, vocabulary, r, true);
                List<SearchHit> own = base.get(id).search(new SearchRequest(markers.get(id), 50, SearchMode.BM25));
                assertEquals(live.get(id).size(), own.stream().map(SearchHit::documentId).distinct().count(),
                        id + " finds each of its live documents by its marker");
            }
            assertTrue(hits > 100, "the test must actually look at hits, saw " + hits); // 205 when written
        }
    }

    private static Document document(String id, String marker, String[] vocabulary, Random r, int worker) {
        StringBuilder text = new StringBuilder("The ").append(marker).append(" desk explains");
        for (int i = 0; i < 8 + r.nextInt(10); i++) {
            text.append(' ').append(vocabulary[r.nextInt(vocabulary.length)]);
        }
        text.append(". Note ").append(r.nextInt(1_000_000)).append('.');
        return new Document(id, "About " + vocabulary[r.nextInt(vocabulary.length)], text.toString(), "w" + worker,
                Map.of("lang", r.nextBoolean() ? "en" : "de"), r.nextBoolean() ? List.of("cards") : List.of("loans"),
                Instant.ofEpochSecond(1_700_000_000L + r.nextInt(1_000_000)));
    }

    /** One random search on {@code target}; returns the number of hits checked. */
    private static int searchAndCheck(KnowledgeBase base, CollectionId target, Map<CollectionId, String> markers,
                                      Map<CollectionId, Set<String>> live, String[] vocabulary, Random r, boolean exact) {
        StringBuilder query = new StringBuilder(vocabulary[r.nextInt(vocabulary.length)]);
        for (int i = 0; i < 2; i++) {
            List<CollectionId> all = new ArrayList<>(markers.keySet());
            all.sort(java.util.Comparator.comparing(CollectionId::toString));
            query.append(' ').append(r.nextBoolean() ? markers.get(all.get(r.nextInt(all.size())))
                    : vocabulary[r.nextInt(vocabulary.length)]);
        }
        SearchRequest.Builder request = SearchRequest.builder(query.toString())
                .topK(1 + r.nextInt(20))
                .mode(SearchMode.values()[r.nextInt(3)]);
        switch (r.nextInt(4)) {
            case 0 -> request.filter(Filter.equalTo("lang", "en"));
            case 1 -> request.filter(Filter.anyOf("tags", List.of("cards", "loans")));
            case 2 -> request.filter(Filter.updatedBetween(Instant.ofEpochSecond(1_700_000_000L), null));
            default -> { }
        }
        List<SearchHit> hits;
        try {
            hits = base.get(target).search(request.build());
        } catch (IllegalStateException | NoSuchElementException gone) {
            // The other worker is deleting and re-creating this collection right now.
            assertFalse(exact, gone.toString());
            return 0;
        }
        String prefix = target.tenant() + "." + target.name() + ".";
        for (SearchHit h : hits) {
            assertTrue(h.documentId().startsWith(prefix), target + " returned " + h.documentId());
            assertTrue(h.text().contains(markers.get(target)), target + " returned text " + h.text());
            for (Map.Entry<CollectionId, String> other : markers.entrySet()) {
                if (!other.getKey().equals(target)) {
                    assertFalse(h.text().contains(other.getValue()), target + " returned " + other.getKey() + "'s text");
                }
            }
            if (exact) {
                synchronized (live) {
                    assertTrue(live.get(target).contains(h.documentId()), target + " returned deleted " + h.documentId());
                }
            }
        }
        return hits.size();
    }
}
