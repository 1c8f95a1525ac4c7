package dev.switchboard.evaluation;

import dev.switchboard.distill.FoldSplit;
import dev.switchboard.distill.MultiLabelDataset;
import dev.switchboard.distill.MultiLabelExample;
import dev.switchboard.distill.MultiLabelMetrics;
import dev.switchboard.distill.MultiLabelTrainer;
import dev.switchboard.distill.TrainingOptions;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench multi-label}: cross-validates multi-label intent training on a fold file (NLU++'s
 * {@code banking.jsonl} / {@code hotels.jsonl}, 20 folds) and prints micro-F1, macro-F1 and exact match
 * per round and their mean and standard deviation. Setups:
 * <ul>
 *   <li>{@code large}: 10 rounds; round i tests on folds {2i, 2i+1}, validates (early stopping,
 *       thresholds) on {2i+2, 2i+3} mod 20 and trains on the other 16 folds (80% of the data);</li>
 *   <li>{@code low}: 20 rounds; round i trains on fold i, validates on fold i+1 mod 20 and tests on the
 *       other 18 folds.</li>
 * </ul>
 * The text embeddings are computed once per file.
 */
@Command(name = "multi-label", mixinStandardHelpOptions = true,
        description = "Cross-validated multi-label intent detection on a fold file (NLU++).")
final class MultiLabelBenchmark implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "JSONL file with text, intents and fold (e.g. ../shared/datasets/nlupp/banking.jsonl).")
    Path data;

    @Option(names = "--setup", defaultValue = "large", description = "large or low (default: ${DEFAULT-VALUE}).")
    String setup;

    @Option(names = "--encoder", defaultValue = Encoders.DEFAULT_ID, description = "Encoder id(s), '+'-joined (default: ${DEFAULT-VALUE}).")
    String encoderId;

    @Option(names = "--thresholds", defaultValue = "global", description = "global or per-label (default: ${DEFAULT-VALUE}).")
    String thresholds;

    @Option(names = "--lr", defaultValue = "" + TrainingOptions.DEFAULT_LEARNING_RATE, description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--hidden", defaultValue = "0", description = "Hidden units, 0 = linear (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Round i's split for a setup, over 20 folds. */
    static FoldSplit split(String setup, int round) {
        return switch (setup) {
            case "large" -> FoldSplit.parse(range(except(20, 2 * round, 2 * round + 1, (2 * round + 2) % 20, (2 * round + 3) % 20))
                    + "/" + (2 * round + 2) % 20 + "," + (2 * round + 3) % 20 + "/" + 2 * round + "," + (2 * round + 1));
            case "low" -> FoldSplit.parse(round + "/" + (round + 1) % 20 + "/" + range(except(20, round, (round + 1) % 20)));
            default -> throw new IllegalArgumentException("--setup must be large or low, got '" + setup + "'");
        };
    }

    static int rounds(String setup) {
        return setup.equals("large") ? 10 : 20;
    }

    @Override
    public Integer call() {
        MultiLabelTrainer.ThresholdMode mode = switch (thresholds) {
            case "global" -> MultiLabelTrainer.ThresholdMode.GLOBAL;
            case "per-label" -> MultiLabelTrainer.ThresholdMode.PER_LABEL;
            default -> throw new IllegalArgumentException("--thresholds must be global or per-label, got '" + thresholds + "'");
        };
        split(setup, 0);
        Map<String, float[]> embedding = new HashMap<>();
        List<String> texts = MultiLabelDataset.rowsOf(data).stream().map(MultiLabelExample::text).distinct().toList();
        long t0 = System.nanoTime();
        try (Encoder encoder = ConcatEncoder.load(encoderId)) {
            float[][] x = encoder.embed(texts);
            for (int i = 0; i < x.length; i++) {
                embedding.put(texts.get(i), x[i]);
            }
        }
        System.out.printf(Locale.ROOT, "%s, setup %s, encoder %s, thresholds %s, lr %s, hidden %d: %d texts embedded in %.1f s%n",
                data, setup, encoderId, thresholds, learningRate, hidden, texts.size(), (System.nanoTime() - t0) / 1e9);
        System.out.printf(Locale.ROOT, "%5s %7s %6s %6s %9s %9s %11s %8s%n", "round", "train", "valid", "test", "micro-F1",
                "macro-F1", "exact match", "train s");
        List<double[]> scores = new ArrayList<>();
        for (int round = 0; round < rounds(setup); round++) {
            MultiLabelDataset d = MultiLabelDataset.loadFolds(data, split(setup, round));
            long t = System.nanoTime();
            var options = new TrainingOptions(seed, TrainingOptions.DEFAULT_MAX_EPOCHS, TrainingOptions.DEFAULT_PATIENCE,
                    TrainingOptions.DEFAULT_BATCH_SIZE, learningRate, 0, hidden);
            MultiLabelTrainer.Result r = new MultiLabelTrainer(options, mode).train(matrix(d.train(), embedding),
                    MultiLabelDataset.multiHot(d.train(), d.labels()), matrix(d.validation(), embedding),
                    MultiLabelDataset.multiHot(d.validation(), d.labels()), e -> { });
            double seconds = (System.nanoTime() - t) / 1e9;
            IntentModel model = IntentModel.of(r.head(), null, null, 0, r.thresholds());
            MultiLabelMetrics m = MultiLabelMetrics.of(model, d.labels(), d.test(), matrix(d.test(), embedding));
            scores.add(new double[] {m.microF1(), m.macroF1(), m.exactMatch(), seconds});
            System.out.printf(Locale.ROOT, "%5d %7d %6d %6d %9.4f %9.4f %11.4f %8.1f%n", round, d.train().size(),
                    d.validation().size(), d.test().size(), m.microF1(), m.macroF1(), m.exactMatch(), seconds);
        }
        System.out.printf(Locale.ROOT, "mean ± std over %d rounds: micro-F1 %s, macro-F1 %s, exact match %s; train %.1f s per round%n",
                scores.size(), meanStd(scores, 0), meanStd(scores, 1), meanStd(scores, 2),
                scores.stream().mapToDouble(s -> s[3]).average().orElse(0));
        return 0;
    }

    private static String meanStd(List<double[]> scores, int column) {
        double mean = scores.stream().mapToDouble(s -> s[column]).average().orElse(0);
        double var = scores.stream().mapToDouble(s -> (s[column] - mean) * (s[column] - mean)).sum() / Math.max(1, scores.size() - 1);
        return String.format(Locale.ROOT, "%.4f ± %.4f", mean, Math.sqrt(var));
    }

    private static float[][] matrix(List<MultiLabelExample> examples, Map<String, float[]> embedding) {
        return examples.stream().map(e -> embedding.get(e.text())).toArray(float[][]::new);
    }

    private static List<Integer> except(int n, int... excluded) {
        List<Integer> out = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            final int fold = f;
            if (java.util.Arrays.stream(excluded).noneMatch(e -> e == fold)) {
                out.add(f);
            }
        }
        return out;
    }

    private static String range(List<Integer> folds) {
        return String.join(",", folds.stream().map(String::valueOf).toList());
    }
}
