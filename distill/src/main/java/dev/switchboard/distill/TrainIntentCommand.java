package dev.switchboard.distill;

import ai.djl.engine.Engine;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train intent}: embeds a JSONL intent dataset with a frozen encoder, trains a head on it
 * ({@link IntentTrainer}) and writes {@code <out>/<name>/v<N>} with manifest.json and
 * head.safetensors. Progress on stderr, the new folder on stdout.
 */
@Command(name = "intent", mixinStandardHelpOptions = true,
        description = "Trains an intent classifier head on frozen encoder embeddings.")
final class TrainIntentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true,
            description = "Dataset folder with train.jsonl [validation.jsonl|valid.jsonl|validate.jsonl] [test.jsonl].")
    Path data;

    @Option(names = "--out", defaultValue = "models/intent", description = "Models root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", description = "Model name (default: the dataset folder's name).")
    String name;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--encoder", defaultValue = Encoders.DEFAULT_ID, description = "Encoder id (default: ${DEFAULT-VALUE}).")
    String encoderId;

    @Option(names = "--epochs", defaultValue = "" + TrainingOptions.DEFAULT_MAX_EPOCHS,
            description = "Maximum epochs; early stopping usually ends sooner (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "" + TrainingOptions.DEFAULT_PATIENCE,
            description = "Epochs without a lower validation loss before stopping (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--batch-size", defaultValue = "" + TrainingOptions.DEFAULT_BATCH_SIZE,
            description = "Examples per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "" + TrainingOptions.DEFAULT_LEARNING_RATE,
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--weight-decay", defaultValue = "" + TrainingOptions.DEFAULT_WEIGHT_DECAY,
            description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--hidden", defaultValue = "0",
            description = "0 = logistic head; N = one hidden ReLU layer of N units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--validation-fraction", defaultValue = "0.1",
            description = "Share of train held out per label when there is no validation file (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        var options = new TrainingOptions(seed, epochs, patience, batchSize, learningRate, weightDecay, hidden);
        IntentDataset dataset = IntentDataset.load(data, validationFraction, seed);
        String modelName = name != null ? name : data.toAbsolutePath().normalize().getFileName().toString();
        String validationSource = dataset.validationFile().map(f -> f.getFileName().toString())
                .orElse("split " + validationFraction + " of train.jsonl");
        err.printf(Locale.ROOT, "dataset %s: %d train, %d validation (%s), %d test, %d labels%n", data, dataset.train().size(),
                dataset.validation().size(), validationSource, dataset.test().size(), dataset.labels().size());
        err.flush();

        long start = System.nanoTime();
        TrainingResult result;
        try (Encoder encoder = Encoders.load(encoderId)) {
            float[][] trainX = encoder.embed(dataset.train().stream().map(IntentExample::text).toList());
            float[][] validX = encoder.embed(dataset.validation().stream().map(IntentExample::text).toList());
            err.printf(Locale.ROOT, "embedded %d texts with %s in %.1f s%n", trainX.length + validX.length, encoderId,
                    (System.nanoTime() - start) / 1e9);
            err.flush();
            result = new IntentTrainer(options).train(trainX, labelIndices(dataset.train(), dataset.labels()),
                    validX, labelIndices(dataset.validation(), dataset.labels()), dataset.labels().size(), r -> {
                        err.println(r.line());
                        err.flush();
                    });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "best epoch %d of %d: val loss %.4f (%.4f at temperature %.3f), val acc %.4f, val macro-F1 %.4f; "
                + "%.1f s in all%n", result.bestEpoch(), result.epochsRun(), result.validationLoss(),
                result.calibratedValidationLoss(), result.head().temperature(), result.validationAccuracy(),
                result.validationMacroF1(), seconds);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_accuracy", result.validationAccuracy());
        metrics.put("validation_macro_f1", result.validationMacroF1());
        metrics.put("validation_loss", result.validationLoss());
        metrics.put("validation_loss_calibrated", result.calibratedValidationLoss());
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("head", hidden == 0 ? "logistic" : "mlp");
        parameters.put("hidden", hidden);
        parameters.put("optimizer", "adam");
        parameters.put("learning_rate", learningRate);
        parameters.put("weight_decay", weightDecay);
        parameters.put("batch_size", batchSize);
        parameters.put("max_epochs", epochs);
        parameters.put("patience", patience);
        parameters.put("epochs", result.epochsRun());
        parameters.put("best_epoch", result.bestEpoch());
        parameters.put("temperature", result.head().temperature());
        parameters.put("validation_source", validationSource);
        parameters.put("engine", "DJL " + Engine.getDjlVersion() + " PyTorch " + Engine.getEngine("PyTorch").getVersion());
        String codeVersion = ModelFolders.codeVersion();
        Path folder = ModelFolders.writeNextVersion(out, modelName, (dir, version) -> {
            new ModelManifest(IntentClassifier.KIND, modelName, version, encoderId, dataset.labels(), seed,
                    new ModelManifest.DatasetInfo(data.toString(), dataset.sha256(), dataset.train().size(),
                            dataset.validation().size(), dataset.test().size()),
                    metrics, null, null, codeVersion, Instant.now(), parameters)
                    .write(dir.resolve(IntentClassifier.MANIFEST_FILE));
            result.head().write(dir.resolve(IntentClassifier.HEAD_FILE));
        });
        spec.commandLine().getOut().println(folder);
        spec.commandLine().getOut().flush();
        return 0;
    }

    static int[] labelIndices(List<IntentExample> examples, List<String> labels) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        return examples.stream().mapToInt(e -> index.get(e.label())).toArray();
    }
}
