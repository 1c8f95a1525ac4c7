package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsCommandTest {

    @TempDir
    Path root;

    record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of(args), Stream.of("--root", root.toString())).toArray(String[]::new);
        int exit = DistillCli.execute(new PrintWriter(out), new PrintWriter(err), all);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void copyShippedVersions() throws IOException {
        Path shipped = Path.of(System.getProperty("switchboard.home", "..")).resolve("models/intent/banking77");
        for (String v : List.of("v1", "v2")) {
            Path to = root.resolve("intent/banking77").resolve(v);
            Files.createDirectories(to);
            for (String f : List.of("manifest.json", "head.safetensors")) {
                Files.copy(shipped.resolve(v).resolve(f), to.resolve(f));
            }
        }
    }

    @Test
    void listPromoteShowRollback() {
        Run list = run("models", "list");
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().matches("(?s)intent/banking77\\s+serving v2\\s+\\(newest, no CURRENT\\)\\s+versions v1, v2\\s*"),
                list.out());

        Run promote = run("models", "promote", "intent/banking77", "v1", "--reason", "canary", "--by", "alice");
        assertEquals(0, promote.exit(), promote.err());
        assertEquals("promoted intent/banking77 v2 -> v1", promote.out().strip());

        Run show = run("models", "show", "intent/banking77");
        assertEquals(0, show.exit(), show.err());
        assertTrue(show.out().contains("* v1  intent-classifier, encoder all-minilm-l6-v2-q, 77 labels"), show.out());
        assertTrue(show.out().contains("promote  v2 -> v1  by alice: canary"), show.out());

        Run rollback = run("models", "rollback", "intent/banking77");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals("rolled back intent/banking77 v1 -> v2", rollback.out().strip());

        Run manifest = run("models", "show", "intent/banking77", "v2");
        assertTrue(manifest.out().contains("\"version\" : \"v2\""), manifest.out());
    }

    @Test
    void refusalsPrintTheReasonAndExit1() {
        Run missing = run("models", "promote", "intent/banking77", "v7");
        assertEquals(1, missing.exit());
        assertEquals("error: intent/banking77 has no version 'v7' (versions: v1, v2)", missing.err().strip());

        Run nothing = run("models", "rollback", "intent/banking77");
        assertEquals(1, nothing.exit());
        assertTrue(nothing.err().startsWith("error: intent/banking77: no version served before v2"), nothing.err());

        Run bad = run("models", "show", "banking77");
        assertEquals(1, bad.exit());
        assertTrue(bad.err().contains("must be written kind/name"), bad.err());
    }
}
