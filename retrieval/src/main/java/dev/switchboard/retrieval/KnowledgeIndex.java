package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/**
 * A knowledge collection on disk: a Lucene index of document chunks with BM25 text fields, HNSW
 * vectors and filterable metadata, searched lexically, semantically, or both fused (see
 * {@link SearchMode}, {@link Filter}).
 *
 * <ul>
 *   <li>Documents are cut by a chunker (~{@value Chunker#DEFAULT_MAX_CHARS} chars, heading-aware,
 *       sentence-aware with {@value Chunker#DEFAULT_OVERLAP_CHARS} chars of overlap); each chunk is
 *       embedded as "title. section. text" with {@link Encoder#embed(List)}, in batches of
 *       {@value #EMBED_BATCH}. Embedding runs on a background thread one batch ahead of the indexing
 *       thread, so that analysing and adding batch n overlaps with embedding batch n + 1.</li>
 *   <li>Every chunk carries its document's id, title, source, tags, update time and metadata, the
 *       collection, its section path and character offsets (see {@link ChunkFields}).</li>
 *   <li>Same content twice → one chunk: a chunk whose normalised text (lower-cased, whitespace
 *       collapsed; sha256) is already held by a searchable chunk of <em>another</em> document — or by
 *       an earlier chunk of the same call — is kept as a non-searchable duplicate and counted in
 *       {@link IngestReport#duplicateChunks()}. When the chunk it duplicates is deleted or replaced,
 *       the duplicate becomes searchable again (embedded then), so nothing accepted is lost.
 *       Re-upserting a document is not a duplicate of itself. Off with
 *       {@link IndexOptions#withDeduplicate(boolean)}.</li>
 *   <li>BM25 is BM25F over title, section and text (one Lucene {@code CombinedFieldQuery} per query
 *       term, see {@link ChunkFields#BM25_FIELDS}); vectors are searched with HNSW and every hit gets
 *       its exact cosine. Hybrid search fuses the two candidate lists as {@link IndexOptions#fusion()}
 *       says (default {@link FusionConfig#defaults()}: z-score weighted, dense weight
 *       {@value FusionConfig#DEFAULT_DENSE_WEIGHT}); then, if the options have a {@link Reranker}, it
 *       re-orders the best {@link IndexOptions#rerankDepth()} fused hits of every request that asks
 *       for it (every HYBRID request unless it opts out, see {@link SearchRequest#rerank()}). Filters
 *       restrict both rankings before they rank.</li>
 *   <li>The measured default: encoder {@value #DEFAULT_ENCODER_ID}, default fusion, and
 *       {@code IndexOptions.defaults().withReranker(Rerankers.sameEncoder(encoder))}
 *       (docs/benchmarks.md, "Retrieval quality").</li>
 *   <li>The encoder's id and dimension, and the {@link IndexOptions.VectorFormat vector format}, are
 *       recorded in the index; opening it with another encoder or format fails.</li>
 * </ul>
 *
 * <h2>Commit policy</h2>
 * {@link #upsert}, {@link #upsertAll}, {@link #delete} and {@link #ingest} each end with a Lucene
 * commit (fsync of the new segments and of the commit point) followed by a refresh of the
 * near-real-time searcher, both before they return. So a change is visible to the very next search
 * once the call returns, and it survives a crash or restart from that moment: a call that returned is
 * acknowledged and durable. A call is all-or-nothing: documents are validated and chunked before
 * anything is written, and if embedding or writing fails part-way the index is rolled back to its
 * last commit (the state before the call), which also stays what searches see. {@link #ingest} commits
 * once for the whole batch. Writes are serialised (one writer per index; the folder is locked, so a
 * second open of the same folder fails); searches run concurrently with them on a point-in-time
 * searcher. Each write pays one commit (a few milliseconds of fsync): batch documents with
 * {@link #upsertAll} for throughput.
 *
 * <p>Thread-safe. The index does not own the encoder: close the encoder yourself after the index.
 */
public final class KnowledgeIndex implements AutoCloseable {

    /**
     * The retrieval encoder chosen by measurement: int8 bge-small-en-v1.5 (with its query instruction)
     * beat int8 all-MiniLM-L6-v2 on emanual_qa and covid_qa and matched fp32 bge-small at half its cost
     * (docs/benchmarks.md, "Encoders"). The classifiers' encoder is a separate choice
     * ({@code Encoders.DEFAULT_ID}).
     */
    public static final String DEFAULT_ENCODER_ID = "bge-small-en-v1.5-q";

    static final int EMBED_BATCH = 64;
    /** Embedded batches allowed to wait for the indexing thread. */
    static final int PIPELINE_DEPTH = 2;
    static final String ENCODER_ID_KEY = "switchboard.encoder.id";
    static final String ENCODER_DIMENSION_KEY = "switchboard.encoder.dimension";
    static final String FORMAT_KEY = "switchboard.index.format";
    static final String VECTOR_FORMAT_KEY = "switchboard.vector.format";
    static final String COLLECTION_KEY = "switchboard.collection";
    static final String CREATED_KEY = "switchboard.created";
    /** Schema version; 2 added metadata fields, content hashes and duplicates. */
    private static final String FORMAT = "2";

    private final Path path;
    private final Directory directory;
    private final Analyzer analyzer;
    private final IndexOptions options;
    private final Encoder encoder;
    private final String collection;
    private final Instant created;
    private final Chunker chunker = new Chunker();
    private final IndexSearch search;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object writeMutex = new Object();
    /** Replaced (with the searchers) after a rollback. */
    private volatile IndexWriter writer;
    private volatile SearcherManager searchers;
    /** Why the index cannot be used after a failed rollback; null while healthy. */
    private volatile String broken;
    private boolean closed;

    private KnowledgeIndex(Path path, Directory directory, IndexWriter writer, Encoder encoder, Analyzer analyzer,
                           IndexOptions options, String collection, Instant created) throws IOException {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.encoder = encoder;
        this.analyzer = analyzer;
        this.options = options;
        this.collection = collection;
        this.created = created;
        this.searchers = new SearcherManager(writer, null);
        this.search = new IndexSearch(encoder, analyzer, options);
    }

    /**
     * Opens the index in {@code directory}, creating the folder and an empty index when absent.
     *
     * @throws IllegalStateException if the index was built with another encoder (id or dimension), is
     *                               not a Switchboard index, is open elsewhere
     * @throws UncheckedIOException  if the folder cannot be created or read
     */
    public static KnowledgeIndex open(Path directory, Encoder encoder) {
        return open(directory, encoder, IndexOptions.defaults());
    }

    /**
     * Like {@link #open(Path, Encoder)}, with options (default fusion, reranker, vector format).
     *
     * @throws IllegalStateException also if the index stores its vectors in another format
     */
    public static KnowledgeIndex open(Path directory, Encoder encoder, IndexOptions options) {
        return open(directory, encoder, options, null);
    }

    /**
     * Opens the index of {@code collection} (null: a standalone index, any recorded collection is
     * kept).
     *
     * @throws IllegalStateException also if the folder holds another collection's index
     */
    static KnowledgeIndex open(Path directory, Encoder encoder, IndexOptions options, CollectionId collection) {
        Objects.requireNonNull(directory, "directory must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        Objects.requireNonNull(options, "options must not be null");
        String id = encoder.info().id();
        String dimension = Integer.toString(encoder.info().dimension());
        Directory dir = null;
        try {
            Files.createDirectories(directory);
            dir = FSDirectory.open(directory);
            Map<String, String> data = new HashMap<>();
            if (DirectoryReader.indexExists(dir)) {
                data.putAll(SegmentInfos.readLatestCommit(dir).getUserData());
                check(directory, data, id, dimension, options.vectorFormat(), collection);
            }
            String recordedCollection = collection != null ? collection.toString() : data.getOrDefault(COLLECTION_KEY, "");
            Instant created = data.containsKey(CREATED_KEY) ? Instant.parse(data.get(CREATED_KEY))
                    : Instant.now().truncatedTo(ChronoUnit.MILLIS);
            data.putAll(Map.of(ENCODER_ID_KEY, id, ENCODER_DIMENSION_KEY, dimension, FORMAT_KEY, FORMAT,
                    VECTOR_FORMAT_KEY, options.vectorFormat().name(), COLLECTION_KEY, recordedCollection,
                    CREATED_KEY, created.toString()));
            Analyzer analyzer = new EnglishAnalyzer();
            IndexWriter writer;
            try {
                writer = new IndexWriter(dir, config(analyzer, options.vectorFormat()));
            } catch (LockObtainFailedException e) {
                throw new IllegalStateException("index " + directory + " is already open (by another KnowledgeIndex or process)", e);
            }
            try {
                writer.setLiveCommitData(Map.copyOf(data).entrySet());
                writer.commit();
                return new KnowledgeIndex(directory, dir, writer, encoder, analyzer, options, recordedCollection, created);
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

    /** The per-field codec: the chosen HNSW format for the vector field, Lucene's defaults otherwise. */
    private static IndexWriterConfig config(Analyzer analyzer, IndexOptions.VectorFormat format) {
        KnnVectorsFormat vectors = switch (format) {
            case FLOAT32 -> new Lucene99HnswVectorsFormat();
            case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE,
                    Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH);
        };
        return new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setCodec(new Lucene104Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return vectors;
                    }
                });
    }

    private static void check(Path directory, Map<String, String> data, String id, String dimension,
                              IndexOptions.VectorFormat format, CollectionId collection) {
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
        String stored = data.get(VECTOR_FORMAT_KEY);
        if (!format.name().equals(stored)) {
            throw new IllegalStateException("index " + directory + " stores its vectors as " + stored + ", not as "
                    + format + ": open it with IndexOptions.withVectorFormat(" + stored + ") or re-ingest into a new index");
        }
        String recorded = data.getOrDefault(COLLECTION_KEY, "");
        if (collection != null && !recorded.isEmpty() && !recorded.equals(collection.toString())) {
            throw new IllegalStateException("index " + directory + " holds collection " + recorded + ", not " + collection);
        }
    }

    /**
     * Indexes the supported files under {@code fileOrFolder} (recursively; hidden files are skipped)
     * and commits once at the end. Files that fail (empty, unreadable, unsupported, duplicate id, only
     * headings) are reported; the others are indexed.
     *
     * @throws IllegalArgumentException if the path does not exist
     */
    public IngestReport ingest(Path fileOrFolder) {
        Objects.requireNonNull(fileOrFolder, "path must not be null");
        FolderReader.Scan scan = FolderReader.read(fileOrFolder);
        List<IngestFailure> failures = new ArrayList<>(scan.failures());
        List<IndexWrite.Prepared> prepared = new ArrayList<>();
        for (Document d : scan.documents()) {
            try {
                prepared.add(IndexWrite.Prepared.of(d, chunker.chunk(d.text())));
            } catch (IllegalArgumentException e) {
                failures.add(new IngestFailure(d.source(), e.getMessage()));
            }
        }
        failures.sort(Comparator.comparing(IngestFailure::source));
        IndexWrite.Result w = write(prepared, List.of());
        return new IngestReport(prepared.size(), w.chunks(), w.duplicates(), scan.skipped(), failures);
    }

    /**
     * Adds {@code document}, or replaces all chunks of the indexed document with the same id; durable
     * and visible when it returns.
     *
     * @return what was written (1 document, its searchable and duplicate chunks)
     * @throws IllegalArgumentException if the text has nothing but headings
     */
    public IngestReport upsert(Document document) {
        return upsertAll(List.of(document));
    }

    /**
     * {@link #upsert(Document) Upserts} several documents, embedding their chunks in batches while
     * earlier batches are indexed. Nothing is written unless every document can be chunked and
     * embedded; durable and visible when it returns.
     *
     * @throws IllegalArgumentException if two documents share an id, or one has nothing but headings
     */
    public IngestReport upsertAll(List<Document> documents) {
        Objects.requireNonNull(documents, "documents must not be null");
        Set<String> ids = new HashSet<>();
        List<IndexWrite.Prepared> prepared = new ArrayList<>(documents.size());
        for (Document d : documents) {
            Objects.requireNonNull(d, "documents must not contain null");
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("duplicate document id in one upsert: " + d.id());
            }
            try {
                prepared.add(IndexWrite.Prepared.of(d, chunker.chunk(d.text())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("document " + d.id() + ": " + e.getMessage(), e);
            }
        }
        IndexWrite.Result w = write(prepared, List.of());
        return new IngestReport(prepared.size(), w.chunks(), w.duplicates(), List.of(), List.of());
    }

    /** Removes every chunk of the document; returns whether it was indexed. Durable when it returns. */
    public boolean delete(String documentId) {
        Objects.requireNonNull(documentId, "documentId must not be null");
        return write(List.of(), List.of(documentId)).deleted() > 0;
    }

    /** The best chunks for the request, best first (at most {@code topK}; fewer if fewer match). */
    public List<SearchHit> search(SearchRequest request) {
        Objects.requireNonNull(request, "request must not be null");
        return withOpen(() -> {
            try (Lease lease = lease()) {
                return search.run(lease.searcher(), request);
            }
        });
    }

    /**
     * Every chunk of one document in document order, duplicates included (empty if the document is not
     * indexed). Scores and cosine are 0; the snippet is the chunk's opening.
     */
    public List<SearchHit> chunks(String documentId) {
        Objects.requireNonNull(documentId, "documentId must not be null");
        return withOpen(() -> {
            try (Lease lease = lease()) {
                List<org.apache.lucene.document.Document> docs = IndexWrite.all(lease.searcher(),
                        new TermQuery(new Term(ChunkFields.DOCUMENT_ID, documentId)));
                List<SearchHit> hits = new ArrayList<>(docs.size());
                for (var d : docs) {
                    hits.add(search.hit(d, 0, 0, 0, Set.of()));
                }
                hits.sort(Comparator.comparingInt(SearchHit::start).thenComparing(SearchHit::chunkId));
                return hits;
            }
        });
    }

    /** Number of documents in the index. */
    public int documentCount() {
        return count(new TermQuery(new Term(ChunkFields.FIRST, "1")));
    }

    /** Number of searchable chunks in the index (duplicates not counted). */
    public int chunkCount() {
        return count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_CHUNK)));
    }

    /** Number of chunks kept out of search as duplicates of another document's chunk. */
    public int duplicateChunkCount() {
        return count(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_DUPLICATE)));
    }

    /** How this index stores its vectors. */
    public IndexOptions.VectorFormat vectorFormat() {
        return options.vectorFormat();
    }

    /** When the index was created (recorded in it). */
    Instant created() {
        return created;
    }

    /** The encoder that embeds this index's chunks. */
    String encoderId() {
        return encoder.info().id();
    }

    /** Makes every write so far durable (every write already commits: kept for callers that ask). */
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
                if (broken == null) {
                    writer.commit();
                }
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

    /**
     * Replaces the {@code upserts} and removes the {@code deletions} (document ids) in one step under
     * the write lock, then commits and refreshes; rolls back to the last commit on any failure.
     */
    private IndexWrite.Result write(List<IndexWrite.Prepared> upserts, Collection<String> deletions) {
        return withOpen(() -> {
            synchronized (writeMutex) {
                try {
                    searchers.maybeRefreshBlocking(); // a no-op: every write ends refreshed
                    IndexWrite.Result w;
                    try (Lease lease = lease()) {
                        w = new IndexWrite(writer, lease.searcher(), encoder, collection, options.deduplicate())
                                .apply(upserts, deletions);
                    }
                    if (!upserts.isEmpty() || w.deleted() > 0) {
                        writer.commit();
                        searchers.maybeRefreshBlocking();
                    }
                    return w;
                } catch (IOException | RuntimeException | Error e) {
                    rollback(e);
                    throw e;
                }
            }
        });
    }

    /**
     * After a failed write: discards everything since the last commit (the state before the write),
     * then reopens the writer and searchers on that commit. If even that fails the index is unusable.
     */
    private void rollback(Throwable cause) {
        try {
            writer.rollback();
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
        }
        try {
            IndexWriter reopened = new IndexWriter(directory, config(analyzer, options.vectorFormat()));
            SearcherManager previous = searchers;
            searchers = new SearcherManager(reopened, null);
            writer = reopened;
            previous.close(); // searches holding its searcher finish on it
        } catch (IOException | RuntimeException e) {
            broken = "index " + path + " could not be reopened after a failed write (" + e.getMessage()
                    + "): close it and open it again";
            cause.addSuppressed(e);
        }
    }

    private int count(Query query) {
        return withOpen(() -> {
            try (Lease lease = lease()) {
                return lease.searcher().count(query);
            }
        });
    }

    /** A searcher and the manager to give it back to (the manager changes after a rollback). */
    private record Lease(SearcherManager manager, IndexSearcher searcher) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            manager.release(searcher);
        }
    }

    private Lease lease() throws IOException {
        while (true) {
            SearcherManager m = searchers;
            try {
                return new Lease(m, m.acquire());
            } catch (AlreadyClosedException e) {
                if (m == searchers) {
                    throw e;
                }
                // replaced by a rollback in the meantime: take the new one
            }
        }
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
            if (broken != null) {
                throw new IllegalStateException(broken);
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
