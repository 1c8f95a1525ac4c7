package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.CollectionInfo;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.IngestReport;
import dev.switchboard.retrieval.KnowledgeBase;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.SearchHit;
import dev.switchboard.retrieval.SearchRequest;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The knowledge API's behaviour, independent of HTTP: collections of a tenant, their documents, search.
 * Refusals are {@link ApiException}s.
 *
 * <p>Tenant isolation: every operation names its collection as {@code (tenant, name)} and the tenant
 * comes from the request, never from the body; a collection of another tenant is "not found" (404,
 * not 403, so that names do not leak). Each collection is its own index, so a search cannot return
 * another collection's chunks.
 *
 * <p>Collections that mirror a knowledge folder are read-only here (409): their content comes from
 * the folder. A collection a route retrieves from cannot be deleted (409) while the route exists.
 * Writes are durable and visible to search when the call returns (see {@link KnowledgeIndex}).
 */
final class KnowledgeService {

    private final Switchboard switchboard;

    KnowledgeService(Switchboard switchboard) {
        this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    }

    private KnowledgeBase base() {
        return switchboard.collections().base();
    }

    private CollectionCatalog catalog() {
        return switchboard.collections().catalog();
    }

    // --- collections -------------------------------------------------------------------------------

    /** Creates the collection {@code body.name} for {@code tenant}; 409 if it exists. */
    KnowledgeViews.Collection create(String tenant, String body) {
        KnowledgeRequests.NewCollection request = KnowledgeRequests.newCollection(JsonBodies.object(body));
        CollectionId id = KnowledgeRequests.collection(tenant, request.name());
        synchronized (this) { // the catalog entry and the index appear together
            CollectionInfo info;
            try {
                info = base().create(id);
            } catch (IllegalStateException e) {
                throw ApiException.conflict("collection_exists", "collection '" + id.name() + "' already exists", "name");
            }
            catalog().write(id, CollectionCatalog.Entry.api(request.description()));
            return view(info);
        }
    }

    /** The tenant's collections, sorted by name. */
    List<KnowledgeViews.Collection> list(String tenant) {
        return base().list(tenant).stream().map(this::view).toList();
    }

    KnowledgeViews.Collection get(String tenant, String name) {
        return view(info(KnowledgeRequests.collection(tenant, name)));
    }

    /** The collection as its last commit describes it, without opening it; 404 if absent. */
    private CollectionInfo info(CollectionId id) {
        return base().info(id).orElseThrow(() -> notFound(id));
    }

    /** Deletes a collection created through the API, with all its documents. */
    KnowledgeViews.Deleted delete(String tenant, String name) {
        CollectionId id = KnowledgeRequests.collection(tenant, name);
        synchronized (this) {
            info(id); // 404 first; not opened, so that a collection built with another encoder can be deleted
            requireWritable(id);
            List<String> users = switchboard.routes().routesUsing(id);
            if (!users.isEmpty()) {
                throw ApiException.conflict("collection_in_use", "collection '" + id.name() + "' is used by route(s) "
                        + String.join(", ", users) + ": change those route files first", null);
            }
            if (!base().delete(id)) {
                throw notFound(id);
            }
            catalog().delete(id);
            return new KnowledgeViews.Deleted(id.name(), "collection", true);
        }
    }

    private KnowledgeViews.Collection view(CollectionInfo info) {
        CollectionCatalog.Entry entry = catalog().read(info.id()).orElse(CollectionCatalog.Entry.api(""));
        return new KnowledgeViews.Collection(info.id().name(), info.id().tenant(), entry.description(), info.encoder(),
                info.documents(), info.chunks(), info.created(), entry.mirrorsFolder(), entry.folder());
    }

    // --- documents ---------------------------------------------------------------------------------

    /** Upserts the document(s) of a JSON body (one document, or {@code {"documents": [...]}}). */
    KnowledgeViews.Upserted upsert(String tenant, String name, String body) {
        CollectionId id = KnowledgeRequests.collection(tenant, name);
        KnowledgeIndex index = writable(id); // an unknown collection is reported before problems of the body
        List<Document> documents = KnowledgeRequests.documents(JsonBodies.object(body), Instant.now());
        IngestReport report = guard(id, () -> {
            try {
                return index.upsertAll(documents);
            } catch (IllegalArgumentException e) {
                throw ApiException.unprocessable("invalid_document", e.getMessage(), null);
            }
        });
        return new KnowledgeViews.Upserted(id.name(), stored(index, documents), report.chunks(), report.duplicateChunks());
    }

    /** Stores uploaded files; see {@link DocumentUploads}. */
    DocumentUploads.Outcome upload(String tenant, String name, List<DocumentUploads.Upload> files, String idField) {
        CollectionId id = KnowledgeRequests.collection(tenant, name);
        KnowledgeIndex index = writable(id);
        DocumentUploads uploads = new DocumentUploads(switchboard.settings().retrieval().maxFileBytes(),
                documents -> guard(id, () -> {
                    index.upsertAll(documents);
                    return stored(index, documents);
                }));
        return uploads.store(id.name(), files, idField);
    }

    /** A stored document with its chunks in document order. */
    KnowledgeViews.DocumentView document(String tenant, String name, String documentId) {
        CollectionId id = KnowledgeRequests.collection(tenant, name);
        KnowledgeIndex index = index(id);
        List<SearchHit> chunks = guard(id, () -> index.chunks(documentId));
        if (chunks.isEmpty()) {
            throw ApiException.notFound("document_not_found", "document '" + documentId + "' does not exist in collection '"
                    + id.name() + "'", "id");
        }
        SearchHit first = chunks.get(0);
        return new KnowledgeViews.DocumentView(documentId, id.name(), first.title(), first.source(), first.tags(),
                first.updatedAt(), first.metadata(), chunks.size(), chunks.stream()
                .map(h -> new KnowledgeViews.Chunk(h.chunkId(), h.section(), h.start(), h.end(), h.text()))
                .toList());
    }

    KnowledgeViews.Deleted deleteDocument(String tenant, String name, String documentId) {
        CollectionId id = KnowledgeRequests.collection(tenant, name);
        KnowledgeIndex index = writable(id);
        boolean deleted = guard(id, () -> index.delete(documentId));
        if (!deleted) {
            throw ApiException.notFound("document_not_found", "document '" + documentId + "' does not exist in collection '"
                    + id.name() + "'", "id");
        }
        return new KnowledgeViews.Deleted(documentId, "document", true);
    }

    // --- search ------------------------------------------------------------------------------------

    KnowledgeViews.SearchResult search(String tenant, String name, String body) {
        CollectionId id = KnowledgeRequests.collection(tenant, name);
        KnowledgeIndex index = index(id);
        JsonNode json = JsonBodies.object(body);
        SearchRequest request = KnowledgeRequests.search(json);
        // Hybrid searches rerank by default when there is a reranker; asking for it explicitly without one is an error.
        if (request.rerank() && json.hasNonNull("rerank") && !switchboard.hasReranker()) {
            throw ApiException.invalid("rerank_unavailable", "no reranker is configured on this server "
                    + "(switchboard.retrieval.reranker=none; use same or embedding:<encoder id>)", "rerank");
        }
        long t0 = System.nanoTime();
        List<SearchHit> hits = guard(id, () -> {
            try {
                return index.search(request);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("invalid_filter", e.getMessage(), "filters");
            }
        });
        double latency = TraceStep.millisSince(t0);
        return new KnowledgeViews.SearchResult(id.name(), request.query(), request.mode().name().toLowerCase(Locale.ROOT),
                hits.stream().map(KnowledgeViews.Hit::of).toList(), latency);
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** Each document with its chunk count in the index (duplicates of other documents' chunks included). */
    private static List<KnowledgeViews.Stored> stored(KnowledgeIndex index, List<Document> documents) {
        return documents.stream().map(d -> new KnowledgeViews.Stored(d.id(), index.chunks(d.id()).size())).toList();
    }

    /**
     * The collection's index, opened if needed; 404 if absent, 409 if it cannot be opened. A collection
     * built with another encoder than {@code switchboard.retrieval.encoder} (created before the setting
     * changed) is 409 {@code encoder_mismatch}, naming both encoders: delete and re-create it.
     */
    private KnowledgeIndex index(CollectionId id) {
        try {
            return base().find(id).orElseThrow(() -> notFound(id));
        } catch (IllegalStateException e) {
            String configured = switchboard.settings().retrieval().encoderId();
            String builtWith = base().info(id).map(CollectionInfo::encoder).orElse(configured);
            if (!builtWith.equals(configured)) {
                throw ApiException.conflict("encoder_mismatch", "collection '" + id.name() + "' was built with encoder "
                        + builtWith + ", but this server embeds with " + configured + " (switchboard.retrieval.encoder):"
                        + " delete the collection and upload its documents again, or run the server with"
                        + " switchboard.retrieval.encoder=" + builtWith, null);
            }
            throw ApiException.conflict("collection_unavailable", "collection '" + id.name() + "' cannot be opened: "
                    + e.getMessage(), null);
        }
    }

    private KnowledgeIndex writable(CollectionId id) {
        KnowledgeIndex index = index(id);
        requireWritable(id);
        return index;
    }

    private void requireWritable(CollectionId id) {
        Optional<CollectionCatalog.Entry> entry = catalog().read(id);
        if (switchboard.collections().mirrored().contains(id) || entry.map(CollectionCatalog.Entry::mirrorsFolder).orElse(false)) {
            throw ApiException.conflict("collection_read_only", "collection '" + id.name() + "' mirrors the folder "
                    + entry.map(CollectionCatalog.Entry::folder).orElse("of the same name")
                    + ": change the files there (re-indexed at the next start)", null);
        }
    }

    /**
     * Runs an operation on a collection's index; if the collection was deleted meanwhile (its index is
     * closed), the answer is 404 rather than a server error.
     */
    private <T> T guard(CollectionId id, Supplier<T> operation) {
        try {
            return operation.get();
        } catch (IllegalStateException | NoSuchElementException e) {
            if (base().info(id).isEmpty()) {
                throw notFound(id);
            }
            throw e;
        }
    }

    private static ApiException notFound(CollectionId id) {
        return ApiException.notFound("collection_not_found", "collection '" + id.name() + "' does not exist", "name");
    }
}
