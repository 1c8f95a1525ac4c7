package dev.switchboard.distill;

import dev.switchboard.models.Encoders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options {@code train intent} and {@code train slots} share (a picocli mixin): data, output, seed,
 * encoder, the common optimisation options, and data preparation (anonymization, dedupe, the check
 * against held-out files). Options whose defaults differ between the two (patience, learning rate,
 * cache) stay in the commands.
 */
final class TrainDataOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--data", required = true, description = "Dataset folder with train.jsonl "
            + "[validation.jsonl|valid.jsonl|validate.jsonl] [test.jsonl] (train intent: or one JSONL file with \"fold\" "
            + "fields, with --folds).")
    Path data;

    @Option(names = "--out", description = "Models root (default: models/${COMMAND-NAME}).")
    Path out;

    @Option(names = "--name", description = "Model name (default: the dataset folder's or file's name).")
    String name;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--encoder", defaultValue = Encoders.DEFAULT_ID,
            description = "Encoder id (default: ${DEFAULT-VALUE}); train intent also takes ids joined with '+' "
                    + "(concatenated embeddings), train slots needs one that exposes token states.")
    String encoderId;

    @Option(names = "--epochs", defaultValue = "" + TrainingOptions.DEFAULT_MAX_EPOCHS,
            description = "Maximum epochs; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "" + TrainingOptions.DEFAULT_BATCH_SIZE,
            description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--validation-fraction", defaultValue = "0.1",
            description = "Share of train held out (per label for intents) when there is no validation file "
                    + "(default: ${DEFAULT-VALUE}).")
    double validationFraction;

    // fallbackValue: without it picocli makes "--anonymize" mean the opposite of a true default.
    @Option(names = "--anonymize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Replace e-mails, phone, card and IBAN numbers by placeholders in every split before training "
                    + "(default: on; --no-anonymize turns it off).")
    boolean anonymize;

    @Option(names = "--dedupe", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Drop duplicate train texts (case, whitespace, punctuation ignored), texts with conflicting labels "
                    + "and train texts that occur in validation/test (default: on; --no-dedupe turns it off).")
    boolean dedupe;

    @Option(names = "--held-out", paramLabel = "FILE",
            description = "A JSONL file ({\"text\"} or {\"tokens\"} lines) the model will be scored on; train refuses if "
                    + "any of its texts occurs in the training data (e.g. snips/ vs snips_bio/test.jsonl). Repeatable.")
    List<Path> heldOut = new ArrayList<>();

    DataPreparation preparation() {
        return new DataPreparation(anonymize, dedupe);
    }

    Path out() {
        return out != null ? out : Path.of("models", mixee.name());
    }

    String modelName() {
        return name != null ? name : data.toAbsolutePath().normalize().getFileName().toString().replaceFirst("\\.jsonl$", "");
    }

    /**
     * Prints the preparation report and any leakage warning of the dataset's SOURCE.md, then refuses
     * (IllegalArgumentException) when a {@code --held-out} file shares a text with {@code trainTexts} (train and
     * validation: both shape the model).
     *
     * @return manifest parameters: the report's, plus {@code held_out_checked} when files were given
     */
    Map<String, Object> checkAndReport(PreparationReport report, List<String> trainTexts, PrintWriter err) {
        report.lines().forEach(err::println);
        Path source = Files.isDirectory(data) ? data.resolve("SOURCE.md") : data.resolveSibling("SOURCE.md");
        if (Files.isRegularFile(source)) {
            readLines(source).stream().filter(l -> l.contains("LEAKAGE")).forEach(l -> err.println("note (" + source + "): "
                    + l.replaceFirst("^[-*\\s]+", "")));
        }
        err.flush();
        Set<String> train = new HashSet<>();
        trainTexts.forEach(t -> train.add(Deduplicator.key(t)));
        for (Path file : heldOut) {
            List<String> texts = heldOutTexts(file);
            long shared = texts.stream().filter(t -> train.contains(Deduplicator.key(t))).count();
            if (shared > 0) {
                throw new IllegalArgumentException(shared + " of " + texts.size() + " texts of --held-out " + file
                        + " also occur in the training or validation data (case, whitespace and punctuation ignored): scores on it would "
                        + "be inflated by leakage (see ../shared/datasets/README.md and the folders' SOURCE.md). Train on "
                        + "data disjoint from it, or score on another file.");
            }
            err.println("held-out " + file + ": " + texts.size() + " texts, none in the training data");
        }
        Map<String, Object> parameters = new LinkedHashMap<>(report.parameters());
        if (!heldOut.isEmpty()) {
            parameters.put("held_out_checked", String.join(",", heldOut.stream().map(Path::toString).toList()));
        }
        return parameters;
    }

    /** The texts of a JSONL file of any dataset shape: {@code "text"}, or {@code "tokens"} joined by spaces. */
    static List<String> heldOutTexts(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--held-out file " + file + " does not exist");
        }
        return JsonlReader.read(file, (node, line) -> node.has("tokens")
                ? String.join(" ", JsonlReader.strings(node.get("tokens"), "tokens"))
                : JsonlReader.text(node, "text"));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
