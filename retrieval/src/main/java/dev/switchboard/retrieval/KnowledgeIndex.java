package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * A knowledge collection on disk: a Lucene index of document chunks with BM25 text fields and HNSW
 * vectors, searched lexically, semantically, or both fused (see {@link SearchMode}).
 *
 * <ul>
 *   <li>Documents are cut by a chunker (~{@value Chunker#DEFAULT_MAX_CHARS} chars, heading-aware,
 *       sentence-aware with {@value Chunker#DEFAULT_OVERLAP_CHARS} chars of overlap); each chunk is
 *       embedded as "title. section. text" with {@link Encoder#embed(List)}, in batches of
 *       {@value #EMBED_BATCH}.</li>
 *   <li>Hybrid search fuses the BM25 top-N and the vector top-N, N = max(50, 5·topK), by reciprocal
 *       rank with k = {@value Fusion#DEFAULT_K}: {@code score(c) = Σ 1/(60 + rank_i(c))}.</li>
 *   <li>Writes are visible to the next search (near-real-time reader); they are durable after
 *       {@link #commit()}, {@link #ingest(Path)} or {@link #close()}.</li>
 *   <li>The encoder's id and dimension are recorded in the index; opening it with another encoder
 *       fails.</li>
 * </ul>
 *
 * <p>Thread-safe: searches run concurrently with each other and with writes. The index does not own
 * the encoder: close the encoder yourself after the index.
 */
public final class KnowledgeIndex implements AutoCloseable {

    static final int EMBED_BATCH = 64;
    /** Documents per write group while ingesting (bounds the chunks and vectors held in memory). */
    private static final int INGEST_GROUP = 64;
    static final String ENCODER_ID_KEY = "switchboard.encoder.id";
    static final String ENCODER_DIMENSION_KEY = "switchboard.encoder.dimension";
    static final String FORMAT_KEY = "switchboard.index.format";
    private static final String FORMAT = "1";

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Encoder encoder;
    private final Chunker chunker = new Chunker();
    private final IndexSearch search;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object writeMutex = new Object();
    private boolean closed;

    private KnowledgeIndex(Path path, Directory directory, IndexWriter writer, Encoder encoder, EnglishAnalyzer analyzer,
                           IndexOptions options) throws IOException {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.encoder = encoder;
        this.searchers = new SearcherManager(writer, null);
        this.search = new IndexSearch(encoder, analyzer, options);
    }

    /**
     * Opens the index in {@code directory}, creating the folder and an empty index when absent.
     *
     * @throws IllegalStateException if the index was built with another encoder (id or dimension),
     *                               is not a Switchboard index, or is open elsewhere
     * @throws UncheckedIOException  if the folder cannot be created or read
     */
    public static KnowledgeIndex open(Path directory, Encoder encoder) {
        return open(directory, encoder, IndexOptions.defaults());
    }

    /** Like {@link #open(Path, Encoder)}, with search options (default fusion, reranker). */
    public static KnowledgeIndex open(Path directory, Encoder encoder, IndexOptions options) {
        Objects.requireNonNull(options, "options must not be null");
        Objects.requireNonNull(directory, "directory must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        String id = encoder.info().id();
        String dimension = Integer.toString(encoder.info().dimension());
        Directory dir = null;
        try {
            Files.createDirectories(directory);
            dir = FSDirectory.open(directory);
            if (DirectoryReader.indexExists(dir)) {
                checkEncoder(directory, SegmentInfos.readLatestCommit(dir).getUserData(), id, dimension);
            }
            EnglishAnalyzer analyzer = new EnglishAnalyzer();
            IndexWriterConfig config = new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            IndexWriter writer;
            try {
                writer = new IndexWriter(dir, config);
            } catch (LockObtainFailedException e) {
                throw new IllegalStateException("index " + directory + " is already open (by another KnowledgeIndex or process)", e);
            }
            try {
                writer.setLiveCommitData(Map.of(ENCODER_ID_KEY, id, ENCODER_DIMENSION_KEY, dimension, FORMAT_KEY, FORMAT).entrySet());
                writer.commit();
                return new KnowledgeIndex(directory, dir, writer, encoder, analyzer, options);
            } catch (IOException | RuntimeException e) {
                writer.close();
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(dir);
            throw new UncheckedIOException("cannot open index " + directory + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(dir);
            throw e;
        }
    }

    /** True if {@code directory} holds an index (of any encoder). */
    public static boolean exists(Path directory) {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (Directory dir = FSDirectory.open(directory)) {
            return DirectoryReader.indexExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void checkEncoder(Path directory, Map<String, String> data, String id, String dimension) {
        String builtWith = data.get(ENCODER_ID_KEY);
        if (builtWith == null) {
            throw new IllegalStateException("index " + directory + " is not a Switchboard knowledge index (no encoder recorded)");
        }
        if (!FORMAT.equals(data.get(FORMAT_KEY))) {
            throw new IllegalStateException("index " + directory + " has format " + data.get(FORMAT_KEY)
                    + ", this build reads format " + FORMAT + ": re-ingest into a new index");
        }
        if (!builtWith.equals(id) || !dimension.equals(data.get(ENCODER_DIMENSION_KEY))) {
            throw new IllegalStateException("index " + directory + " was built with encoder " + builtWith + " ("
                    + data.get(ENCODER_DIMENSION_KEY) + " dimensions), not with encoder " + id + " (" + dimension
                    + " dimensions): re-ingest into a new index or use " + builtWith);
        }
    }

    /**
     * Indexes the {@code .md}, {@code .markdown} and {@code .txt} files under {@code fileOrFolder}
     * (recursively; other and hidden files are skipped) and commits. Document id = path relative to
     * the folder without extension; title = first {@code # } heading, else the file name. Files that
     * fail (empty, not UTF-8, only headings, duplicate id) are reported; the others are indexed.
     *
     * @throws IllegalArgumentException if the path does not exist
     */
    public IngestReport ingest(Path fileOrFolder) {
        Objects.requireNonNull(fileOrFolder, "path must not be null");
        FolderReader.Scan scan = FolderReader.read(fileOrFolder);
        List<IngestFailure> failures = new ArrayList<>(scan.failures());
        List<Prepared> prepared = new ArrayList<>();
        for (Document d : scan.documents()) {
            try {
                prepared.add(new Prepared(d, chunker.chunk(d.text())));
            } catch (IllegalArgumentException e) {
                failures.add(new IngestFailure(d.source(), e.getMessage()));
            }
        }
        failures.sort(java.util.Comparator.comparing(IngestFailure::source));
        int chunks = 0;
        for (int i = 0; i < prepared.size(); i += INGEST_GROUP) {
            chunks += write(prepared.subList(i, Math.min(prepared.size(), i + INGEST_GROUP)));
        }
        commit();
        return new IngestReport(prepared.size(), chunks, scan.skipped(), failures);
    }

    /**
     * Adds {@code document}, or replaces all chunks of the indexed document with the same id.
     *
     * @throws IllegalArgumentException if the text has nothing but headings
     */
    public void upsert(Document document) {
        upsertAll(List.of(document));
    }

    /**
     * {@link #upsert(Document) Upserts} several documents, embedding their chunks in batches. Nothing
     * is written unless every document can be chunked and embedded.
     *
     * @throws IllegalArgumentException if two documents share an id, or one has nothing but headings
     */
    public void upsertAll(List<Document> documents) {
        Objects.requireNonNull(documents, "documents must not be null");
        Set<String> ids = new HashSet<>();
        List<Prepared> prepared = new ArrayList<>(documents.size());
        for (Document d : documents) {
            Objects.requireNonNull(d, "documents must not contain null");
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("duplicate document id in one upsert: " + d.id());
            }
            prepared.add(prepare(d));
        }
        write(prepared);
    }

    /** Removes every chunk of the document; returns whether it was indexed. */
    public boolean delete(String documentId) {
        Objects.requireNonNull(documentId, "documentId must not be null");
        return withOpen(() -> {
            synchronized (writeMutex) {
                Term term = new Term(ChunkFields.DOCUMENT_ID, documentId);
                IndexSearcher searcher = searchers.acquire();
                boolean present;
                try {
                    present = searcher.count(new TermQuery(term)) > 0;
                } finally {
                    searchers.release(searcher);
                }
                if (present) {
                    writer.deleteDocuments(term);
                    searchers.maybeRefreshBlocking();
                }
                return present;
            }
        });
    }

    /** The best chunks for the request, best first (at most {@code topK}; fewer if fewer match). */
    public List<SearchHit> search(SearchRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        return withOpen(() -> {
            IndexSearcher searcher = searchers.acquire();
            try {
                return search.run(searcher, request);
            } finally {
                searchers.release(searcher);
            }
        });
    }

    /** Number of documents in the index. */
    public int documentCount() {
        return withOpen(() -> {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.count(new TermQuery(new Term(ChunkFields.FIRST, "1")));
            } finally {
                searchers.release(searcher);
            }
        });
    }

    /** Number of chunks in the index. */
    public int chunkCount() {
        return withOpen(() -> {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        });
    }

    /** Makes every write so far durable. */
    public void commit() {
        withOpen(() -> {
            synchronized (writeMutex) {
                writer.commit();
            }
            return null;
        });
    }

    /** Commits and releases the index (the encoder stays open). Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                writer.commit();
            } finally {
                IOUtils.close(searchers, writer, directory); // closes all, then rethrows the first failure
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close index " + path + ": " + e.getMessage(), e);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "KnowledgeIndex[" + path + ", encoder " + encoder.info().id() + "]";
    }

    private record Prepared(Document document, List<Chunk> chunks) {
    }

    private Prepared prepare(Document d) {
        try {
            return new Prepared(d, chunker.chunk(d.text()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("document " + d.id() + ": " + e.getMessage(), e);
        }
    }

    /** Embeds then writes the documents (replacing same ids) and refreshes; returns the chunk count. */
    private int write(List<Prepared> prepared) {
        List<String> texts = new ArrayList<>();
        for (Prepared p : prepared) {
            for (Chunk c : p.chunks()) {
                texts.add(ChunkFields.embeddingText(p.document().title(), c.section(), c.text()));
            }
        }
        return withOpen(() -> {
            float[][] vectors = embed(texts);
            synchronized (writeMutex) {
                int v = 0;
                for (Prepared p : prepared) {
                    List<org.apache.lucene.document.Document> docs = new ArrayList<>(p.chunks().size());
                    for (Chunk c : p.chunks()) {
                        docs.add(ChunkFields.of(p.document(), c, vectors[v++]));
                    }
                    writer.updateDocuments(new Term(ChunkFields.DOCUMENT_ID, p.document().id()), docs);
                }
                searchers.maybeRefreshBlocking();
            }
            return texts.size();
        });
    }

    private float[][] embed(List<String> texts) {
        int dimension = encoder.info().dimension();
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < texts.size(); i += EMBED_BATCH) {
            float[][] batch = encoder.embed(texts.subList(i, Math.min(texts.size(), i + EMBED_BATCH)));
            for (int j = 0; j < batch.length; j++) {
                if (batch[j].length != dimension) {
                    throw new IllegalStateException("encoder " + encoder.info().id() + " returned " + batch[j].length
                            + " dimensions, its info says " + dimension);
                }
                out[i + j] = batch[j];
            }
        }
        return out;
    }

    private interface IndexOp<T> {
        T run() throws IOException;
    }

    /** Runs {@code op} unless the index is closed; close() waits for running operations. */
    private <T> T withOpen(IndexOp<T> op) {
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("knowledge index " + path + " is closed");
            }
            return op.run();
        } catch (IOException e) {
            throw new UncheckedIOException("index " + path + ": " + e.getMessage(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static void closeQuietly(Directory dir) {
        if (dir != null) {
            try {
                dir.close();
            } catch (IOException | RuntimeException ignored) {
                // already failing with a better error
            }
        }
    }
}
