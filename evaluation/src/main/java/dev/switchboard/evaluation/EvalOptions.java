package dev.switchboard.evaluation;

import dev.switchboard.distill.IntentDataset;
import dev.switchboard.models.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every {@code eval intent|slots} run shares (a picocli mixin), and what follows from them:
 * the split file and where the HTML report goes.
 */
final class EvalOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--data", required = true, order = 0,
            description = "Dataset folder (JSONL per split); for intents also a fold file with --folds.")
    Path data;

    @Option(names = "--model", required = true, order = 1,
            description = "Model version folder, e.g. models/intent/banking77/v2 or models/slots/snips_bio/v1.")
    Path model;

    @Option(names = "--split", defaultValue = "test", order = 2,
            description = "test, validation (validation|valid|validate.jsonl) or train (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", order = 3, description = "Print one JSON object on stdout instead of the table.")
    boolean json;

    @Option(names = "--latency", defaultValue = "0", paramLabel = "N", order = 4,
            description = "Time N single-message calls on one thread, encoder included (intent: default off, 200 with "
                    + "--compare; slots: every message is timed, N limits the count).")
    int latency;

    @Option(names = "--report", paramLabel = "FILE", order = 5,
            description = "HTML report file (default: reports/<model name>-<version>-<split>.html under the project root).")
    Path report;

    @Option(names = "--no-report", order = 6, description = "Do not write the HTML report.")
    boolean noReport;

    /** Rejects contradictory options; the commands call it before any work. */
    void validate() {
        if (noReport && report != null) {
            throw new IllegalArgumentException("--report and --no-report contradict each other");
        }
        if (latency < 0) {
            throw new IllegalArgumentException("--latency must be >= 0, got " + latency);
        }
    }

    /** The command as typed, e.g. {@code switchboard eval intent --data ... --model ...}. */
    String commandLine() {
        return "switchboard " + String.join(" ", mixee.commandLine().getParseResult().originalArgs());
    }

    /** The JSONL file of {@link #split} in the {@link #data} folder. */
    Path splitFile() {
        if (!Files.isDirectory(data)) {
            throw new IllegalArgumentException("dataset folder " + data + " does not exist" + (Files.isRegularFile(data)
                    ? " (a fold file needs --folds)" : ""));
        }
        return IntentDataset.splitFile(data, split).orElseThrow(() -> new IllegalArgumentException(
                "dataset folder " + data + " has no " + (split.equals("validation")
                        ? String.join(" / ", IntentDataset.VALIDATION_FILES) : split + ".jsonl")));
    }

    /**
     * Where to write the report, or empty with {@code --no-report}. The default is relative to the project
     * root (system property {@code switchboard.home}, set by the launcher; else the working directory).
     *
     * @param splitName the split as named in the file name (e.g. {@code test}, or {@code folds-0-5-6-7})
     */
    Optional<Path> reportFile(ModelManifest manifest, String splitName) {
        validate();
        if (noReport) {
            return Optional.empty();
        }
        if (report != null) {
            return Optional.of(report);
        }
        String file = (manifest.name() + "-" + manifest.version() + "-" + splitName).replaceAll("[^A-Za-z0-9._-]", "-") + ".html";
        return Optional.of(Path.of(System.getProperty("switchboard.home", ".")).resolve("reports").resolve(file));
    }
}
