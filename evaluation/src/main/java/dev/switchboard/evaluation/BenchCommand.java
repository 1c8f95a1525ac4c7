package dev.switchboard.evaluation;

import picocli.CommandLine.Command;

/** {@code bench}: benchmark programs. Their results are recorded in docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (programs, not tests).",
        subcommands = {EncoderBenchmark.class, EndToEndBenchmark.class,
                RetrievalBenchmark.class, GroundingBenchmark.class,
                IngestBenchmark.class, MultiLabelBenchmark.class, DistillationBenchmark.class})
final class BenchCommand {
}
