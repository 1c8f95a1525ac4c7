package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.retrieval.IngestFailure;
import dev.switchboard.retrieval.IngestReport;
import dev.switchboard.retrieval.KnowledgeIndex;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The knowledge collections: each subfolder of the knowledge folder is one collection, indexed in
 * {@code <indexRoot>/<name>}. At open, a collection is re-ingested from scratch only when its
 * {@link ContentHash} differs from the one stored in {@code <indexRoot>/<name>.sha256} (written
 * after a successful ingest); otherwise the existing index is opened as is.
 */
final class KnowledgeCollections implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KnowledgeCollections.class);

    /** What opening did to a collection's index. */
    enum State { INDEXED, UNCHANGED, REINDEXED }

    private final Map<String, KnowledgeIndex> indexes;
    private final Map<String, State> states;

    private KnowledgeCollections(Map<String, KnowledgeIndex> indexes, Map<String, State> states) {
        this.indexes = indexes;
        this.states = states;
    }

    /** Opens (building or rebuilding when needed) every collection of {@code knowledgeDir}. */
    static KnowledgeCollections open(Path knowledgeDir, Path indexRoot, Encoder encoder) {
        Map<String, KnowledgeIndex> indexes = new LinkedHashMap<>();
        Map<String, State> states = new LinkedHashMap<>();
        if (!Files.isDirectory(knowledgeDir)) {
            LOG.warnf("knowledge folder %s does not exist: no collections", knowledgeDir);
            return new KnowledgeCollections(indexes, states);
        }
        try {
            for (Path folder : subfolders(knowledgeDir)) {
                String name = folder.getFileName().toString();
                indexes.put(name, openOne(name, folder, indexRoot, encoder, states));
            }
        } catch (RuntimeException e) {
            indexes.values().forEach(KnowledgeIndex::close);
            throw e;
        }
        return new KnowledgeCollections(indexes, states);
    }

    private static KnowledgeIndex openOne(String name, Path folder, Path indexRoot, Encoder encoder,
                                          Map<String, State> states) {
        long t0 = System.nanoTime();
        Path indexDir = indexRoot.resolve(name);
        Path hashFile = indexRoot.resolve(name + ".sha256");
        String hash = ContentHash.of(folder, encoder.info().id());
        String stored = readHash(hashFile);
        if (hash.equals(stored) && Files.isDirectory(indexDir)) {
            KnowledgeIndex index = KnowledgeIndex.open(indexDir, encoder);
            states.put(name, State.UNCHANGED);
            LOG.infof("startup: collection %s unchanged, opened index with %d chunks in %d ms",
                    name, index.chunkCount(), millisSince(t0));
            return index;
        }
        deleteRecursively(indexDir);
        deleteIfExists(hashFile);
        KnowledgeIndex index = KnowledgeIndex.open(indexDir, encoder);
        try {
            IngestReport report = index.ingest(folder);
            index.commit();
            for (IngestFailure failure : report.failures()) {
                LOG.warnf("collection %s: could not ingest %s: %s", name, failure.source(), failure.reason());
            }
            writeHash(hashFile, hash);
            states.put(name, stored == null ? State.INDEXED : State.REINDEXED);
            LOG.infof("startup: collection %s %s: %d documents, %d chunks (%d skipped, %d failed) in %d ms",
                    name, stored == null ? "indexed" : "changed, re-indexed", report.documents(), report.chunks(),
                    report.skipped().size(), report.failures().size(), millisSince(t0));
            return index;
        } catch (RuntimeException e) {
            index.close();
            throw e;
        }
    }

    Optional<KnowledgeIndex> get(String name) {
        return Optional.ofNullable(indexes.get(name));
    }

    /** What opening did to the collection {@code name}'s index. */
    State state(String name) {
        return states.get(name);
    }

    Set<String> names() {
        return indexes.keySet();
    }

    @Override
    public void close() {
        indexes.values().forEach(KnowledgeIndex::close);
    }

    private static List<Path> subfolders(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list knowledge folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String readHash(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null; // unreadable hash = unknown content: rebuild
        }
    }

    /** Written via a temporary file and a move so that a crash never leaves a half-written hash. */
    private static void writeHash(Path file, String hash) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, hash + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete stale index " + dir + ": " + e.getMessage(), e);
        }
    }

    static long millisSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1_000_000;
    }
}
