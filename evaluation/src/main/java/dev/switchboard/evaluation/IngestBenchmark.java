package dev.switchboard.evaluation;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.KnowledgeIndex;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench ingest}: is the index the bottleneck of ingestion? Compares, on the very same texts,
 * the encoder's raw throughput ({@link Encoder#embed(List)} on all texts in one call) with
 * {@link KnowledgeIndex#upsertAll(List)} of the documents those texts come from into a fresh index
 * (chunking, embedding, indexing, commit). Ratio = upsertAll texts/s ÷ raw texts/s; the issue's
 * target is ≥ 0.80.
 *
 * <p>"The same texts" are exactly what the index embeds ("title. section. chunk text" per chunk):
 * a first, untimed upsert into a scratch index with a {@link StubEncoder} records them and picks
 * the first {@link BenchCorpus} documents that give at least {@code --texts} texts. A second,
 * timed upsert with the stub measures the index alone (no model: seeded random unit vectors).
 * With {@code --rounds R}, raw and upsertAll alternate R times; the ratio uses their total times.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Ingestion throughput (KnowledgeIndex.upsertAll) vs the encoder's raw throughput on the same texts.")
final class IngestBenchmark implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--texts", description = "Chunk texts to embed (at least; whole documents) (default: ${DEFAULT-VALUE}).",
            defaultValue = "3000")
    int texts;

    @Option(names = "--encoder", description = "Encoder id (default: ${DEFAULT-VALUE}, the retrieval default).",
            defaultValue = KnowledgeIndex.DEFAULT_ENCODER_ID)
    String encoderId;

    @Option(names = "--threads", description = "Encoder workers (default: all cores).")
    Integer threads;

    @Option(names = "--rounds", description = "Raw/upsertAll alternations (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    int rounds;

    @Option(names = "--data", description = "Datasets root (default: ${DEFAULT-VALUE}).", defaultValue = "../shared/datasets")
    Path data;

    @Option(names = "--datasets", split = ",", description = "Corpora (default: ${DEFAULT-VALUE}).",
            defaultValue = "emanual_qa,covid_faq,covid_qa")
    List<String> datasets;

    @Option(names = "--seed", description = "Seed of the generated variants (default: ${DEFAULT-VALUE}).", defaultValue = "42")
    long seed;

    @Override
    public Integer call() throws IOException {
        if (texts < 1 || rounds < 1) {
            throw new IllegalArgumentException("--texts and --rounds must be >= 1");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        BenchCorpus corpus = BenchCorpus.load(data, datasets, seed);
        Path work = Files.createTempDirectory("switchboard-bench-ingest");
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        try (Encoder encoder = Encoders.load(encoderId, workers)) {
            // 1. Which documents, and exactly which texts the index embeds for them.
            List<Document> documents = new ArrayList<>();
            StubEncoder recorder = new StubEncoder(encoder.info(), true);
            int chunks;
            try (KnowledgeIndex scratch = KnowledgeIndex.open(work.resolve("select"), recorder)) {
                chunks = BenchIndex.fill(scratch, corpus.documents(), texts, documents::add, log)[0];
            }
            List<String> embedded = recorder.recorded();

            // 2. The index alone: same documents, no model.
            double stubSeconds = upsertSeconds(work.resolve("stub"), new StubEncoder(encoder.info(), false), documents, chunks);

            // 3. Raw encoder vs upsertAll, alternating.
            encoder.embed(embedded.subList(0, Math.min(64, embedded.size()))); // warm-up
            double[] raw = new double[rounds];
            double[] upsert = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t = System.nanoTime();
                encoder.embed(embedded);
                raw[r] = (System.nanoTime() - t) / 1e9;
                upsert[r] = upsertSeconds(work.resolve("index-" + r), encoder, documents, chunks);
            }

            int n = embedded.size();
            out.printf(Locale.ROOT, "texts: %,d chunk texts (%,d chunks) of %,d documents from %s; mean %.0f chars; encoder %s, "
                            + "%d workers; %d cores, JDK %s%n", n, chunks, documents.size(), String.join(",", datasets),
                    embedded.stream().mapToInt(String::length).average().orElse(0), encoderId, workers,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            out.println();
            out.println("| run | round | seconds | texts/s |");
            out.println("|---|---|---|---|");
            for (int r = 0; r < rounds; r++) {
                row(out, "encoder.embed (raw)", Integer.toString(r + 1), raw[r], n);
                row(out, "KnowledgeIndex.upsertAll", Integer.toString(r + 1), upsert[r], n);
            }
            row(out, "upsertAll, stub encoder (index only)", "-", stubSeconds, n);
            out.println();
            double ratio = sum(raw) / sum(upsert);
            out.printf(Locale.ROOT, "ratio upsertAll / raw encoder throughput: %.3f (target >= 0.80: %s)%n", ratio,
                    ratio >= 0.80 ? "met" : "NOT met");
            out.flush();
        } finally {
            BenchIndex.deleteRecursively(work);
        }
        return 0;
    }

    /** Seconds of one {@code upsertAll} of {@code documents} into a fresh index at {@code dir}. */
    private static double upsertSeconds(Path dir, Encoder encoder, List<Document> documents, int expectedChunks) {
        try (KnowledgeIndex index = KnowledgeIndex.open(dir, encoder)) {
            long t = System.nanoTime();
            index.upsertAll(documents);
            double seconds = (System.nanoTime() - t) / 1e9;
            if (index.chunkCount() != expectedChunks) {
                throw new IllegalStateException("upsertAll indexed " + index.chunkCount() + " chunks, the selection pass "
                        + expectedChunks);
            }
            return seconds;
        } finally {
            try {
                BenchIndex.deleteRecursively(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void row(PrintWriter out, String run, String round, double seconds, int n) {
        out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f |%n", run, round, seconds, n / seconds);
    }

    private static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s;
    }

    /**
     * Stands in for the model: a seeded random unit vector per text (seed = the text's hash), at
     * negligible cost, optionally recording every text it is asked to embed.
     */
    static final class StubEncoder implements Encoder {
        private final EncoderInfo info;
        private final List<String> recorded;

        StubEncoder(EncoderInfo info, boolean record) {
            this.info = info;
            this.recorded = record ? Collections.synchronizedList(new ArrayList<>()) : null;
        }

        List<String> recorded() {
            return List.copyOf(recorded);
        }

        @Override
        public EncoderInfo info() {
            return info;
        }

        @Override
        public float[][] embed(List<String> inputs) {
            if (recorded != null) {
                recorded.addAll(inputs);
            }
            float[][] out = new float[inputs.size()][];
            for (int i = 0; i < out.length; i++) {
                SplittableRandom random = new SplittableRandom(inputs.get(i).hashCode());
                float[] v = new float[info.dimension()];
                double norm = 0;
                for (int d = 0; d < v.length; d++) {
                    v[d] = (float) (random.nextDouble() * 2 - 1);
                    norm += v[d] * v[d];
                }
                float scale = (float) (1 / Math.sqrt(norm));
                for (int d = 0; d < v.length; d++) {
                    v[d] *= scale;
                }
                out[i] = v;
            }
            return out;
        }

        @Override
        public void close() {
        }
    }
}
