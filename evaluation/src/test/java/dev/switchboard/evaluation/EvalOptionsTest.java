package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.switchboard.models.ModelManifest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvalOptionsTest {

    private static final ModelManifest MANIFEST = new ModelManifest("intent-classifier", "clinc150", "v3", "all-minilm-l6-v2-q",
            List.of("a", "b"), 1, new ModelManifest.DatasetInfo("data", "ab".repeat(32), 1, 1, 1), Map.of(), null, null,
            "unknown", Instant.parse("2026-11-22T00:00:00Z"), Map.of());

    @Test
    void theDefaultReportGoesToReportsUnderTheProjectRoot() {
        EvalOptions options = new EvalOptions();
        Path root = Path.of(System.getProperty("switchboard.home", "."));
        assertEquals(Optional.of(root.resolve("reports").resolve("clinc150-v3-test.html")), options.reportFile(MANIFEST, "test"));
        assertEquals(Optional.of(root.resolve("reports").resolve("clinc150-v3-folds-0-5-6-7.html")),
                options.reportFile(MANIFEST, "folds 0-5/6/7"), "characters unsafe in file names become '-'");
        options.report = Path.of("/tmp/x.html");
        assertEquals(Optional.of(Path.of("/tmp/x.html")), options.reportFile(MANIFEST, "test"));
        options.report = null;
        options.noReport = true;
        assertEquals(Optional.empty(), options.reportFile(MANIFEST, "test"));
    }

    @Test
    void contradictoryOptionsAreRejected() {
        EvalOptions options = new EvalOptions();
        options.noReport = true;
        options.report = Path.of("r.html");
        assertEquals("--report and --no-report contradict each other",
                assertThrows(IllegalArgumentException.class, options::validate).getMessage());
        options.report = null;
        options.latency = -1;
        assertEquals("--latency must be >= 0, got -1", assertThrows(IllegalArgumentException.class, options::validate).getMessage());
    }
}
