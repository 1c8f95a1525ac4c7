package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RetrievalCliTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = RetrievalCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void ingestThenSearchAsTableAndJson() throws Exception {
        String index = tmp.resolve("idx").toString();
        Run ingest = run("ingest", KnowledgeIndexTest.kb().toString(), "--index", index);

        assertEquals(0, ingest.exit(), ingest.err());
        assertTrue(ingest.out().startsWith("documents: 5\nchunks:    "), ingest.out());
        assertTrue(ingest.out().contains("skipped:   1\nfailed:    0\n"), ingest.out());

        Run table = run("search", "freeze", "my", "lost", "card", "--index", index, "--top-k", "2");
        assertEquals(0, table.exit(), table.err());
        String[] lines = table.out().split("\n");
        assertEquals(5, lines.length, table.out()); // header + 2 lines per hit
        assertTrue(lines[1].startsWith("1 ") && lines[1].contains("cards/lost-card#0"), table.out());

        Run json = run("search", "IBAN", "--index", index, "--mode", "BM25", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonNode body = new ObjectMapper().readTree(json.out());
        assertEquals("IBAN", body.get("query").asText());
        assertEquals("bm25", body.get("mode").asText());
        assertEquals(1, body.get("hits").size());
        JsonNode hit = body.get("hits").get(0);
        assertEquals("transfers/send-money#0", hit.get("chunk_id").asText());
        assertEquals("transfers/send-money", hit.get("document_id").asText());
        assertTrue(hit.get("bm25_score").asDouble() > 0);
        assertTrue(hit.has("cosine") && hit.has("snippet") && hit.has("start") && hit.has("end"), hit.toString());
    }

    @Test
    void ingestWithAFailedFileExitsOneAndNamesIt() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("kb"));
        Files.writeString(folder.resolve("good.md"), "# Good\n\nA good article.");
        Files.writeString(folder.resolve("empty.md"), "");

        Run r = run("ingest", folder.toString(), "--index", tmp.resolve("idx").toString());

        assertEquals(1, r.exit());
        assertTrue(r.out().startsWith("documents: 1\nchunks:    1\nskipped:   0\nfailed:    1\n"), r.out());
        assertEquals("failed: empty.md: empty file\n", r.err());
    }

    @Test
    void errorsAreOneSentenceOnStderrAndTracesOnlyWhenVerbose() {
        String missing = tmp.resolve("missing").toString();
        Run r = run("search", "card", "--index", missing);

        assertEquals(1, r.exit());
        assertEquals("error: no index in " + missing + ": run 'ingest <folder> --index " + missing + "' first\n", r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(Path.of(missing)), "searching must not create an index");

        Run verbose = run("ingest", tmp.resolve("nope").toString(), "--index", missing, "--verbose");
        assertEquals(1, verbose.exit());
        assertTrue(verbose.err().startsWith("error: no such file or folder: " + tmp.resolve("nope") + "\n"), verbose.err());
        assertTrue(verbose.err().contains("\tat dev.switchboard.retrieval."), verbose.err());
    }

    @Test
    void badUsageExitsTwo() {
        Run mode = run("search", "card", "--index", tmp.toString(), "--mode", "fuzzy");
        assertEquals(2, mode.exit());
        assertTrue(mode.err().contains("--mode"), mode.err());

        Run topK = run("search", "card", "--index", tmp.toString(), "--top-k", "0");
        assertEquals(1, topK.exit());
        assertEquals("error: topK must be in 1..1000, got 0\n", topK.err());

        assertEquals(2, run().exit());
        assertEquals(2, run("ingest", "--index", tmp.toString()).exit());
    }
}
