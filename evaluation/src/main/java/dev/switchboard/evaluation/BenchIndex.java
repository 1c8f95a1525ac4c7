package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.models.Encoder;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.KnowledgeIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The benchmark's large index: built once from a {@link BenchCorpus} into {@code <dir>/index}, then
 * reused while {@code <dir>/bench.json} says it is complete and was built with the same encoder,
 * vector format, chunk target, seed, datasets and generator version.
 *
 * <p>A build first writes {@code <dir>/BUILDING}; {@code bench.json} replaces it when the index is
 * committed. A folder with {@code BUILDING} (an interrupted build) is rebuilt from scratch; a folder
 * with an index but neither file, or a complete index built with other parameters, is an error (the
 * benchmark never deletes what it cannot prove it made).
 */
final class BenchIndex {

    static final String INDEX_FOLDER = "index";
    static final String MANIFEST = "bench.json";
    static final String BUILDING = "BUILDING";
    /** Bump when {@link BenchCorpus} generates different documents for the same seed. */
    static final int GENERATOR = 1;
    /** Most documents per {@code upsertAll} call while filling. */
    static final int MAX_GROUP = 256;
    private static final int FIRST_GROUP = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a build recorded.
     *
     * @param chunks       chunks in the index (≥ the target; the last document may overshoot)
     * @param documents    documents upserted
     * @param buildSeconds wall time of the build, upserts and final commit
     */
    record Manifest(String encoder, String vectorFormat, int targetChunks, long seed, List<String> datasets, int generator,
                    int chunks, int documents, double buildSeconds, String builtAt) {
    }

    /** The index folder, its manifest, and whether it was reused rather than built by this call. */
    record Built(Path indexDir, Manifest manifest, boolean reused) {
    }

    private BenchIndex() {
    }

    /** Reuses or builds the index in {@code dir} (see the class comment). */
    static Built ensure(Path dir, Encoder encoder, IndexOptions options, BenchCorpus corpus, int targetChunks, long seed,
                        PrintWriter log) {
        String format = options.vectorFormat().name();
        Path index = dir.resolve(INDEX_FOLDER);
        Path manifestFile = dir.resolve(MANIFEST);
        Path building = dir.resolve(BUILDING);
        try {
            if (Files.isRegularFile(manifestFile)) {
                Manifest m = JSON.readValue(manifestFile.toFile(), Manifest.class);
                if (!m.encoder().equals(encoder.info().id()) || !format.equals(m.vectorFormat()) || m.targetChunks() != targetChunks
                        || m.seed() != seed || !m.datasets().equals(corpus.datasets()) || m.generator() != GENERATOR) {
                    throw new IllegalArgumentException(dir + " holds a benchmark index built with other parameters ("
                            + m.encoder() + ", " + m.vectorFormat() + ", " + m.targetChunks() + " chunks, seed " + m.seed() + ", "
                            + m.datasets() + ", generator " + m.generator() + "); delete it or choose another --index-dir");
                }
                return new Built(index, m, true);
            }
            if (KnowledgeIndex.exists(index) && !Files.exists(building)) {
                throw new IllegalArgumentException(index + " holds an index that this benchmark did not build; delete it"
                        + " or choose another --index-dir");
            }
            deleteRecursively(index);
            Files.createDirectories(dir);
            Files.writeString(building, "build started " + Instant.now() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
        }
        log.printf("building %s: %d chunks from %s (seed %d) with %s, %s vectors ...%n", index, targetChunks, corpus.datasets(),
                seed, encoder.info().id(), format);
        log.flush();
        long start = System.nanoTime();
        int[] counts;
        try (KnowledgeIndex ki = KnowledgeIndex.open(index, encoder, options)) {
            counts = fill(ki, corpus.documents(), targetChunks, d -> { }, log);
            ki.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Manifest m = new Manifest(encoder.info().id(), format, targetChunks, seed, corpus.datasets(), GENERATOR, counts[0], counts[1],
                seconds, Instant.now().toString());
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), m);
            Files.delete(building);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + manifestFile + ": " + e.getMessage(), e);
        }
        return new Built(index, m, false);
    }

    /**
     * Upserts documents from {@code source} until {@code index} holds at least {@code targetChunks}
     * chunks. Groups shrink as the target nears (about half the remaining gap at the average chunks
     * per document so far), so the overshoot is at most one document's chunks. A document the index
     * rejects (e.g. nothing but headings) is skipped and logged.
     *
     * @param upserted receives every document that was indexed, in order
     * @return {chunks, documents}
     */
    static int[] fill(KnowledgeIndex index, Iterator<Document> source, int targetChunks, Consumer<Document> upserted,
                      PrintWriter log) {
        int chunks = index.chunkCount();
        int documents = 0;
        long start = System.nanoTime();
        long lastLog = start;
        while (chunks < targetChunks) {
            // Half the gap at the mean chunks per document so far; a small first group measures that mean.
            int group = documents == 0 ? FIRST_GROUP
                    : (int) Math.max(1, Math.min(MAX_GROUP, (targetChunks - chunks) / (2.0 * chunks / documents)));
            List<Document> batch = new ArrayList<>(group);
            for (int i = 0; i < group; i++) {
                batch.add(source.next());
            }
            try {
                index.upsertAll(batch);
                batch.forEach(upserted);
                documents += batch.size();
            } catch (IllegalArgumentException e) {
                for (Document d : batch) { // find and skip the documents the index refuses
                    try {
                        index.upsert(d);
                        upserted.accept(d);
                        documents++;
                    } catch (IllegalArgumentException refused) {
                        log.println("skipped " + d.id() + ": " + refused.getMessage());
                    }
                }
            }
            chunks = index.chunkCount();
            long now = System.nanoTime();
            if (now - lastLog > 15_000_000_000L) {
                lastLog = now;
                double s = (now - start) / 1e9;
                log.printf("  %,d / %,d chunks, %,d documents, %.0f s, %.0f chunks/s%n", chunks, targetChunks, documents, s,
                        chunks / s);
                log.flush();
            }
        }
        return new int[] {chunks, documents};
    }

    /** Bytes of the regular files under {@code dir}. */
    static long sizeOnDisk(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Segments in the index's last commit (each has its own HNSW graph that a KNN search visits). */
    static int segments(Path indexDir) {
        try (Directory dir = FSDirectory.open(indexDir)) {
            return SegmentInfos.readLatestCommit(dir).size();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + indexDir + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
