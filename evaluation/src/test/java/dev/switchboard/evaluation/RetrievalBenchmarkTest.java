package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.KnowledgeIndex;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny-scale run of {@code bench retrieval}: output shape and index reuse, never timings. */
class RetrievalBenchmarkTest {

    private static final Pattern ROW = Pattern.compile(
            "\\| (encode query|search|encode \\+ search) \\| (-|bm25|dense|hybrid|hybrid \\+ rerank) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| "
                    + "([0-9.]+) \\| ([0-9.]+) \\| (-|[0-9.]+) \\|");
    private static final Pattern INDEX = Pattern.compile("index: .*, ([0-9,]+) chunks, ([0-9,]+) documents, ([0-9.]+) MB on disk");

    record Run(int exit, String out, String err) {
    }

    static Run bench(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = EvaluationCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run retrieval(Path dir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "retrieval", "--chunks", "300", "--queries", "25",
                "--warmup", "5", "--threads", "2", "--index-dir", dir.toString(), "--data", BenchCorpusTest.DATASETS.toString(),
                "--encoder", Encoders.DEFAULT_ID)); // the fast encoder: the output's shape does not depend on it
        args.addAll(List.of(more));
        return bench(args.toArray(String[]::new));
    }

    @Test
    void printsOneRowPerStageAndModeAndReusesTheIndex(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("bench");
        Run first = retrieval(dir);
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.err().contains("building"), first.err());

        List<String> rows = first.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| stage")).toList();
        assertEquals(List.of("encode query -", "search bm25", "search dense", "search hybrid", "search hybrid + rerank",
                "encode + search bm25", "encode + search dense", "encode + search hybrid", "encode + search hybrid + rerank"),
                rows.stream().map(r -> {
                    Matcher m = ROW.matcher(r);
                    assertTrue(m.matches(), r);
                    double p50 = Double.parseDouble(m.group(3));
                    double p95 = Double.parseDouble(m.group(4));
                    double p99 = Double.parseDouble(m.group(5));
                    double max = Double.parseDouble(m.group(7));
                    assertTrue(p50 > 0 && p50 <= p95 && p95 <= p99 && p99 <= max, r);
                    if (m.group(1).equals("search")) {
                        double hits = Double.parseDouble(m.group(8));
                        assertTrue(hits > 0 && hits <= 10, "top-10 searches return hits: " + r);
                    }
                    return m.group(1) + " " + m.group(2);
                }).toList());
        Matcher index = INDEX.matcher(first.out());
        assertTrue(index.find(), first.out());
        int chunks = Integer.parseInt(index.group(1).replace(",", ""));
        assertTrue(chunks >= 300, "at least the asked chunks: " + chunks);
        assertTrue(Double.parseDouble(index.group(3)) > 0);
        assertTrue(first.out().contains("heap used after full GC: "), first.out());
        assertTrue(first.out().contains("target hybrid search p50 <= 5 ms: "), first.out());
        assertTrue(Files.isRegularFile(dir.resolve(BenchIndex.MANIFEST)));
        assertTrue(Files.notExists(dir.resolve(BenchIndex.BUILDING)));

        // Reused, and comparing two fusions: one interleaved hybrid row each, named by the fusion; no rerank rows.
        Run second = retrieval(dir, "--fusion", "zscore:0.55,rrf", "--no-rerank");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.out().contains("reused"), second.out());
        assertTrue(!second.err().contains("building"), second.err());
        Matcher again = INDEX.matcher(second.out());
        assertTrue(again.find());
        assertEquals(chunks, Integer.parseInt(again.group(1).replace(",", "")));
        assertEquals(List.of("search | hybrid zscore:0.55@50", "search | hybrid rrf:60@50", "encode + search | hybrid zscore:0.55@50"),
                second.out().lines().filter(l -> l.contains("| hybrid ")).map(l -> l.substring(2, l.indexOf(" |", l.indexOf("hybrid"))))
                        .toList());
        assertTrue(second.out().contains("hybrid fusion zscore:0.55@50"), second.out());
    }

    @Test
    void refusesAFolderWithAnIndexItDidNotBuild(@TempDir Path tmp) {
        Path dir = tmp.resolve("foreign");
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 1);
             KnowledgeIndex index = KnowledgeIndex.open(dir.resolve(BenchIndex.INDEX_FOLDER), encoder)) {
            index.upsert(Document.of("mine", "Mine", "A document someone cares about."));
        }
        Run run = retrieval(dir);
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("did not build"), run.err());
        assertTrue(KnowledgeIndex.exists(dir.resolve(BenchIndex.INDEX_FOLDER)), "nothing deleted");
    }

    @Test
    void badOptionsAreClearErrors(@TempDir Path tmp) {
        Run tooMany = bench("bench", "retrieval", "--chunks", "10", "--queries", "100000", "--index-dir", tmp.toString(),
                "--data", BenchCorpusTest.DATASETS.toString());
        assertEquals(1, tooMany.exit());
        assertTrue(tooMany.err().contains("distinct queries"), tooMany.err());
        Run topK = bench("bench", "retrieval", "--top-k", "0", "--index-dir", tmp.toString());
        assertEquals(1, topK.exit());
        assertTrue(topK.err().contains("topK"), topK.err());
    }
}
