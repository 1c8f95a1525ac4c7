package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.CollectionInfo;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.IngestFailure;
import dev.switchboard.retrieval.IngestReport;
import dev.switchboard.retrieval.KnowledgeBase;
import dev.switchboard.retrieval.KnowledgeIndex;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runtime's knowledge: ONE {@link KnowledgeBase} in {@code <dataDir>/collections} (a Lucene index
 * per collection, {@code <tenant>/<name>}) plus a {@link CollectionCatalog} in
 * {@code <dataDir>/collection-meta}.
 *
 * <p>Every subfolder of the knowledge folder is mirrored, at open, as collection
 * {@code default/<folder>}: it is re-ingested from scratch only when its {@link ContentHash} (salted
 * with the encoder id and {@link #INGEST_GENERATION}) differs from the one recorded after its last
 * complete ingest; otherwise the existing index is used as is. So changing the retrieval encoder
 * rebuilds every mirrored collection at the next start (logged with both encoder ids); a collection
 * created through the API is not rebuilt (its documents live only in its index) and its API calls
 * answer 409 {@code encoder_mismatch} until it is re-created. A mirrored collection whose folder is
 * gone is deleted. Mirrored collections are read-only through the API (their content comes from the
 * folder and would be replaced at the next change); collections created through the API are never
 * touched here, and a folder that would replace one stops the start instead.
 */
final class KnowledgeCollections implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KnowledgeCollections.class);

    /** Bumped when ingestion changes what it makes of the same files, so that folders are re-ingested. */
    static final String INGEST_GENERATION = "collections-1";

    /** What opening did to a mirrored folder's collection. */
    enum State { INDEXED, UNCHANGED, REINDEXED }

    private final KnowledgeBase base;
    private final CollectionCatalog catalog;
    private final Map<CollectionId, State> states;

    private KnowledgeCollections(KnowledgeBase base, CollectionCatalog catalog, Map<CollectionId, State> states) {
        this.base = base;
        this.catalog = catalog;
        this.states = states;
    }

    /**
     * Opens the knowledge base under {@code dataDir} and mirrors every subfolder of
     * {@code knowledgeDir} (see the class comment).
     *
     * @throws IllegalStateException if a folder would replace a collection created through the API
     */
    static KnowledgeCollections open(Path knowledgeDir, Path dataDir, Encoder encoder, IndexOptions options) {
        if (Files.isDirectory(dataDir.resolve("index"))) {
            LOG.infof("startup: %s (the index layout before collections) is no longer used and can be deleted",
                    dataDir.resolve("index"));
        }
        KnowledgeBase base = KnowledgeBase.open(dataDir.resolve("collections"), encoder, options);
        CollectionCatalog catalog = new CollectionCatalog(dataDir.resolve("collection-meta"));
        Map<CollectionId, State> states = new LinkedHashMap<>();
        try {
            List<Path> folders = subfolders(knowledgeDir);
            String salt = encoder.info().id() + "\u0000" + INGEST_GENERATION;
            for (Path folder : folders) {
                String name = folder.getFileName().toString();
                CollectionId id;
                try {
                    id = CollectionId.of(CollectionId.DEFAULT_TENANT, name);
                } catch (IllegalArgumentException e) {
                    LOG.warnf("startup: knowledge folder %s is not mirrored: %s", folder, e.getMessage());
                    continue;
                }
                String display = knowledgeDir.getFileName() + "/" + name;
                states.put(id, mirror(base, catalog, id, folder, display, ContentHash.of(folder, salt), encoder.info().id()));
            }
            removeVanishedFolders(base, catalog, states.keySet());
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
        return new KnowledgeCollections(base, catalog, states);
    }

    private static State mirror(KnowledgeBase base, CollectionCatalog catalog, CollectionId id, Path folder,
                                String display, String hash, String encoderId) {
        long t0 = System.nanoTime();
        Optional<CollectionCatalog.Entry> entry = catalog.read(id);
        boolean mirrored = entry.map(CollectionCatalog.Entry::mirrorsFolder).orElse(false);
        Optional<String> builtWith = base.info(id).map(CollectionInfo::encoder);
        if (mirrored && builtWith.isPresent() && !builtWith.get().equals(encoderId)) {
            // The content hash is salted with the encoder id, so this also fails the check below.
            LOG.infof("startup: collection %s was built with encoder %s, the retrieval encoder is now %s: re-indexing %s",
                    id, builtWith.get(), encoderId, display);
        }
        if (mirrored && hash.equals(entry.get().contentHash())) {
            Optional<KnowledgeIndex> index = openQuietly(base, id);
            if (index.isPresent()) {
                LOG.infof("startup: collection %s unchanged, opened index with %d chunks in %d ms",
                        id, index.get().chunkCount(), millisSince(t0));
                return State.UNCHANGED;
            }
        }
        if (!mirrored && builtWith.isPresent()) {
            throw new IllegalStateException("knowledge folder " + folder + " would replace collection " + id
                    + ", which was created through the API: rename the folder or delete the collection");
        }
        // Recorded before indexing, without a hash: an interrupted ingest is redone at the next start.
        catalog.write(id, new CollectionCatalog.Entry("", display, null));
        base.delete(id);
        base.create(id);
        IngestReport report = base.get(id).ingest(folder);
        for (IngestFailure failure : report.failures()) {
            LOG.warnf("collection %s: could not ingest %s: %s", id, failure.source(), failure.reason());
        }
        catalog.write(id, new CollectionCatalog.Entry("", display, hash));
        LOG.infof("startup: collection %s %s from %s: %d documents, %d chunks (%d skipped, %d failed) in %d ms",
                id, mirrored ? "changed, re-indexed" : "indexed", display, report.documents(), report.chunks(),
                report.skipped().size(), report.failures().size(), millisSince(t0));
        return mirrored ? State.REINDEXED : State.INDEXED;
    }

    /** A mirrored collection whose folder was removed mirrors nothing any more. */
    private static void removeVanishedFolders(KnowledgeBase base, CollectionCatalog catalog, Set<CollectionId> mirrored) {
        for (CollectionInfo info : base.list(CollectionId.DEFAULT_TENANT)) {
            Optional<CollectionCatalog.Entry> entry = catalog.read(info.id());
            if (!mirrored.contains(info.id()) && entry.isPresent() && entry.get().mirrorsFolder()) {
                base.delete(info.id());
                catalog.delete(info.id());
                LOG.infof("startup: collection %s deleted: its folder %s is gone", info.id(), entry.get().folder());
            }
        }
    }

    /** The index, or empty if it is missing or cannot be opened (e.g. built with another encoder). */
    private static Optional<KnowledgeIndex> openQuietly(KnowledgeBase base, CollectionId id) {
        try {
            return base.find(id);
        } catch (IllegalStateException | UncheckedIOException e) {
            LOG.warnf("startup: collection %s cannot be opened (%s): re-indexing it", id, e.getMessage());
            return Optional.empty();
        }
    }

    KnowledgeBase base() {
        return base;
    }

    CollectionCatalog catalog() {
        return catalog;
    }

    Optional<KnowledgeIndex> find(CollectionId id) {
        return base.find(id);
    }

    /** What opening did to the mirrored folder {@code default/<name>}; null if there is no such folder. */
    State state(String name) {
        return states.get(CollectionId.of(CollectionId.DEFAULT_TENANT, name));
    }

    /** The collections that mirror a knowledge folder (tenant {@code default}). */
    Set<CollectionId> mirrored() {
        return states.keySet();
    }

    /** Names of the collections of {@code tenant}, sorted. */
    List<String> names(String tenant) {
        return base.list(tenant).stream().map(c -> c.id().name()).toList();
    }

    @Override
    public void close() {
        base.close();
    }

    private static List<Path> subfolders(Path dir) {
        if (!Files.isDirectory(dir)) {
            LOG.warnf("knowledge folder %s does not exist: no folder is mirrored", dir);
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list knowledge folder " + dir + ": " + e.getMessage(), e);
        }
    }

    static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
