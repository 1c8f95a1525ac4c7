package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.Filter;
import dev.switchboard.retrieval.FusionConfig;
import dev.switchboard.retrieval.SearchMode;
import dev.switchboard.retrieval.SearchRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Request parsing of the knowledge API: values, defaults, and a precise 400 for every mistake. */
class KnowledgeRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The refusal's status, code, param and message. */
    private static List<Object> refused(Executable call) {
        ApiException e = assertThrows(ApiException.class, call);
        return List.of(e.status(), e.code(), String.valueOf(e.param()), e.getMessage());
    }

    @Test
    void theTenantComesFromTheHeaderAndDefaultsToDefault() {
        assertEquals("default", KnowledgeRequests.tenant(null));
        assertEquals("default", KnowledgeRequests.tenant("  "));
        assertEquals("acme", KnowledgeRequests.tenant("acme"));
        assertEquals(List.of(400, "invalid_tenant", "null", "X-Tenant-Id: tenant 'Acme Corp' is invalid: use 1-64 lower-case "
                        + "letters, digits, '-' or '_', starting with a letter or digit"),
                refused(() -> KnowledgeRequests.tenant("Acme Corp")));
    }

    @Test
    void collectionNamesAreValidated() {
        assertEquals(CollectionId.of("acme", "faq"), KnowledgeRequests.collection("acme", "faq"));
        assertEquals(List.of(400, "invalid_collection_name", "name", "collection name '../etc' is invalid: use 1-64 "
                        + "lower-case letters, digits, '-' or '_', starting with a letter or digit"),
                refused(() -> KnowledgeRequests.collection("acme", "../etc")));
    }

    @Test
    void readsANewCollection() {
        assertEquals(new KnowledgeRequests.NewCollection("faq", "Help center"),
                KnowledgeRequests.newCollection(json("{\"name\": \"faq\", \"description\": \"Help center\"}")));
        assertEquals(new KnowledgeRequests.NewCollection("faq", ""), KnowledgeRequests.newCollection(json("{\"name\": \"faq\"}")));
        assertEquals(List.of(400, "missing_field", "name", "'name' is required"),
                refused(() -> KnowledgeRequests.newCollection(json("{\"description\": \"x\"}"))));
        assertEquals(List.of(400, "unknown_field", "nmae", "unknown field 'nmae'; expected name, description"),
                refused(() -> KnowledgeRequests.newCollection(json("{\"nmae\": \"faq\"}"))));
        assertEquals(List.of(400, "invalid_value", "description", "'description' is 1001 characters; the limit is 1000"),
                refused(() -> KnowledgeRequests.newCollection(json("{\"name\": \"faq\", \"description\": \"" + "d".repeat(1001) + "\"}"))));
    }

    @Test
    void readsADocumentWithEveryField() {
        List<Document> docs = KnowledgeRequests.documents(json("""
                {"id": "tv-1", "title": "Picture settings", "text": "Press Menu, then Picture.", "source": "manual.pdf",
                 "tags": ["tv", "picture"], "metadata": {"product": "QLED", "year": 2024, "current": true},
                 "updated_at": "2024-05-01"}"""), NOW);

        assertEquals(List.of(new Document("tv-1", "Picture settings", "Press Menu, then Picture.", "manual.pdf",
                Map.of("product", "QLED", "year", "2024", "current", "true"), List.of("tv", "picture"),
                Instant.parse("2024-05-01T00:00:00Z"))), docs);
    }

    @Test
    void optionalDocumentFieldsHaveDefaults() {
        Document d = KnowledgeRequests.documents(json("{\"id\": \"a\", \"text\": \"Some text.\"}"), NOW).get(0);

        assertEquals(new Document("a", "", "Some text.", "", Map.of(), List.of(), NOW), d);
        assertEquals(Instant.parse("2024-05-01T08:30:00Z"), KnowledgeRequests.documents(json(
                "{\"id\": \"a\", \"text\": \"t\", \"updated_at\": \"2024-05-01T10:30:00+02:00\"}"), NOW).get(0).updatedAt());
    }

    @Test
    void readsABatchOfDocuments() {
        List<Document> docs = KnowledgeRequests.documents(json("""
                {"documents": [{"id": "a", "text": "First."}, {"id": "b", "text": "Second.", "tags": ["x"]}]}"""), NOW);

        assertEquals(List.of("a", "b"), docs.stream().map(Document::id).toList());
        assertEquals(List.of("x"), docs.get(1).tags());
    }

    @Test
    void namesTheFieldOfEveryDocumentMistake() {
        assertEquals(List.of(400, "missing_field", "documents[1].text", "'documents[1].text' is required"),
                refused(() -> KnowledgeRequests.documents(json("{\"documents\": [{\"id\": \"a\", \"text\": \"t\"}, {\"id\": \"b\"}]}"), NOW)));
        assertEquals(List.of(400, "duplicate_document_id", "documents[1].id",
                        "'documents[1].id': document id 'a' appears more than once in this request"),
                refused(() -> KnowledgeRequests.documents(json("{\"documents\": [{\"id\": \"a\", \"text\": \"t\"}, {\"id\": \"a\", \"text\": \"u\"}]}"), NOW)));
        assertEquals(List.of(400, "empty_field", "documents", "'documents' must contain at least one document"),
                refused(() -> KnowledgeRequests.documents(json("{\"documents\": []}"), NOW)));
        assertEquals(List.of(400, "unknown_field", "txt", "unknown field 'txt'; expected id, title, text, source, tags, metadata, updated_at"),
                refused(() -> KnowledgeRequests.documents(json("{\"id\": \"a\", \"txt\": \"t\"}"), NOW)));
        assertEquals(List.of(400, "unknown_field", "id", "unknown field 'id'; expected documents"),
                refused(() -> KnowledgeRequests.documents(json("{\"documents\": [], \"id\": \"a\"}"), NOW)));
        assertEquals(List.of(400, "invalid_value", "metadata.source", "'metadata.source': 'source' is a reserved field name; "
                        + "reserved: document_id, source, tags, updated_at, collection, title, text, section"),
                refused(() -> KnowledgeRequests.documents(json("{\"id\": \"a\", \"text\": \"t\", \"metadata\": {\"source\": \"x\"}}"), NOW)));
        assertEquals(List.of(400, "invalid_type", "metadata.size", "'metadata.size' must be a string, number or boolean, got an array"),
                refused(() -> KnowledgeRequests.documents(json("{\"id\": \"a\", \"text\": \"t\", \"metadata\": {\"size\": [1]}}"), NOW)));
        assertEquals(List.of(400, "invalid_type", "tags", "'tags[1]' must be a non-empty string, got a number"),
                refused(() -> KnowledgeRequests.documents(json("{\"id\": \"a\", \"text\": \"t\", \"tags\": [\"ok\", 3]}"), NOW)));
        assertEquals(List.of(400, "invalid_date", "updated_at", "'updated_at' must be an ISO-8601 date or date-time "
                        + "(2024-05-01 or 2024-05-01T10:00:00Z), got 'yesterday'"),
                refused(() -> KnowledgeRequests.documents(json("{\"id\": \"a\", \"text\": \"t\", \"updated_at\": \"yesterday\"}"), NOW)));
        assertEquals(List.of(400, "empty_field", "text", "'text' must not be empty"),
                refused(() -> KnowledgeRequests.documents(json("{\"id\": \"a\", \"text\": \"  \"}"), NOW)));
    }

    @Test
    void aSearchHasDefaults() {
        SearchRequest r = KnowledgeRequests.search(json("{\"query\": \"reset the remote\"}"));

        assertEquals(SearchRequest.builder("reset the remote").topK(5).mode(SearchMode.HYBRID).build(), r);
    }

    @Test
    void readsEveryFieldOfASearch() {
        SearchRequest r = KnowledgeRequests.search(json("""
                {"query": "reset", "top_k": 10, "mode": "bm25", "min_score": 0.25, "rerank": true, "fusion": "weighted:0.7",
                 "filters": {"tags": ["tv", "remote"], "source": "manual.pdf", "product": "QLED", "document_id": ["a", "b"],
                             "updated_after": "2024-01-01", "updated_before": "2025-01-01T00:00:00Z"}}"""));

        assertEquals(10, r.topK());
        assertEquals(SearchMode.BM25, r.mode());
        assertEquals(0.25, r.minScore());
        assertEquals(true, r.rerank());
        assertEquals(FusionConfig.weighted(0.7), r.fusion());
        assertEquals(List.of(
                new Filter.AnyOf("tags", Set.of("tv", "remote")),
                new Filter.Equals("source", "manual.pdf"),
                new Filter.Equals("product", "QLED"),
                new Filter.AnyOf("document_id", Set.of("a", "b")),
                new Filter.DateRange("updated_at", Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2025-01-01T00:00:00Z"))),
                r.filters());
    }

    @Test
    void aSingleTagIsAnEqualityAndHalfOpenDateRangesWork() {
        assertEquals(List.of(new Filter.Equals("tags", "tv")), KnowledgeRequests.filters(json("{\"tags\": \"tv\"}")));
        assertEquals(List.of(new Filter.Equals("tags", "tv")), KnowledgeRequests.filters(json("{\"tags\": [\"tv\"]}")));
        assertEquals(List.of(new Filter.DateRange("updated_at", null, Instant.parse("2024-01-01T00:00:00Z"))),
                KnowledgeRequests.filters(json("{\"updated_before\": \"2024-01-01\"}")));
        assertEquals(List.of(), KnowledgeRequests.filters(json("null")));
    }

    @Test
    void namesTheFieldOfEverySearchMistake() {
        assertEquals(List.of(400, "missing_field", "query", "'query' is required"),
                refused(() -> KnowledgeRequests.search(json("{\"top_k\": 3}"))));
        assertEquals(List.of(400, "invalid_value", "top_k", "'top_k' must be between 1 and 100, got 0"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"top_k\": 0}"))));
        assertEquals(List.of(400, "invalid_type", "top_k", "'top_k' must be an integer, got a string"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"top_k\": \"3\"}"))));
        assertEquals(List.of(400, "invalid_value", "mode", "'mode' must be one of hybrid, bm25, dense, got 'fuzzy'"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"mode\": \"fuzzy\"}"))));
        assertEquals(List.of(400, "invalid_type", "rerank", "'rerank' must be true or false, got a string"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"rerank\": \"yes\"}"))));
        assertEquals(List.of(400, "unknown_field", "filter", "unknown field 'filter'; expected query, top_k, mode, filters, "
                        + "min_score, rerank, fusion"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"filter\": {}}"))));
        assertEquals(List.of(400, "invalid_type", "filters", "'filters' must be an object, got an array"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"filters\": []}"))));
        assertEquals(List.of(400, "invalid_filter", "filters.text", "cannot filter on 'text'; filter on tags, source, "
                        + "document_id, updated_after, updated_before or a metadata key"),
                refused(() -> KnowledgeRequests.filters(json("{\"text\": \"x\"}"))));
        assertEquals(List.of(400, "invalid_filter", "filters.tags", "'filters.tags' needs at least one value"),
                refused(() -> KnowledgeRequests.filters(json("{\"tags\": []}"))));
        assertEquals(List.of(400, "invalid_date", "filters.updated_after", "'filters.updated_after' must be an ISO-8601 "
                        + "date or date-time (2024-05-01 or 2024-05-01T10:00:00Z), got '01/05/2024'"),
                refused(() -> KnowledgeRequests.filters(json("{\"updated_after\": \"01/05/2024\"}"))));
        assertEquals(400, refused(() -> KnowledgeRequests.filters(json(
                "{\"updated_after\": \"2025-01-01\", \"updated_before\": \"2024-01-01\"}"))).get(0));
        List<Object> fusion = refused(() -> KnowledgeRequests.search(json("{\"query\": \"q\", \"fusion\": \"magic\"}")));
        assertEquals(List.of(400, "invalid_value", "fusion"), fusion.subList(0, 3));
        assertTrue(((String) fusion.get(3)).startsWith("'fusion': unknown fusion 'magic'"), fusion.toString());
        assertEquals(List.of(413, "query_too_long", "query", "query is 4001 characters; the limit is 4000"),
                refused(() -> KnowledgeRequests.search(json("{\"query\": \"" + "q".repeat(4001) + "\"}"))));
    }
}
