package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.EncoderInfo;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.Pooling;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A tiny-scale run of {@code bench ingest}: output shape, never timings. */
class IngestBenchmarkTest {

    @Test
    void printsRawUpsertAndIndexOnlyRowsAndTheRatio() {
        RetrievalBenchmarkTest.Run run = RetrievalBenchmarkTest.bench("bench", "ingest", "--texts", "60", "--rounds", "2",
                "--threads", "2", "--data", BenchCorpusTest.DATASETS.toString(), "--encoder", Encoders.DEFAULT_ID);
        assertEquals(0, run.exit(), run.err());
        Matcher header = Pattern.compile("texts: ([0-9,]+) chunk texts \\(([0-9,]+) chunks\\) of ([0-9,]+) documents").matcher(run.out());
        assertTrue(header.find(), run.out());
        int texts = Integer.parseInt(header.group(1).replace(",", ""));
        assertTrue(texts >= 60, "at least --texts texts: " + texts);
        assertEquals(header.group(1), header.group(2), "a fresh index embeds each chunk once");

        List<String> rows = run.out().lines().filter(l -> l.startsWith("| ") && !l.startsWith("| run")).toList();
        Pattern row = Pattern.compile("\\| (.+) \\| (-|[12]) \\| ([0-9.]+) \\| ([0-9.]+) \\|");
        assertEquals(List.of("encoder.embed (raw) 1", "KnowledgeIndex.upsertAll 1", "encoder.embed (raw) 2",
                "KnowledgeIndex.upsertAll 2", "upsertAll, stub encoder (index only) -"), rows.stream().map(r -> {
                    Matcher m = row.matcher(r);
                    assertTrue(m.matches(), r);
                    double seconds = Double.parseDouble(m.group(3));
                    double perSecond = Double.parseDouble(m.group(4));
                    assertTrue(seconds > 0 && perSecond > 0, r);
                    // seconds are printed to 2 decimals: the rate must fit some time that rounds to them
                    double fastest = texts / Math.max(seconds - 0.005, 1e-9);
                    double slowest = texts / (seconds + 0.005);
                    assertTrue(perSecond >= slowest - 0.1 && perSecond <= fastest + 0.1, "texts/s = texts / seconds: " + r);
                    return m.group(1) + " " + m.group(2);
                }).toList());
        assertTrue(Pattern.compile("ratio upsertAll / raw encoder throughput: [0-9.]+ \\(target >= 0\\.80: (met|NOT met)\\)")
                .matcher(run.out()).find(), run.out());
    }

    @Test
    void theStubEncoderGivesSeededUnitVectorsAndRecordsItsInputs() {
        EncoderInfo info = new EncoderInfo("stub", 8, Pooling.MEAN, 512, "");
        IngestBenchmark.StubEncoder stub = new IngestBenchmark.StubEncoder(info, true);
        float[][] a = stub.embed(List.of("one text", "another"));
        float[][] b = new IngestBenchmark.StubEncoder(info, false).embed(List.of("one text"));
        assertArrayEquals(a[0], b[0], "same text, same vector");
        assertNotEquals(a[0][0], a[1][0]);
        for (float[] v : a) {
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertEquals(1.0, norm, 1e-5);
        }
        assertEquals(List.of("one text", "another"), stub.recorded());
    }
}
