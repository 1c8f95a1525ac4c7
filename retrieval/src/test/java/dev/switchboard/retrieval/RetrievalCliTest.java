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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RetrievalCliTest {

    @TempDir
    Path tmp;

    private static final String SUPPORTED = "supported: .docx, .htm, .html, .jsonl, .markdown, .md, .pdf, .txt";

    private record Run(int exit, String out, String err) {
    }

    private static JsonNode json(Run r) throws Exception {
        assertEquals(0, r.exit(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    private static List<String> documentIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("hits").forEach(h -> ids.add(h.get("document_id").asText()));
        return ids;
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

        assertEquals(1, ingest.exit(), "kb/notes.csv is not a supported type");
        assertTrue(ingest.out().startsWith("documents: 5\nchunks:    "), ingest.out());
        assertTrue(ingest.out().contains("skipped:   0\nfailed:    1\n"), ingest.out());
        assertEquals("failed: notes.csv: unsupported file type '.csv'; " + SUPPORTED + "\n", ingest.err());

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
    void ingestOfMixedFormatsNamesEveryFailureAndIndexesTheRest() throws Exception {
        Path folder = FolderReaderTest.mixedFolder(tmp.resolve("kb"));
        String index = tmp.resolve("idx").toString();

        Run ingest = run("ingest", folder.toString(), "--index", index);

        assertEquals(1, ingest.exit(), ingest.err());
        assertTrue(ingest.out().startsWith("documents: 7\nchunks:    "), ingest.out());
        assertTrue(ingest.out().contains("\nskipped:   2\nfailed:    5\n"), ingest.out());
        assertEquals(String.join("\n",
                "failed: corrupt.pdf: not a readable PDF: no %PDF- header (the file is damaged or not a PDF)",
                "failed: empty.txt: empty file",
                "failed: faq.jsonl:2: not valid JSON: Unexpected character ('}' (code 125)): expected a valid value (JSON"
                        + " String, Number, Array, Object or token 'null', 'true' or 'false')",
                "failed: setup.exe: unsupported file type '.exe'; " + SUPPORTED,
                "failed: welcome.md: same document id 'welcome' as faq.jsonl:3") + "\n", ingest.err());

        JsonNode docx = json(run("search", "how much cash can I withdraw from ATMs", "--index", index, "--mode", "bm25",
                "--top-k", "1", "--json"));
        assertEquals("cards/limits", docx.get("hits").get(0).get("document_id").asText());
        assertEquals("ATM withdrawals", docx.get("hits").get(0).get("section").asText());
        JsonNode pdf = json(run("search", "merchant bank return money", "--index", index, "--top-k", "1", "--json"));
        assertEquals("disputes", pdf.get("hits").get(0).get("document_id").asText());
        assertEquals("Chargebacks", pdf.get("hits").get(0).get("section").asText());

        assertEquals(List.of("faq/pin"), documentIds(json(run("search", "card", "--index", index, "--mode", "bm25",
                "--filter", "tags=security,travel", "--json"))));
        assertEquals(List.of("faq/pin"), documentIds(json(run("search", "PIN", "--index", index, "--mode", "dense",
                "--filter", "product=debit", "--json"))));
        assertEquals(List.of("faq/iban"), documentIds(json(run("search", "where is my IBAN account details", "--index", index,
                "--filter", "updated_after=2024-02-15", "--filter", "updated_before=2025-01-01T00:00:00Z",
                "--fusion", "weighted:0.5", "--json"))));
        Run none = run("search", "IBAN", "--index", index, "--mode", "bm25", "--min-score", "1000");
        assertEquals(0, none.exit(), none.err());
        assertEquals("no hits\n", none.out());
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

        String help = " (see 'switchboard search --help')\n";
        assertEquals("error: Invalid value for option '--mode': expected one of [BM25, DENSE, HYBRID] (case-insensitive)"
                + " but was 'fuzzy'" + help, mode.err());
        assertUsage("error: --top-k must be in 1..1000, got 0" + help, "--top-k", "0");
        assertUsage("error: --filter 'tags' is not key=value" + help, "--filter", "tags");
        assertUsage("error: --filter 'source=' has no value" + help, "--filter", "source=");
        assertUsage("error: --filter 'updated_after=last week': not an ISO-8601 date or date-time (e.g. 2024-01-31 or"
                + " 2024-01-31T12:00:00Z)" + help, "--filter", "updated_after=last week");
        assertUsage("error: --filter 'updated_at=2024-01-01': filter dates with updated_after=DATE or updated_before=DATE"
                + help, "--filter", "updated_at=2024-01-01");
        assertUsage("error: --filter updated_after is given twice" + help,
                "--filter", "updated_after=2024-01-01", "--filter", "updated_after=2024-02-01");
        assertUsage("error: date range on 'updated_at' is empty: from 2024-03-01T00:00:00Z is not before to"
                + " 2024-01-01T00:00:00Z" + help, "--filter", "updated_after=2024-03-01", "--filter", "updated_before=2024-01-01");
        assertUsage("error: --fusion applies only to --mode hybrid" + help, "--mode", "bm25", "--fusion", "rrf");
        Run fusion = run("search", "card", "--index", tmp.toString(), "--fusion", "bogus");
        assertEquals(2, fusion.exit());
        assertTrue(fusion.err().startsWith("error: unknown fusion 'bogus'") && fusion.err().endsWith(help), fusion.err());

        Run noCommand = run();
        assertEquals(2, noCommand.exit());
        assertEquals("error: missing command: ingest or search (see 'switchboard --help')\n", noCommand.err());
        Run noPath = run("ingest", "--index", tmp.toString());
        assertEquals(2, noPath.exit());
        assertEquals("error: Missing required parameter: '<path>' (see 'switchboard ingest --help')\n", noPath.err());
        assertFalse(Files.exists(tmp.resolve("segments_1")), "a usage error touches no index");
    }

    private void assertUsage(String expectedErr, String... options) {
        List<String> args = new ArrayList<>(List.of("search", "card", "--index", tmp.toString()));
        args.addAll(List.of(options));
        Run r = run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.err());
        assertEquals(expectedErr, r.err());
        assertEquals("", r.out());
    }
}
