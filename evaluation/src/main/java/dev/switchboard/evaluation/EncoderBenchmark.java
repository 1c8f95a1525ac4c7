package dev.switchboard.evaluation;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench encoder}: bulk throughput of {@link Encoder#embed(List)} with every worker, and the
 * single-message latency on one thread (the serving case: one short message per request).
 */
@Command(name = "encoder", mixinStandardHelpOptions = true,
        description = "Encoder throughput (sentences/s) and single-message latency.")
final class EncoderBenchmark implements Callable<Integer> {

    @Option(names = "--encoder", description = "Encoder ids, comma-separated (default: ${DEFAULT-VALUE}).",
            split = ",", defaultValue = Encoders.DEFAULT_ID)
    List<String> encoders;

    @Option(names = "--data", description = "JSONL file with a \"text\" field (default: ${DEFAULT-VALUE}).",
            defaultValue = "../shared/datasets/banking77/test.jsonl")
    Path data;

    @Option(names = "--texts", description = "Texts for the throughput run (default: ${DEFAULT-VALUE}).", defaultValue = "3000")
    int texts;

    @Option(names = "--latency-samples", description = "Single-message calls timed (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    int latencySamples;

    @Option(names = "--threads", description = "Workers for the throughput run (default: all cores).")
    Integer threads;

    @Override
    public Integer call() {
        List<String> inputs = BenchmarkTexts.read(data, Math.max(texts, latencySamples));
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        System.out.printf("inputs: %s (%d texts), %d cores, JDK %s%n", data, texts,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        System.out.printf("%-22s %8s %14s %12s %12s %12s%n", "encoder", "workers", "sentences/s", "p50 ms", "p99 ms", "mean ms");
        for (String id : encoders) {
            double throughput;
            try (Encoder bulk = Encoders.load(id, workers)) {
                bulk.embed(inputs.subList(0, Math.min(200, inputs.size()))); // warm-up
                long start = System.nanoTime();
                bulk.embed(inputs.subList(0, texts));
                throughput = texts / ((System.nanoTime() - start) / 1e9);
            }
            LatencyStats single;
            try (Encoder one = Encoders.load(id, 1)) {
                for (int i = 0; i < 100; i++) {
                    one.embed(inputs.get(i));
                }
                long[] nanos = new long[latencySamples];
                for (int i = 0; i < latencySamples; i++) {
                    long t = System.nanoTime();
                    one.embed(inputs.get(i));
                    nanos[i] = System.nanoTime() - t;
                }
                single = LatencyStats.ofNanos(nanos);
            }
            System.out.printf("%-22s %8d %14.0f %12.2f %12.2f %12.2f%n", id, workers, throughput,
                    single.p50Ms(), single.p99Ms(), single.meanMs());
        }
        return 0;
    }
}
