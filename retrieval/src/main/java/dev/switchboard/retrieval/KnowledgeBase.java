package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The collections of all tenants, each its own {@link KnowledgeIndex} in its own folder
 * {@code <root>/<tenant>/<name>}: a search in one collection runs on that collection's Lucene index
 * alone, so it physically cannot return another collection's chunks, whatever its filters.
 * {@link CollectionId} restricts both parts to {@code [a-z0-9][a-z0-9_-]{0,63}}, so a name can never
 * reach outside the root.
 *
 * <p>Collections are opened lazily on first use and kept open until deleted or until the base is
 * closed; every collection uses the base's encoder and options (a collection built with another
 * encoder or vector format cannot be opened: {@link IllegalStateException}). Thread-safe: create,
 * delete and the lazy open of one collection are serialised (per collection: deleting one, which
 * waits for its running write, does not hold up the others); searches and writes on opened
 * collections run concurrently. The base does not own the encoder: close it after the base.
 */
public final class KnowledgeBase implements AutoCloseable {

    private final Path root;
    private final Encoder encoder;
    private final IndexOptions options;
    /** One lock per collection, so that a slow close (waiting for a running write) blocks only that one. */
    private final ConcurrentHashMap<CollectionId, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** A collection's open index, if any; mutated only under the slot's monitor. */
    private static final class Slot {
        volatile KnowledgeIndex index;
    }

    private KnowledgeBase(Path root, Encoder encoder, IndexOptions options) {
        this.root = root;
        this.encoder = encoder;
        this.options = options;
    }

    /**
     * A knowledge base rooted at {@code root} (created if absent).
     *
     * @throws UncheckedIOException if the folder cannot be created
     */
    public static KnowledgeBase open(Path root, Encoder encoder, IndexOptions options) {
        Objects.requireNonNull(root, "root must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        Objects.requireNonNull(options, "options must not be null");
        Path absolute = root.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create knowledge base folder " + absolute + ": " + e.getMessage(), e);
        }
        return new KnowledgeBase(absolute, encoder, options);
    }

    /**
     * Creates an empty collection and opens it.
     *
     * @throws IllegalStateException if it already exists ("collection t/n already exists")
     */
    public CollectionInfo create(CollectionId id) {
        Objects.requireNonNull(id, "collection id must not be null");
        return withSlot(id, slot -> {
            Path folder = folder(id);
            if (slot.index != null || KnowledgeIndex.exists(folder)) {
                throw new IllegalStateException("collection " + id + " already exists");
            }
            slot.index = KnowledgeIndex.open(folder, encoder, options, id);
            return new CollectionInfo(id, slot.index.encoderId(), 0, 0, slot.index.created());
        });
    }

    /**
     * One collection as {@link #list} describes it (without opening it if it is not open), or empty if it does
     * not exist.
     */
    public Optional<CollectionInfo> info(CollectionId id) {
        checkOpen();
        return describe(id, folder(id));
    }

    /**
     * The collection's index, opened if needed; empty if the collection does not exist.
     *
     * @throws IllegalStateException if it was built with another encoder or vector format
     */
    public Optional<KnowledgeIndex> find(CollectionId id) {
        Objects.requireNonNull(id, "collection id must not be null");
        return withSlot(id, slot -> {
            if (slot.index == null) {
                Path folder = folder(id);
                if (!KnowledgeIndex.exists(folder)) {
                    return Optional.empty();
                }
                slot.index = KnowledgeIndex.open(folder, encoder, options, id);
            }
            return Optional.of(slot.index);
        });
    }

    /**
     * The collection's index, opened if needed.
     *
     * @throws NoSuchElementException if it does not exist ("collection t/n does not exist")
     */
    public KnowledgeIndex get(CollectionId id) {
        return find(id).orElseThrow(() -> new NoSuchElementException("collection " + id + " does not exist"));
    }

    /**
     * The tenant's collections, sorted by name (empty for an unknown tenant). Collections not opened
     * yet are described from their last commit without opening them; one deleted meanwhile is left out.
     *
     * @throws IllegalArgumentException if the tenant name is invalid
     */
    public List<CollectionInfo> list(String tenant) {
        CollectionId.of(tenant, "probe"); // validates the tenant name
        checkOpen();
        Path folder = root.resolve(tenant);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        List<CollectionInfo> out = new ArrayList<>();
        for (Path child : children) {
            collectionId(tenant, child.getFileName().toString()).flatMap(id -> describe(id, child)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(c -> c.id().name()));
        return out;
    }

    /**
     * Closes the collection's index and removes its folder; returns whether it existed. Operations
     * already running on it finish first; later calls on a handle to it fail (closed).
     */
    public boolean delete(CollectionId id) {
        Objects.requireNonNull(id, "collection id must not be null");
        return withSlot(id, slot -> {
            KnowledgeIndex index = slot.index;
            slot.index = null;
            if (index != null) {
                index.close();
            }
            Path folder = folder(id);
            if (!Files.exists(folder)) {
                return index != null;
            }
            boolean existed = index != null || KnowledgeIndex.exists(folder);
            deleteRecursively(folder);
            return existed;
        });
    }

    /** Closes every opened collection (committing it). Idempotent. */
    @Override
    public void close() {
        closed = true; // before visiting the slots: a slot locked later sees it
        RuntimeException first = null;
        for (Slot slot : slots.values()) {
            synchronized (slot) {
                try {
                    if (slot.index != null) {
                        slot.index.close();
                    }
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                } finally {
                    slot.index = null;
                }
            }
        }
        slots.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Runs {@code action} holding the collection's lock; forgets the slot if no index is left open in it. */
    private <T> T withSlot(CollectionId id, Function<Slot, T> action) {
        while (true) {
            checkOpen();
            Slot slot = slots.computeIfAbsent(id, k -> new Slot());
            synchronized (slot) {
                if (slots.get(id) != slot) {
                    continue; // forgotten meanwhile: take the current one
                }
                try {
                    checkOpen();
                    return action.apply(slot);
                } finally {
                    if (slot.index == null) {
                        slots.remove(id, slot);
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "KnowledgeBase[" + root + ", encoder " + encoder.info().id() + "]";
    }

    /** {@code <root>/<tenant>/<name>}; the check is a second guard behind CollectionId's validation. */
    private Path folder(CollectionId id) {
        Path folder = root.resolve(id.tenant()).resolve(id.name()).normalize();
        if (!folder.startsWith(root) || folder.getNameCount() != root.getNameCount() + 2) {
            throw new IllegalArgumentException("collection " + id + " resolves outside " + root);
        }
        return folder;
    }

    private static Optional<CollectionId> collectionId(String tenant, String name) {
        try {
            return Optional.of(CollectionId.of(tenant, name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The collection in {@code folder}: from its open index, else from its last commit; empty if it is gone. */
    private Optional<CollectionInfo> describe(CollectionId id, Path folder) {
        Slot slot = slots.get(id);
        KnowledgeIndex index = slot == null ? null : slot.index;
        if (index != null) {
            try {
                return Optional.of(new CollectionInfo(id, index.encoderId(), index.documentCount(), index.chunkCount(),
                        index.created()));
            } catch (IllegalStateException closedMeanwhile) {
                return Optional.empty(); // being deleted
            }
        }
        if (!KnowledgeIndex.exists(folder)) {
            return Optional.empty(); // not a collection folder, or deleted meanwhile
        }
        try (Directory dir = FSDirectory.open(folder); DirectoryReader reader = DirectoryReader.open(dir)) {
            Map<String, String> data = reader.getIndexCommit().getUserData();
            IndexSearcher searcher = new IndexSearcher(reader);
            int documents = searcher.count(new TermQuery(new Term(ChunkFields.FIRST, "1")));
            int chunks = searcher.count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_CHUNK)));
            String created = data.get(KnowledgeIndex.CREATED_KEY);
            return Optional.of(new CollectionInfo(id, data.getOrDefault(KnowledgeIndex.ENCODER_ID_KEY, "unknown"), documents,
                    chunks, created == null ? Instant.EPOCH : Instant.parse(created)));
        } catch (NoSuchFileException | IndexNotFoundException deletedMeanwhile) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read collection " + id + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + folder + ": " + e.getMessage(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("knowledge base " + root + " is closed");
        }
    }
}
