package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.FusionConfig;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.Rerankers;
import dev.switchboard.retrieval.SearchHit;
import dev.switchboard.retrieval.SearchMode;
import dev.switchboard.retrieval.SearchRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eval retrieval}: indexes a dataset's corpus into a throw-away {@link KnowledgeIndex}, runs its
 * queries and prints recall@5, recall@10, MRR@10 and nDCG@10 (see {@link RetrievalMetrics}).
 *
 * <p>Chunks collapse to documents: a document's rank is its best chunk's rank. Each query asks for
 * the top 10 chunks and doubles that until they name 10 distinct documents (or the index has no
 * more). Queries without a relevant document in {@code qrels.tsv} are skipped and counted.
 * {@code --queries-split dev|test} keeps one half of the queries (see {@link QuerySplit}): tune on
 * dev, report on test. Every corpus record is indexed as one document, without deduplication unless
 * {@code --deduplicate}. With {@code --embedding-cache DIR}, embeddings are kept across runs, keyed by
 * encoder id and exact text.
 */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = "Scores the knowledge index (bm25, dense, hybrid, hybrid+rerank) on a corpus/queries/qrels dataset.")
final class EvalRetrievalCommand implements Callable<Integer> {

    /** The encoder measured best for retrieval (docs/benchmarks.md, "Retrieval quality"). */
    static final String DEFAULT_ENCODER = "bge-small-en-v1.5-q";
    /** {@code --rerank-encoder} value meaning the index's encoder ({@link Rerankers#sameEncoder}). */
    static final String SAME = "same";
    static final int CUTOFF = 10;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset folder with corpus.jsonl, queries.jsonl and qrels.tsv.")
    Path data;

    @Option(names = "--mode", defaultValue = "hybrid", description = "bm25, dense, hybrid or hybrid+rerank (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--encoder", defaultValue = DEFAULT_ENCODER, description = "Index encoder id (default: ${DEFAULT-VALUE}).")
    String encoderId;

    @Option(names = "--fusion", description = "Hybrid fusion: rrf, rrf:K, weighted:W or zscore:W, optionally @CANDIDATES "
            + "(default: the index default, FusionConfig.defaults()).")
    String fusion;

    @Option(names = "--rerank-encoder", defaultValue = SAME,
            description = "Encoder of the embedding reranker for hybrid+rerank: 'same' (the index's, Rerankers.sameEncoder) "
                    + "or an encoder id (Rerankers.embedding) (default: ${DEFAULT-VALUE}).")
    String rerankEncoderId;

    @Option(names = "--rerank-mix", description = "Weight of the reranker's view against the fused score (default: Rerankers.DEFAULT_MIX).")
    Double rerankMix;

    @Option(names = "--rerank-depth", description = "How many fused hits the reranker re-scores (default: Rerankers.DEFAULT_DEPTH).")
    Integer rerankDepth;

    @Option(names = "--deduplicate", description = "Index with deduplication of identical chunks across documents, as "
            + "KnowledgeIndex does by default. Off here: qrels judge each corpus record, so collapsing two identical "
            + "records would make a judged document unreachable.")
    boolean deduplicate;

    @Option(names = "--queries-split", defaultValue = "all", description = "dev, test or all (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the dev/test split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Encoder worker threads (default: one per core).")
    Integer threads;

    @Option(names = "--embedding-cache", description = "Folder that caches embeddings across runs (default: none).")
    Path cache;

    @Option(names = "--json", description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SearchMode searchMode = searchMode();
        boolean rerank = mode.equalsIgnoreCase("hybrid+rerank");
        QuerySplit querySplit = QuerySplit.parse(split);
        FusionConfig fusionConfig = fusion == null ? FusionConfig.defaults() : FusionConfig.parse(fusion);
        double mix = rerankMix == null ? Rerankers.DEFAULT_MIX : rerankMix;
        int depth = rerankDepth == null ? Rerankers.DEFAULT_DEPTH : rerankDepth;
        RetrievalDataset dataset = RetrievalDataset.read(data);
        PrintWriter err = spec.commandLine().getErr();
        dataset.skipped().forEach(s -> err.println("skipped " + s));

        List<RetrievalDataset.Query> inSplit = dataset.queries().stream().filter(q -> querySplit.contains(seed, q.id())).toList();
        List<RetrievalDataset.Query> scored = new ArrayList<>();
        for (RetrievalDataset.Query q : inSplit) {
            Map<String, Double> rel = dataset.qrels().get(q.id());
            if (rel != null && rel.values().stream().anyMatch(g -> g > 0)) {
                scored.add(q);
            }
        }
        if (scored.isEmpty()) {
            throw new IllegalArgumentException("no query of split " + split + " in " + data + " has a relevant document in "
                    + RetrievalDataset.QRELS);
        }
        Path dir = Files.createTempDirectory("switchboard-eval-retrieval");
        List<List<String>> rankings = new ArrayList<>();
        List<Map<String, Double>> judgments = new ArrayList<>();
        int documents;
        int chunks;
        double indexSeconds;
        double searchSeconds;
        boolean sameEncoder = rerankEncoderId.equals(SAME);
        try (Encoder encoder = encoder(encoderId);
             Encoder reranking = rerank && !sameEncoder ? encoder(rerankEncoderId) : null) {
            IndexOptions options = IndexOptions.defaults().withFusion(fusionConfig).withDeduplicate(deduplicate);
            if (rerank) {
                options = options.withReranker(sameEncoder ? Rerankers.sameEncoder(encoder, mix) : Rerankers.embedding(reranking, mix),
                        depth);
            }
            try (KnowledgeIndex index = KnowledgeIndex.open(dir.resolve("index"), encoder, options)) {
                long t0 = System.nanoTime();
                index.upsertAll(dataset.corpus());
                indexSeconds = (System.nanoTime() - t0) / 1e9;
                documents = index.documentCount();
                chunks = index.chunkCount();
                long t1 = System.nanoTime();
                for (RetrievalDataset.Query q : scored) {
                    rankings.add(rankDocuments(index, q.text(), searchMode, rerank));
                    judgments.add(dataset.qrels().get(q.id()));
                }
                searchSeconds = (System.nanoTime() - t1) / 1e9;
            }
            if (encoder instanceof CachingEncoder c) {
                err.println("embedding cache (" + encoderId + "): " + c.stats());
            }
        } finally {
            deleteTree(dir);
        }
        err.printf(Locale.ROOT, "indexed %d documents (%d chunks) in %.1f s; searched %d queries in %.1f s (%.1f ms/query)%n",
                documents, chunks, indexSeconds, scored.size(), searchSeconds, 1000 * searchSeconds / scored.size());
        err.flush();
        RetrievalMetrics metrics = RetrievalMetrics.of(rankings, judgments);
        Run run = new Run(searchMode, rerank, fusionConfig, mix, depth, querySplit, dataset.queries().size(), inSplit.size(),
                inSplit.size() - scored.size(), documents, chunks, indexSeconds, searchSeconds);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? json(metrics, run) + "\n" : table(metrics, run));
        out.flush();
        return 0;
    }

    private record Run(SearchMode mode, boolean rerank, FusionConfig fusion, double mix, int depth, QuerySplit split,
                       int queries, int inSplit, int skipped, int documents, int chunks, double indexSeconds,
                       double searchSeconds) {
    }

    private SearchMode searchMode() {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "bm25" -> SearchMode.BM25;
            case "dense" -> SearchMode.DENSE;
            case "hybrid", "hybrid+rerank" -> SearchMode.HYBRID;
            default -> throw new IllegalArgumentException("--mode must be bm25, dense, hybrid or hybrid+rerank, got '" + mode + "'");
        };
    }

    private Encoder encoder(String id) {
        Encoder e = threads == null ? Encoders.load(id) : Encoders.load(id, threads);
        return cache == null ? e : new CachingEncoder(e, cache);
    }

    /** The distinct documents of the best chunks, best first, at least {@value #CUTOFF} when the index has them. */
    static List<String> rankDocuments(KnowledgeIndex index, String query, SearchMode mode, boolean rerank) {
        for (int topK = CUTOFF; ; topK *= 2) {
            int k = Math.min(topK, SearchRequest.MAX_TOP_K);
            List<SearchHit> hits = index.search(SearchRequest.builder(query).topK(k).mode(mode).rerank(rerank).build());
            LinkedHashSet<String> docs = new LinkedHashSet<>();
            hits.forEach(h -> docs.add(h.documentId()));
            if (docs.size() >= CUTOFF || hits.size() < k || k == SearchRequest.MAX_TOP_K) {
                return List.copyOf(docs);
            }
        }
    }

    private String json(RetrievalMetrics m, Run run) throws IOException {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("data", data.toString()).put("mode", mode.toLowerCase(Locale.ROOT)).put("encoder", encoderId);
        if (run.mode() == SearchMode.HYBRID) {
            root.put("fusion", run.fusion().spec());
        }
        if (run.rerank()) {
            root.put("rerank_encoder", rerankEncoderId).put("rerank_mix", run.mix()).put("rerank_depth", run.depth());
        }
        root.put("queries_split", run.split().name().toLowerCase(Locale.ROOT)).put("seed", seed)
                .put("documents", run.documents()).put("chunks", run.chunks())
                .put("deduplicate", deduplicate).put("queries", run.queries()).put("queries_in_split", run.inSplit())
                .put("skipped_without_qrels", run.skipped()).put("scored", m.count())
                .put("recall@5", m.recallAt5()).put("recall@10", m.recallAt10())
                .put("mrr@10", m.mrrAt10()).put("ndcg@10", m.ndcgAt10())
                .put("index_seconds", run.indexSeconds()).put("search_seconds", run.searchSeconds());
        return new ObjectMapper().writeValueAsString(root);
    }

    private String table(RetrievalMetrics m, Run run) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "data       %s (%d documents, %d chunks%s)%n", data, run.documents(), run.chunks(),
                deduplicate ? ", deduplicated" : ""));
        s.append(String.format(Locale.ROOT, "mode       %s, encoder %s%s%s%n", mode.toLowerCase(Locale.ROOT), encoderId,
                run.mode() == SearchMode.HYBRID ? ", fusion " + run.fusion().spec() : "",
                run.rerank() ? String.format(Locale.ROOT, ", rerank %s mix %.2f depth %d", rerankEncoderId, run.mix(), run.depth()) : ""));
        s.append(String.format(Locale.ROOT, "queries    %d, split %s (seed %d): %d, skipped without qrels %d, scored %d%n",
                run.queries(), run.split().name().toLowerCase(Locale.ROOT), seed, run.inSplit(), run.skipped(), m.count()));
        s.append(String.format(Locale.ROOT, "recall@5   %.4f%nrecall@10  %.4f%nMRR@10     %.4f%nnDCG@10    %.4f%n",
                m.recallAt5(), m.recallAt10(), m.mrrAt10(), m.ndcgAt10()));
        return s.toString();
    }

    private static void deleteTree(Path dir) {
        try {
            BenchIndex.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
