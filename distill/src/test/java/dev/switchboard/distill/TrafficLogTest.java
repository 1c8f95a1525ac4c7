package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrafficLogTest {

    @TempDir
    Path tmp;

    @Test
    void readsEveryDecisionLogOfAFolderAnonymizedAndOnce() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.write(logs.resolve("decisions-2026-11-21.jsonl"), List.of(
                "{\"ts\":\"2026-11-21T10:00:00Z\",\"text\":\"my card has not arrived\",\"intent\":\"card_arrival\"}",
                "{\"text\":\"mail jane@example.com about my refund\"}"));
        Files.write(logs.resolve("decisions-2026-11-22.jsonl"), List.of("{\"text\":\"  My card has NOT arrived \"}",
                "{\"text\":\"card 4111 1111 1111 1111 declined\"}"));
        Files.write(logs.resolve("shadow-banking77.jsonl"), List.of("{\"text\":\"not a decision log\"}"));

        assertEquals(List.of("my card has not arrived", "mail <EMAIL> about my refund", "card <CARD> declined"),
                TrafficLog.texts(logs));
        assertEquals(List.of("My card has NOT arrived", "card <CARD> declined"),
                TrafficLog.texts(logs.resolve("decisions-2026-11-22.jsonl")));
    }

    @Test
    void aMissingOrEmptyLogPlaceIsAClearError() throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> TrafficLog.texts(tmp.resolve("nope")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> TrafficLog.texts(Files.createDirectories(tmp.resolve("e"))));
        assertTrue(empty.getMessage().contains("holds no decisions-*.jsonl"), empty.getMessage());
        Path broken = Files.writeString(tmp.resolve("decisions-x.jsonl"), "{\"text\":\"ok\"}\n{\"intent\":\"a\"}\n");
        var line = assertThrows(IllegalArgumentException.class, () -> TrafficLog.texts(broken));
        assertTrue(line.getMessage().contains("decisions-x.jsonl line 2: field \"text\""), line.getMessage());
    }

    @Test
    void distillFromLogsNeedsTheRegistryModel() {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = DistillCli.execute(new java.io.PrintWriter(new java.io.StringWriter(), true), new java.io.PrintWriter(err, true),
                "distill", "--data", tmp.toString(), "--from-logs", tmp.toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("--from-logs and --model go together"), err.toString());
    }

    @Test
    void publishAddsTheNextVersionAndPromotesIt() throws Exception {
        Path shipped = Path.of(System.getProperty("switchboard.home", "..")).resolve("models/intent/banking77/v1");
        Path root = tmp.resolve("models");
        Path v1 = Files.createDirectories(root.resolve("intent/b77/v1"));
        Path student = Files.createDirectories(tmp.resolve("student"));
        for (String f : List.of(IntentClassifier.MANIFEST_FILE, IntentClassifier.HEAD_FILE)) {
            Files.copy(shipped.resolve(f), v1.resolve(f));
            Files.copy(shipped.resolve(f), student.resolve(f));
        }
        // The registry checks that a version's manifest names its model and version.
        ModelManifest m = ModelManifest.read(v1.resolve(IntentClassifier.MANIFEST_FILE));
        new ModelManifest(m.kind(), "b77", "v1", m.encoder(), m.labels(), m.seed(), m.dataset(), m.metrics(), m.teacher(),
                m.parentVersion(), m.codeVersion(), m.created(), m.parameters(), m.rejection())
                .write(v1.resolve(IntentClassifier.MANIFEST_FILE));
        ModelRegistry registry = ModelRegistry.open(root);
        ModelId id = ModelId.parse("intent/b77");
        registry.promote(id, "v1", "test", "baseline");

        String version = TrafficLog.publish(student, registry, id, "student 0.93 >= serving 0.92");

        assertEquals("v2", version);
        assertEquals("v2", registry.serving(id));
        ModelManifest published = registry.manifest(id, "v2");
        assertEquals("b77", published.name());
        assertEquals("b77/v1", published.parentVersion());
        assertEquals("student 0.93 >= serving 0.92", registry.history(id).get(registry.history(id).size() - 1).reason());
        assertEquals("v1", registry.previous(id, "v2").orElseThrow());
    }
}
