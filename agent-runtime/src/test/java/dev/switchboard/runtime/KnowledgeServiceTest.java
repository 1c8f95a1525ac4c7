package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.KnowledgeBase;
import dev.switchboard.retrieval.KnowledgeIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The knowledge API without HTTP, on a real runtime with the default retrieval settings (int8
 * bge-small, same-encoder reranker): a mirrored knowledge folder, a route on an API collection of
 * tenant acme, and an API collection built with int8 MiniLM before the encoder changed. Each test uses
 * its own collection names.
 */
class KnowledgeServiceTest {

    @TempDir
    static Path tmp;
    private static Switchboard switchboard;
    private static KnowledgeService knowledge;

    @BeforeAll
    static void start() throws IOException {
        Path help = Files.createDirectories(tmp.resolve("knowledge/help"));
        Files.writeString(help.resolve("freeze.md"), "# Freezing your card\n\nTap Cards > Freeze card to freeze your card.\n");
        Path routes = Files.createDirectories(tmp.resolve("routes"));
        Files.writeString(routes.resolve("help.yaml"), """
                steps:
                  - retrieve: { collection: help }
                  - answer: { generator: extractive }
                escalation: { message: A human will help. }
                """);
        Files.writeString(routes.resolve("acme.yaml"), """
                steps:
                  - retrieve: { tenant: acme, collection: faq }
                  - answer: { generator: extractive }
                escalation: { message: A human will help. }
                """);
        // The route's collection must exist before the start: created through the API earlier; so was
        // "legacy", with the encoder of before.
        for (String encoderId : List.of(KnowledgeIndex.DEFAULT_ENCODER_ID, Encoders.DEFAULT_ID)) {
            try (Encoder encoder = Encoders.load(encoderId, 1);
                 KnowledgeBase base = KnowledgeBase.open(tmp.resolve("data/collections"), encoder, IndexOptions.defaults())) {
                CollectionId id = CollectionId.of("acme", encoderId.equals(Encoders.DEFAULT_ID) ? "legacy" : "faq");
                base.create(id);
                base.get(id).upsert(Document.of("hours", "Opening hours", "Support answers chats around the clock."));
            }
        }
        switchboard = Switchboard.start(settings(tmp.resolve("data"), routes, RetrievalSettings.defaults()));
        knowledge = new KnowledgeService(switchboard);
    }

    private static RuntimeSettings settings(Path data, Path routes, RetrievalSettings retrieval) {
        return new RuntimeSettings(tmp, routes, tmp.resolve("knowledge"), data, Encoders.DEFAULT_ID, retrieval,
                RuntimeSettings.GeneratorSettings.extractive(), 4000, Duration.ofMinutes(30), 100);
    }

    @AfterAll
    static void stop() {
        switchboard.close();
    }

    private static List<Object> refused(Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        return List.of(e.status(), e.code(), e.getMessage());
    }

    private static List<String> documentIds(KnowledgeViews.SearchResult result) {
        return result.hits().stream().map(KnowledgeViews.Hit::documentId).distinct().toList();
    }

    private static final String TV_DOCS = """
            {"documents": [
              {"id": "remote-pairing", "title": "Pairing the remote", "text": "# Pairing the remote\\n\\nHold Back and Play for three seconds to pair the remote with the TV.",
               "source": "tv-manual.pdf", "tags": ["tv", "remote"], "metadata": {"product": "QLED"}, "updated_at": "2024-03-01"},
              {"id": "picture-mode", "title": "Picture mode", "text": "Open Settings > Picture to choose Movie, Standard or Dynamic picture mode.",
               "source": "tv-manual.pdf", "tags": ["tv"], "metadata": {"product": "OLED"}, "updated_at": "2025-02-01"},
              {"id": "washer-door", "title": "Washer door", "text": "If the washer door does not open, wait two minutes after the cycle ends.",
               "source": "washer-manual.pdf", "tags": ["washer"], "metadata": {"product": "WW90"}, "updated_at": "2025-01-10T08:00:00Z"}
            ]}""";

    @Test
    void createsListsAndDeletesCollectionsOfATenant() {
        KnowledgeViews.Collection created = knowledge.create("acme", "{\"name\": \"manuals\", \"description\": \"Product manuals\"}");

        assertEquals("manuals", created.name());
        assertEquals("acme", created.tenant());
        assertEquals("Product manuals", created.description());
        assertEquals(KnowledgeIndex.DEFAULT_ENCODER_ID, created.encoder());
        assertEquals(0, created.documentCount());
        assertFalse(created.readOnly());
        assertTrue(!created.createdAt().isAfter(Instant.now()));
        assertEquals(List.of(409, "collection_exists", "collection 'manuals' already exists"),
                refused(() -> knowledge.create("acme", "{\"name\": \"manuals\"}")));
        assertEquals(List.of(400, "invalid_collection_name", "collection name 'Manuals!' is invalid: use 1-64 lower-case "
                        + "letters, digits, '-' or '_', starting with a letter or digit"),
                refused(() -> knowledge.create("acme", "{\"name\": \"Manuals!\"}")));
        assertTrue(knowledge.list("acme").stream().map(KnowledgeViews.Collection::name).toList().containsAll(List.of("faq", "manuals")));
        assertEquals("Product manuals", knowledge.get("acme", "manuals").description());

        assertEquals(new KnowledgeViews.Deleted("manuals", "collection", true), knowledge.delete("acme", "manuals"));
        assertEquals(List.of(404, "collection_not_found", "collection 'manuals' does not exist"),
                refused(() -> knowledge.get("acme", "manuals")));
        assertEquals(404, refused(() -> knowledge.delete("acme", "manuals")).get(0));
    }

    @Test
    void documentsAreSearchableWhenTheCallReturnsAndFiltersRestrictTheHits() {
        knowledge.create("acme", "{\"name\": \"tv\"}");
        KnowledgeViews.Upserted upserted = knowledge.upsert("acme", "tv", TV_DOCS);
        assertEquals(List.of("remote-pairing", "picture-mode", "washer-door"),
                upserted.documents().stream().map(KnowledgeViews.Stored::id).toList());
        assertTrue(upserted.documents().stream().allMatch(d -> d.chunks() >= 1), upserted.toString());
        assertEquals(3, knowledge.get("acme", "tv").documentCount());

        KnowledgeViews.SearchResult all = knowledge.search("acme", "tv", "{\"query\": \"how do I pair my remote control\"}");
        assertEquals("remote-pairing", all.hits().get(0).documentId());
        KnowledgeViews.Hit hit = all.hits().get(0);
        assertEquals("tv-manual.pdf", hit.source());
        assertEquals(List.of("tv", "remote"), hit.tags());
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), hit.updatedAt());
        assertEquals(Map.of("product", "QLED"), hit.metadata());
        assertTrue(hit.start() <= hit.snippetStart() && hit.snippetStart() < hit.snippetEnd() && hit.snippetEnd() <= hit.end(),
                hit.toString());
        assertEquals("hybrid", all.mode());
        assertTrue(all.latencyMs() >= 0);

        assertEquals(List.of("washer-door"), documentIds(knowledge.search("acme", "tv",
                "{\"query\": \"door\", \"filters\": {\"tags\": [\"washer\"]}}")));
        assertEquals(List.of("picture-mode"), documentIds(knowledge.search("acme", "tv",
                "{\"query\": \"remote picture door\", \"mode\": \"bm25\", \"filters\": {\"product\": \"OLED\"}}")));
        assertEquals(List.of("remote-pairing"), documentIds(knowledge.search("acme", "tv",
                "{\"query\": \"remote picture door\", \"mode\": \"dense\", \"filters\": {\"updated_before\": \"2025-01-01\"}}")));
        assertEquals(List.of("picture-mode", "washer-door"), documentIds(knowledge.search("acme", "tv",
                "{\"query\": \"picture mode washer\", \"filters\": {\"updated_after\": \"2025-01-01\", \"source\": "
                        + "[\"tv-manual.pdf\", \"washer-manual.pdf\"]}}")).stream().sorted().toList());
    }

    @Test
    void aDocumentCanBeReadReplacedAndDeleted() {
        knowledge.create("acme", "{\"name\": \"docs\"}");
        knowledge.upsert("acme", "docs", """
                {"id": "fees", "title": "Fees", "text": "# Fees\\n\\n## Monthly\\nThere is no monthly fee.\\n\\n## Transfers\\nTransfers abroad cost 1%.",
                 "tags": ["billing"]}""");

        KnowledgeViews.DocumentView fees = knowledge.document("acme", "docs", "fees");
        assertEquals("Fees", fees.title());
        assertEquals(List.of("billing"), fees.tags());
        assertEquals(fees.chunks().size(), fees.chunkCount());
        assertTrue(fees.chunks().stream().anyMatch(c -> c.section().equals("Transfers")), fees.chunks().toString());
        assertEquals(fees.chunks().stream().map(KnowledgeViews.Chunk::start).sorted().toList(),
                fees.chunks().stream().map(KnowledgeViews.Chunk::start).toList(), "document order");

        knowledge.upsert("acme", "docs", "{\"id\": \"fees\", \"title\": \"Fees\", \"text\": \"Everything is free of charge.\"}");
        assertEquals(1, knowledge.document("acme", "docs", "fees").chunkCount(), "the upsert replaced the old chunks");
        assertEquals(List.of("fees"), documentIds(knowledge.search("acme", "docs", "{\"query\": \"free of charge\", \"mode\": \"bm25\"}")));

        assertEquals(new KnowledgeViews.Deleted("fees", "document", true), knowledge.deleteDocument("acme", "docs", "fees"));
        assertEquals(List.of(), knowledge.search("acme", "docs", "{\"query\": \"free of charge\"}").hits());
        assertEquals(List.of(404, "document_not_found", "document 'fees' does not exist in collection 'docs'"),
                refused(() -> knowledge.deleteDocument("acme", "docs", "fees")));
        assertEquals(404, refused(() -> knowledge.document("acme", "docs", "fees")).get(0));
    }

    @Test
    void aTenantNeverSeesOrTouchesAnotherTenantsCollection() {
        knowledge.create("acme", "{\"name\": \"shared-name\"}");
        knowledge.upsert("acme", "shared-name", "{\"id\": \"acme-secret\", \"text\": \"Acme's launch date is the fifth of May.\"}");

        List<Object> notFound = List.of(404, "collection_not_found", "collection 'shared-name' does not exist");
        assertEquals(notFound, refused(() -> knowledge.get("beta", "shared-name")));
        assertEquals(notFound, refused(() -> knowledge.search("beta", "shared-name", "{\"query\": \"launch date\"}")));
        assertEquals(notFound, refused(() -> knowledge.upsert("beta", "shared-name", "{\"id\": \"x\", \"text\": \"y\"}")));
        assertEquals(notFound, refused(() -> knowledge.document("beta", "shared-name", "acme-secret")));
        assertEquals(notFound, refused(() -> knowledge.deleteDocument("beta", "shared-name", "acme-secret")));
        assertEquals(notFound, refused(() -> knowledge.delete("beta", "shared-name")));
        assertFalse(knowledge.list("beta").stream().anyMatch(c -> c.name().equals("shared-name")));

        knowledge.create("beta", "{\"name\": \"shared-name\"}");
        knowledge.upsert("beta", "shared-name", "{\"id\": \"beta-note\", \"text\": \"Beta's launch date is not decided.\"}");
        for (String mode : List.of("bm25", "dense", "hybrid")) {
            String query = "{\"query\": \"launch date\", \"top_k\": 100, \"mode\": \"" + mode + "\"}";
            assertEquals(List.of("beta-note"), documentIds(knowledge.search("beta", "shared-name", query)), mode);
            assertEquals(List.of("acme-secret"), documentIds(knowledge.search("acme", "shared-name", query)), mode);
        }
        String filtered = "{\"query\": \"launch\", \"filters\": {\"document_id\": \"acme-secret\"}}";
        assertEquals(List.of(), knowledge.search("beta", "shared-name", filtered).hits(), "a filter cannot reach across");
    }

    @Test
    void mirroredFoldersAreReadOnlyAndRouteCollectionsCannotBeDeleted() {
        KnowledgeViews.Collection help = knowledge.get("default", "help");
        assertTrue(help.readOnly());
        assertEquals("knowledge/help", help.folder());
        assertEquals(List.of("freeze"), documentIds(knowledge.search("default", "help", "{\"query\": \"freeze my card\"}")));

        String readOnly = "collection 'help' mirrors the folder knowledge/help: change the files there (re-indexed at the next start)";
        assertEquals(List.of(409, "collection_read_only", readOnly),
                refused(() -> knowledge.upsert("default", "help", "{\"id\": \"x\", \"text\": \"y\"}")));
        assertEquals(List.of(409, "collection_read_only", readOnly), refused(() -> knowledge.deleteDocument("default", "help", "freeze")));
        assertEquals(List.of(409, "collection_read_only", readOnly), refused(() -> knowledge.delete("default", "help")));
        assertEquals(List.of(409, "collection_in_use", "collection 'faq' is used by route(s) acme: change those route files first"),
                refused(() -> knowledge.delete("acme", "faq")));
    }

    /** One hit: its fused z-score is 0 (a single candidate has no spread), its reranked score 1 (min-max of one). */
    private static double onlyScore(KnowledgeService service, String body) {
        List<KnowledgeViews.Hit> hits = service.search("default", "help", body).hits();
        assertEquals(1, hits.size());
        return hits.get(0).score();
    }

    @Test
    void hybridSearchesRerankByDefaultAndAskingWithoutARerankerIsRefused(@TempDir Path data) throws IOException {
        assertEquals(1.0, onlyScore(knowledge, "{\"query\": \"freeze my card\"}"), "reranked by default");
        assertEquals(0.0, onlyScore(knowledge, "{\"query\": \"freeze my card\", \"rerank\": false}"), "opted out");
        assertEquals(1.0, onlyScore(knowledge, "{\"query\": \"freeze my card\", \"mode\": \"dense\", \"rerank\": true}"));

        Path routes = Files.createDirectories(data.resolve("routes"));
        Files.copy(tmp.resolve("routes/help.yaml"), routes.resolve("help.yaml"));
        RetrievalSettings withoutReranker = RetrievalSettings.defaults().withReranker(RetrievalSettings.Reranking.NONE);
        try (Switchboard plain = Switchboard.start(settings(data, routes, withoutReranker))) {
            KnowledgeService service = new KnowledgeService(plain);
            assertEquals(0.0, onlyScore(service, "{\"query\": \"freeze my card\"}"), "not reranked, not refused");
            assertEquals(List.of(400, "rerank_unavailable", "no reranker is configured on this server "
                            + "(switchboard.retrieval.reranker=none; use same or embedding:<encoder id>)"),
                    refused(() -> service.search("default", "help", "{\"query\": \"freeze\", \"rerank\": true}")));
        }
    }

    @Test
    void aCollectionBuiltWithAnotherEncoderAnswers409UntilItIsRecreated() {
        String mismatch = "collection 'legacy' was built with encoder all-minilm-l6-v2-q, but this server embeds with "
                + "bge-small-en-v1.5-q (switchboard.retrieval.encoder): delete the collection and upload its documents"
                + " again, or run the server with switchboard.retrieval.encoder=all-minilm-l6-v2-q";
        assertEquals(List.of(409, "encoder_mismatch", mismatch), refused(() -> knowledge.search("acme", "legacy", "{\"query\": \"hours\"}")));
        assertEquals(List.of(409, "encoder_mismatch", mismatch),
                refused(() -> knowledge.upsert("acme", "legacy", "{\"id\": \"x\", \"text\": \"y\"}")));
        assertEquals(List.of(409, "encoder_mismatch", mismatch), refused(() -> knowledge.document("acme", "legacy", "hours")));
        KnowledgeViews.Collection legacy = knowledge.get("acme", "legacy");
        assertEquals(List.of(Encoders.DEFAULT_ID, 1), List.of(legacy.encoder(), legacy.documentCount()), "described without opening");

        assertTrue(knowledge.delete("acme", "legacy").deleted(), "it can be deleted");
        assertEquals(KnowledgeIndex.DEFAULT_ENCODER_ID, knowledge.create("acme", "{\"name\": \"legacy\"}").encoder());
        knowledge.upsert("acme", "legacy", "{\"id\": \"hours\", \"text\": \"Support answers chats around the clock.\"}");
        assertEquals(List.of("hours"), documentIds(knowledge.search("acme", "legacy", "{\"query\": \"when can I chat\"}")));
    }

    @Test
    void uploadedFilesAreStoredOneByOne(@TempDir Path files) throws IOException {
        knowledge.create("acme", "{\"name\": \"uploads\"}");
        Path md = Files.writeString(files.resolve("a"), "# Cheques\n\nWe do not accept cheque deposits.\n");
        Path exe = Files.write(files.resolve("b"), "MZ".getBytes(StandardCharsets.US_ASCII));

        DocumentUploads.Outcome outcome = knowledge.upload("acme", "uploads", List.of(
                new DocumentUploads.Upload("cheques.md", Files.size(md), md),
                new DocumentUploads.Upload("tool.exe", Files.size(exe), exe)), null);

        assertEquals(200, outcome.status());
        assertEquals(List.of(new KnowledgeViews.Stored("cheques", 1)), outcome.body().files().get(0).documents());
        assertEquals(415, outcome.body().files().get(1).error().status());
        assertEquals(List.of("cheques"), documentIds(knowledge.search("acme", "uploads", "{\"query\": \"cheque deposits\"}")));
        assertEquals(List.of(409, "collection_read_only"), refused(() -> knowledge.upload("default", "help",
                List.of(new DocumentUploads.Upload("cheques.md", Files.size(md), md)), null)).subList(0, 2));
    }
}
