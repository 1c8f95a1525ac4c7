package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.Encoders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A small run of {@code bench grounding} on the demo help center: output shape and the direction of the gap. */
class GroundingBenchmarkTest {

    private static final Path ROOT = Path.of(System.getProperty("switchboard.home", "..")).toAbsolutePath().normalize();

    @Test
    void inDomainMessagesAreCloserToTheHelpCenterThanOutOfScopeOnes() {
        RetrievalBenchmarkTest.Run run = RetrievalBenchmarkTest.bench("bench", "grounding", "--limit", "6",
                "--encoder", Encoders.DEFAULT_ID, // the fast encoder; the reranker runs (same encoder)
                "--knowledge", ROOT.resolve("knowledge/bank-help").toString(),
                "--model", ROOT.resolve("models/intent/banking77/v1").toString(),
                "--data", BenchCorpusTest.DATASETS.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().startsWith("knowledge "), run.out());
        assertTrue(run.out().contains("encoder " + Encoders.DEFAULT_ID + ", fusion zscore:0.55@50, rerank same-encoder:"), run.out());

        List<String> names = new ArrayList<>();
        for (String line : run.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| set")).toList()) {
            String[] cells = line.substring(2, line.length() - 2).split(" \\| ");
            assertEquals(2 + 6 + GroundingBenchmark.THRESHOLDS.length, cells.length, line);
            names.add(cells[0]);
            int messages = Integer.parseInt(cells[1]);
            assertTrue(cells[0].endsWith("classifier passed") ? messages <= 6 : messages == 6, line);
            if (messages == 0) {
                continue;
            }
            double[] percentiles = new double[6];
            for (int i = 0; i < 6; i++) {
                percentiles[i] = Double.parseDouble(cells[2 + i]);
                assertTrue(i == 0 || percentiles[i] >= percentiles[i - 1], "percentiles rise: " + line);
            }
            double share = 0;
            for (int i = 8; i < cells.length; i++) {
                double below = Double.parseDouble(cells[i]);
                assertTrue(below >= share && below <= 1, "shares below a rising threshold rise: " + line);
                share = below;
            }
        }
        assertEquals(List.of("BANKING77 test (in-domain)", "BANKING77 test (in-domain), classifier passed",
                "CLINC150 test, out-of-scope", "CLINC150 test, out-of-scope, classifier passed",
                "CLINC150 test, 8 non-banking domains", "CLINC150 test, 8 non-banking domains, classifier passed",
                "CLINC150 test, banking + credit cards", "CLINC150 test, banking + credit cards, classifier passed"), names);
        double inDomain = Double.parseDouble(row(run.out(), "| BANKING77 test (in-domain) |")[5]);
        double outOfScope = Double.parseDouble(row(run.out(), "| CLINC150 test, out-of-scope |")[5]);
        assertTrue(inDomain > outOfScope + 0.1, "median best cosine, in-domain " + inDomain + " vs out-of-scope " + outOfScope);
    }

    private static String[] row(String out, String prefix) {
        String line = out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        return line.substring(2, line.length() - 2).split(" \\| ");
    }
}
