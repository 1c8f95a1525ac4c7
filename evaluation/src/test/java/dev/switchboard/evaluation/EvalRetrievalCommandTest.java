package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eval retrieval} on a slice of covid_faq: its first {@value #DOCUMENTS} FAQ entries and the
 * user questions whose relevant entries are all among them, with the default encoder (int8 bge-small).
 */
class EvalRetrievalCommandTest {

    static final int DOCUMENTS = 40;
    /**
     * Measured on this slice (2026-11-22, bge-small-en-v1.5-q, 81 judged queries): nDCG@10 BM25 0.778,
     * dense 0.920, hybrid (default fusion) 0.903, hybrid+rerank (default mix and depth) 0.955. Floors:
     * the measured values minus 0.03 (between two and three queries' worth), for numeric noise across
     * machines.
     */
    static final double HYBRID_NDCG_FLOOR = 0.87;
    static final double RERANK_NDCG_FLOOR = 0.92;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static Path slice;
    private static Path cache;
    private static int sliceQueries;

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            assertEquals(0, exit, err);
            assertEquals(1, out.strip().lines().count(), "one JSON object on one line");
            return JSON.readTree(out);
        }
    }

    static Run eval(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("eval", "retrieval"));
        all.addAll(List.of(args));
        int exit = EvaluationCli.execute(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void slice() throws IOException {
        Path source = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("covid_faq");
        slice = dir.resolve("covid40");
        cache = dir.resolve("embeddings");
        Files.createDirectories(slice);
        List<String> corpus = Files.readAllLines(source.resolve("corpus.jsonl")).subList(0, DOCUMENTS);
        Set<String> ids = new HashSet<>();
        for (String line : corpus) {
            ids.add(JSON.readTree(line).get("id").asText());
        }
        List<String> qrels = Files.readAllLines(source.resolve("qrels.tsv"));
        Map<String, Boolean> inside = new HashMap<>(); // query → all its relevant docs are in the slice
        for (String row : qrels.subList(1, qrels.size())) {
            String[] f = row.split("\t");
            inside.merge(f[0], ids.contains(f[1]), Boolean::logicalAnd);
        }
        List<String> keptQrels = new ArrayList<>(List.of(qrels.get(0)));
        qrels.subList(1, qrels.size()).stream().filter(r -> inside.get(r.split("\t")[0])).forEach(keptQrels::add);
        List<String> queries = new ArrayList<>();
        for (String line : Files.readAllLines(source.resolve("queries.jsonl"))) {
            if (inside.getOrDefault(JSON.readTree(line).get("id").asText(), false)) {
                queries.add(line);
            }
        }
        queries.add("{\"id\": \"unjudged\", \"text\": \"Is there a vaccine?\"}"); // no qrels: skipped and counted
        sliceQueries = queries.size();
        Files.write(slice.resolve("corpus.jsonl"), corpus);
        Files.write(slice.resolve("queries.jsonl"), queries);
        Files.write(slice.resolve("qrels.tsv"), keptQrels);
    }

    private static JsonNode run(String mode, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--data", slice.toString(), "--mode", mode, "--json",
                "--embedding-cache", cache.toString()));
        args.addAll(List.of(more));
        return eval(args.toArray(String[]::new)).json();
    }

    @Test
    void hybridBeatsBm25OnTheSlice() throws IOException {
        JsonNode bm25 = run("bm25");
        JsonNode hybrid = run("hybrid");

        assertEquals(DOCUMENTS, bm25.get("documents").asInt());
        assertEquals(sliceQueries, bm25.get("queries").asInt());
        assertEquals(1, bm25.get("skipped_without_qrels").asInt());
        assertEquals(sliceQueries - 1, bm25.get("scored").asInt());
        assertEquals("bge-small-en-v1.5-q", hybrid.get("encoder").asText());
        assertEquals("zscore:0.55@50", hybrid.get("fusion").asText());
        double b = bm25.get("ndcg@10").asDouble();
        double h = hybrid.get("ndcg@10").asDouble();
        assertTrue(h >= b, "hybrid nDCG@10 " + h + " < BM25 " + b);
        assertTrue(h >= HYBRID_NDCG_FLOOR, "hybrid nDCG@10 " + h);
        for (JsonNode m : List.of(bm25, hybrid)) {
            assertTrue(m.get("recall@5").asDouble() <= m.get("recall@10").asDouble());
            assertTrue(m.get("mrr@10").asDouble() <= m.get("recall@10").asDouble() + 1e-12); // one relevant doc per query here
        }
    }

    @Test
    void rerankingWithTheTitleViewBeatsFusionAloneOnFaqs() throws IOException {
        JsonNode hybrid = run("hybrid");
        JsonNode reranked = run("hybrid+rerank");
        assertTrue(reranked.get("ndcg@10").asDouble() > hybrid.get("ndcg@10").asDouble(),
                "hybrid+rerank " + reranked.get("ndcg@10") + " <= hybrid " + hybrid.get("ndcg@10"));
        assertEquals("same", reranked.get("rerank_encoder").asText());
        assertEquals(0.5, reranked.get("rerank_mix").asDouble());
        assertEquals(30, reranked.get("rerank_depth").asInt());
        assertTrue(reranked.get("ndcg@10").asDouble() >= RERANK_NDCG_FLOOR, "hybrid+rerank nDCG@10 " + reranked.get("ndcg@10"));
    }

    @Test
    void devAndTestSplitTheScoredQueries() throws IOException {
        JsonNode all = run("dense");
        JsonNode dev = run("dense", "--queries-split", "dev");
        JsonNode test = run("dense", "--queries-split", "test");
        assertEquals(all.get("scored").asInt(), dev.get("scored").asInt() + test.get("scored").asInt());
        assertTrue(dev.get("scored").asInt() > 0 && test.get("scored").asInt() > 0);
        // The full-set mean is the query-weighted mean of the halves.
        double weighted = (dev.get("ndcg@10").asDouble() * dev.get("scored").asInt()
                + test.get("ndcg@10").asDouble() * test.get("scored").asInt()) / all.get("scored").asInt();
        assertEquals(all.get("ndcg@10").asDouble(), weighted, 1e-9);
    }

    @Test
    void badInputIsAnErrorNamingTheProblem() throws IOException {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.copy(slice.resolve("corpus.jsonl"), bad.resolve("corpus.jsonl"));
        Files.copy(slice.resolve("queries.jsonl"), bad.resolve("queries.jsonl"));
        Files.writeString(bad.resolve("qrels.tsv"), "query corpus score\nq0\tfaq0\t1\n");
        Run noHeader = eval("--data", bad.toString());
        assertEquals(1, noHeader.exit());
        assertEquals("error: " + bad.resolve("qrels.tsv") + ":1: expected the header \"query-id<TAB>corpus-id<TAB>score\"",
                noHeader.err().strip());

        Files.writeString(bad.resolve("qrels.tsv"), "query-id\tcorpus-id\tscore\nq0\tfaq0\thigh\n");
        assertEquals("error: " + bad.resolve("qrels.tsv") + ":2: score 'high' is not a number", eval("--data", bad.toString()).err().strip());

        Files.copy(slice.resolve("qrels.tsv"), bad.resolve("qrels.tsv"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(bad.resolve("corpus.jsonl"), "{\"id\": \"a\", \"text\": \"fine\"}\n{\"title\": \"no id\", \"text\": \"x\"}\n");
        assertEquals("error: " + bad.resolve("corpus.jsonl") + ":2: missing field \"id\"", eval("--data", bad.toString()).err().strip());
        Files.writeString(bad.resolve("corpus.jsonl"), "{\"id\": \"a\", \"text\": \"fine\"}\n{\"id\": \"b\", \"text\": \n");
        assertTrue(eval("--data", bad.toString()).err().startsWith("error: " + bad.resolve("corpus.jsonl") + ":2: not valid JSON"));

        Run mode = eval("--data", slice.toString(), "--mode", "fuzzy");
        assertEquals(1, mode.exit());
        assertEquals("error: --mode must be bm25, dense, hybrid or hybrid+rerank, got 'fuzzy'", mode.err().strip());
        assertEquals("error: unknown fusion 'max': expected rrf, rrf:K, weighted:W or zscore:W, optionally followed by @CANDIDATES",
                eval("--data", slice.toString(), "--fusion", "max").err().strip());
    }
}
