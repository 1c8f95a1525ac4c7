package dev.switchboard.evaluation;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.FusionConfig;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.Rerankers;
import dev.switchboard.retrieval.SearchMode;
import dev.switchboard.retrieval.SearchRequest;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench retrieval}: search latency of a large {@link KnowledgeIndex}, per mode.
 *
 * <ol>
 *   <li>Builds (or reuses, see {@link BenchIndex}) an index of {@code --chunks} chunks from the shared
 *       corpora and their seeded variants ({@link BenchCorpus}).</li>
 *   <li>Takes {@code --warmup} + {@code --queries} distinct real queries from the datasets'
 *       {@code queries.jsonl} (seeded shuffle) and embeds each once on the calling thread, timing the
 *       timed ones: the "encode query" row.</li>
 *   <li>Reopens the index over a {@link PrecomputedQueryEncoder}, so that searching does not
 *       re-encode. Per query, runs each mode in a rotated order from the cache (the "search" rows:
 *       the index's own latency; HYBRID once per {@code --fusion}) and with the cache bypassed (the
 *       "encode + search" rows: the end-to-end figure). Rotating and interleaving spread background
 *       load evenly over the rows, so rows of one run compare fairly even on a busy machine. With
 *       {@code --rerank} (the default) hybrid also runs with the runtime's default reranker,
 *       {@link Rerankers#sameEncoder} at depth {@value Rerankers#DEFAULT_DEPTH}: it takes the index's
 *       query vector and embeds only titles it has not seen (LRU), so its cold titles are part of the
 *       "search" time.</li>
 *   <li>Reports heap used after a full GC with the index open ({@link MemoryMXBean}), the index's
 *       bytes on disk, its segments and its build time.</li>
 * </ol>
 * One client thread; each search returns {@code --top-k} hits with snippets, as the runtime asks.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = "Search latency (bm25, dense, hybrid) on a large index, excluding and including query encoding.")
final class RetrievalBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--chunks", description = "Chunks in the index (default: ${DEFAULT-VALUE}).", defaultValue = "100000")
    int chunks;

    @Option(names = "--encoder", description = "Encoder id (default: ${DEFAULT-VALUE}, the retrieval default).",
            defaultValue = KnowledgeIndex.DEFAULT_ENCODER_ID)
    String encoderId;

    @Option(names = "--queries", description = "Timed queries (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int queries;

    @Option(names = "--warmup", description = "Untimed queries first, all modes (default: ${DEFAULT-VALUE}).", defaultValue = "200")
    int warmup;

    @Option(names = "--top-k", description = "Hits per search (default: ${DEFAULT-VALUE}).", defaultValue = "10")
    int topK;

    @Option(names = "--index-dir", description = "Where the index is built or reused (default: .cache/bench/<encoder>-<chunks>).")
    Path indexDir;

    @Option(names = "--data", description = "Datasets root (default: ${DEFAULT-VALUE}).", defaultValue = "../shared/datasets")
    Path data;

    @Option(names = "--datasets", split = ",", description = "Corpora and query sets (default: ${DEFAULT-VALUE}).",
            defaultValue = "emanual_qa,covid_faq,covid_qa")
    List<String> datasets;

    @Option(names = "--seed", description = "Seed of the generated variants and the query sample (default: ${DEFAULT-VALUE}).",
            defaultValue = "42")
    long seed;

    @Option(names = "--threads", description = "Encoder workers for building the index (default: all cores).")
    Integer threads;

    @Option(names = "--fusion", split = ",", description = "Hybrid fusions as FusionConfig.parse reads them (rrf, rrf:K, "
            + "weighted:W, zscore:W, optionally @CANDIDATES), comma-separated: the first is the index default, each gets its "
            + "own interleaved row (default: FusionConfig.defaults()).")
    List<String> fusion;

    @Option(names = "--vector-format", description = "FLOAT32 or INT8 (scalar-quantized HNSW) (default: ${DEFAULT-VALUE}).",
            defaultValue = "FLOAT32")
    IndexOptions.VectorFormat vectorFormat;

    @Option(names = "--rerank", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Add hybrid + rerank rows (Rerankers.sameEncoder, depth Rerankers.DEFAULT_DEPTH), the runtime's "
                    + "default search (default: ${DEFAULT-VALUE}).")
    boolean rerank;

    /**
     * One timed row: a mode, a fusion override for HYBRID (null: the index default) and whether the
     * query is encoded inside the timing (end-to-end).
     */
    private record Variant(String stage, String mode, SearchMode searchMode, FusionConfig fusion, boolean endToEnd,
                           boolean rerank) {
        SearchRequest request(String query, int topK) {
            SearchRequest.Builder b = SearchRequest.builder(query).topK(topK).mode(searchMode).rerank(rerank);
            return (fusion == null ? b : b.fusion(fusion)).build();
        }
    }

    @Override
    public Integer call() {
        if (chunks < 1 || queries < 1 || warmup < 0) {
            throw new IllegalArgumentException("--chunks and --queries must be >= 1, --warmup >= 0");
        }
        new SearchRequest("x", topK, SearchMode.HYBRID); // validates --top-k with the request's own message
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        List<FusionConfig> fusions = fusion == null || fusion.isEmpty() ? List.of(FusionConfig.defaults())
                : fusion.stream().map(FusionConfig::parse).toList();
        IndexOptions options = IndexOptions.defaults().withVectorFormat(vectorFormat).withFusion(fusions.get(0));
        List<Variant> variants = variants(fusions, rerank);
        Path dir = indexDir != null ? indexDir : Path.of(".cache", "bench", encoderId
                + (vectorFormat == IndexOptions.VectorFormat.FLOAT32 ? "" : "-" + vectorFormat.name().toLowerCase(Locale.ROOT))
                + "-" + chunks);
        BenchCorpus corpus = BenchCorpus.load(data, datasets, seed);
        List<String> pool = BenchCorpus.queries(data, datasets, seed);
        if (pool.size() < queries + warmup) {
            throw new IllegalArgumentException("the query sets of " + datasets + " have " + pool.size()
                    + " distinct queries; --queries + --warmup asks for " + (queries + warmup));
        }
        List<String> warm = pool.subList(0, warmup);
        List<String> timed = pool.subList(warmup, warmup + queries);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        try (Encoder encoder = Encoders.load(encoderId, threads != null ? threads : Runtime.getRuntime().availableProcessors())) {
            BenchIndex.Built built = BenchIndex.ensure(dir, encoder, options, corpus, chunks, seed, log);
            PrecomputedQueryEncoder cache = new PrecomputedQueryEncoder(encoder);
            warm.forEach(cache::precompute);
            long[] encode = new long[queries];
            for (int i = 0; i < queries; i++) {
                long t = System.nanoTime();
                cache.precompute(timed.get(i));
                encode[i] = System.nanoTime() - t;
            }
            memory.gc();
            long heapBefore = memory.getHeapMemoryUsage().getUsed();

            long[][] nanos = new long[variants.size()][queries];
            long[] hits = new long[variants.size()];
            long heapOpen;
            int chunkCount;
            IndexOptions searchOptions = rerank ? options.withReranker(Rerankers.sameEncoder(cache)) : options;
            try (KnowledgeIndex index = open(built.indexDir(), cache, searchOptions, dir)) {
                chunkCount = index.chunkCount();
                if (chunkCount != built.manifest().chunks()) {
                    throw new IllegalArgumentException(built.indexDir() + " has " + chunkCount + " chunks, its "
                            + BenchIndex.MANIFEST + " says " + built.manifest().chunks() + ": delete " + dir + " to rebuild");
                }
                for (int i = 0; i < warm.size(); i++) {
                    runQuery(index, cache, variants, warm.get(i), i, null, null);
                }
                for (int i = 0; i < queries; i++) {
                    runQuery(index, cache, variants, timed.get(i), i, nanos, hits);
                }
                memory.gc();
                heapOpen = memory.getHeapMemoryUsage().getUsed();
            }
            long endToEndRuns = variants.stream().filter(Variant::endToEnd).count() * (warm.size() + queries);
            if (cache.delegateQueryCalls() > endToEndRuns) {
                throw new IllegalStateException("expected at most the end-to-end searches to encode (" + endToEndRuns
                        + "), but the encoder ran " + cache.delegateQueryCalls() + " times");
            }
            print(out, dir, options, built, chunkCount, variants, encode, nanos, hits, heapBefore, heapOpen);
        }
        return 0;
    }

    /**
     * BM25, dense, and hybrid with each fusion, from the cache, and hybrid + rerank with the first
     * fusion if asked; then the same without the other fusions, end-to-end. The mode column names the
     * fusion only when several are compared.
     */
    private static List<Variant> variants(List<FusionConfig> fusions, boolean rerank) {
        List<Variant> out = new ArrayList<>();
        String first = fusions.size() == 1 ? "hybrid" : "hybrid " + fusions.get(0).spec();
        for (boolean endToEnd : new boolean[] {false, true}) {
            String stage = endToEnd ? "encode + search" : "search";
            out.add(new Variant(stage, "bm25", SearchMode.BM25, null, endToEnd, false));
            out.add(new Variant(stage, "dense", SearchMode.DENSE, null, endToEnd, false));
            for (FusionConfig f : endToEnd ? fusions.subList(0, 1) : fusions) {
                out.add(new Variant(stage, fusions.size() == 1 ? "hybrid" : "hybrid " + f.spec(), SearchMode.HYBRID, f,
                        endToEnd, false));
            }
            if (rerank) {
                out.add(new Variant(stage, first + " + rerank", SearchMode.HYBRID, fusions.get(0), endToEnd, true));
            }
        }
        return out;
    }

    /** Opens the benchmark index; an index from an older build of the retrieval module is a clear error. */
    private static KnowledgeIndex open(Path index, PrecomputedQueryEncoder encoder, IndexOptions options, Path dir) {
        try {
            return KnowledgeIndex.open(index, encoder, options);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage() + " (delete " + dir + " and run again to rebuild it)", e);
        }
    }

    /**
     * Runs every variant once, in an order rotated by {@code slot} so that background load spreads
     * evenly over the rows; records the times in column {@code slot} unless {@code nanos} is null
     * (warm-up).
     */
    private void runQuery(KnowledgeIndex index, PrecomputedQueryEncoder cache, List<Variant> variants, String query, int slot,
                          long[][] nanos, long[] hits) {
        for (int k = 0; k < variants.size(); k++) {
            int v = (k + slot) % variants.size();
            Variant variant = variants.get(v);
            SearchRequest request = variant.request(query, topK);
            cache.passThrough(variant.endToEnd());
            long t = System.nanoTime();
            int n = index.search(request).size();
            long elapsed = System.nanoTime() - t;
            cache.passThrough(false);
            if (nanos != null) {
                nanos[v][slot] = elapsed;
                hits[v] += n;
            }
        }
    }

    private void print(PrintWriter out, Path dir, IndexOptions options, BenchIndex.Built built, int chunkCount,
                       List<Variant> variants, long[] encode, long[][] nanos, long[] hits, long heapBefore, long heapOpen) {
        BenchIndex.Manifest m = built.manifest();
        int timedQueries = encode.length;
        out.printf(Locale.ROOT, "index: %s, %,d chunks, %,d documents, %s on disk, %d segments, encoder %s, %s vectors%n", dir,
                chunkCount, m.documents(), megabytes(BenchIndex.sizeOnDisk(built.indexDir())), BenchIndex.segments(built.indexDir()),
                m.encoder(), m.vectorFormat());
        out.printf(Locale.ROOT, "build: %.1f s (%.0f chunks/s)%s%n", m.buildSeconds(), m.chunks() / m.buildSeconds(),
                built.reused() ? ", reused (built " + m.builtAt() + ")" : "");
        out.printf(Locale.ROOT, "queries: %d timed after %d warm-up, from %s, top-%d, hybrid fusion %s, 1 client thread; "
                        + "%d cores, JDK %s, max heap %s%n", timedQueries, warmup, String.join(",", datasets), topK,
                options.fusion().spec(), Runtime.getRuntime().availableProcessors(), Runtime.version(),
                megabytes(Runtime.getRuntime().maxMemory()));
        out.println();
        out.println("| stage | mode | p50 ms | p95 ms | p99 ms | mean ms | max ms | hits/query |");
        out.println("|---|---|---|---|---|---|---|---|");
        row(out, "encode query", "-", LatencyStats.ofNanos(encode), "-");
        for (int v = 0; v < variants.size(); v++) {
            Variant variant = variants.get(v);
            row(out, variant.stage(), variant.mode(), LatencyStats.ofNanos(nanos[v]), variant.endToEnd() ? "-"
                    : String.format(Locale.ROOT, "%.1f", hits[v] / (double) timedQueries));
        }
        out.println();
        out.printf(Locale.ROOT, "heap used after full GC: %s with the index open (%s before opening it, encoder loaded)%n",
                megabytes(heapOpen), megabytes(heapBefore));
        LatencyStats hybrid = LatencyStats.ofNanos(nanos[2]); // the first hybrid variant: the index default
        out.printf(Locale.ROOT, "target hybrid search p50 <= 5 ms: %.2f ms (%s); p99 <= 20 ms: %.2f ms (%s)%n",
                hybrid.p50Ms(), hybrid.p50Ms() <= 5 ? "met" : "NOT met", hybrid.p99Ms(), hybrid.p99Ms() <= 20 ? "met" : "NOT met");
        out.flush();
    }

    private static void row(PrintWriter out, String stage, String mode, LatencyStats s, String hits) {
        out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n", stage, mode, s.p50Ms(), s.p95Ms(),
                s.p99Ms(), s.meanMs(), s.maxMs(), hits);
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
