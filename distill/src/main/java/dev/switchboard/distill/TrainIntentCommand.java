package dev.switchboard.distill;

import ai.djl.engine.Engine;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.IntentModel;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.MultiLabelClassifier;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train intent}: trains an intent classifier on frozen encoder embeddings and writes
 * {@code <out>/<name>/v<N>} with manifest.json and head.safetensors. Single-label data
 * ({@code {"text","label"}}) goes through {@link IntentPipeline} (head, optional adapter, n-grams,
 * synthetic outliers and a calibrated rejection rule when the data has an out-of-scope label);
 * multi-label data ({@code {"text","intents"}}, detected from the first line, or {@code --multi-label})
 * through {@link MultiLabelTrainer}. Progress on stderr, the new folder on stdout.
 */
@Command(name = "intent", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains an intent classifier on frozen encoder embeddings.")
final class TrainIntentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainDataOptions common;

    @Mixin
    AugmentOptions augmentation;

    @Option(names = "--folds", description = "With a fold file: TRAIN/VALIDATION[/TEST] folds, e.g. 0-15/16-17/18-19.")
    String folds;

    @Option(names = "--patience", defaultValue = "" + TrainingOptions.DEFAULT_PATIENCE,
            description = "Epochs without a lower validation loss before stopping (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--lr", defaultValue = "" + TrainingOptions.DEFAULT_LEARNING_RATE,
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--hidden", defaultValue = "0",
            description = "0 = logistic head; N = one hidden ReLU layer of N units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--class-weights", description = "Weigh the loss by inverse label frequency.")
    boolean classWeights;

    @Option(names = "--ngrams", defaultValue = "0", paramLabel = "BITS",
            description = "Add a hashed word/char n-gram head with 2^BITS buckets, fused on validation; 0 = none (default: ${DEFAULT-VALUE}).")
    int ngramBits;

    @Option(names = "--ngram-epochs", defaultValue = "" + NgramTrainer.DEFAULT_MAX_EPOCHS,
            description = "Maximum n-gram epochs (default: ${DEFAULT-VALUE}).")
    int ngramEpochs;

    @Option(names = "--ngram-patience", defaultValue = "" + NgramTrainer.DEFAULT_PATIENCE,
            description = "N-gram epochs without a lower in-scope validation loss before stopping (default: ${DEFAULT-VALUE}).")
    int ngramPatience;

    @Option(names = "--adapter", description = "Train a low-rank residual adapter contrastively before the head.")
    boolean adapter;

    @Option(names = "--adapter-rank", defaultValue = "" + AdapterOptions.DEFAULT_RANK, description = "Adapter rank (default: ${DEFAULT-VALUE}).")
    int adapterRank;

    @Option(names = "--adapter-epochs", defaultValue = "" + AdapterOptions.DEFAULT_EPOCHS,
            description = "Adapter epochs (default: ${DEFAULT-VALUE}).")
    int adapterEpochs;

    @Option(names = "--adapter-lr", defaultValue = "" + AdapterOptions.DEFAULT_LEARNING_RATE,
            description = "Adapter learning rate (default: ${DEFAULT-VALUE}).")
    double adapterLearningRate;

    @Option(names = "--adapter-loss", defaultValue = "supcon", description = "supcon or pairs (default: ${DEFAULT-VALUE}).")
    String adapterLoss;

    @Option(names = "--adapter-temperature", defaultValue = "" + AdapterOptions.DEFAULT_TEMPERATURE,
            description = "Supervised contrastive temperature (default: ${DEFAULT-VALUE}).")
    double adapterTemperature;

    @Option(names = "--oos-label", defaultValue = "oos",
            description = "Label meaning out of scope; when the data has it, a rejection rule is calibrated (default: ${DEFAULT-VALUE}).")
    String oosLabel;

    @Option(names = "--synthetic-oos", defaultValue = "0.15",
            description = "Synthetic out-of-scope examples per in-scope one, when the data has the out-of-scope label (default: ${DEFAULT-VALUE}).")
    double syntheticOos;

    @Option(names = "--rejection-score", defaultValue = "auto",
            description = "auto (any of the following), max_probability, energy, centroid or combined: the rejection "
                    + "score(s) calibration may pick (default: ${DEFAULT-VALUE}).")
    String rejectionScore;

    @Option(names = "--min-oos-recall", defaultValue = "0",
            description = "0: pick the rejection rule maximising (in-scope accuracy + OOS recall)/2 on validation; R > 0: "
                    + "the best in-scope accuracy whose validation OOS recall has a 95%% Wilson lower bound >= R "
                    + "(default: ${DEFAULT-VALUE}).")
    double minOosRecall;

    @Option(names = "--multi-label", description = "Force multi-label training (detected from an \"intents\" field otherwise).")
    boolean multiLabel;

    @Option(names = "--thresholds", defaultValue = "global",
            description = "Multi-label thresholds: global or per-label, tuned on validation (default: ${DEFAULT-VALUE}).")
    String thresholds;

    @Option(names = "--cache", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Cache embeddings under .cache/embeddings, keyed by encoder id and text hash (default: on).")
    boolean cache;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        var options = new TrainingOptions(common.seed, common.epochs, patience, common.batchSize, learningRate, common.weightDecay, hidden, classWeights);
        Path probe = Files.isDirectory(common.data) ? common.data.resolve("train.jsonl") : common.data;
        if (!Files.exists(common.data)) {
            throw new IllegalArgumentException("dataset " + common.data + " does not exist");
        }
        boolean multi = multiLabel || (Files.isRegularFile(probe) && MultiLabelDataset.isMultiLabel(probe));
        String modelName = common.modelName();
        EmbeddingCache embeddings = new EmbeddingCache(cache ? Optional.of(EmbeddingCache.defaultDir()) : Optional.empty());
        long start = System.nanoTime();
        return multi ? trainMultiLabel(options, modelName, embeddings, err, start)
                : trainSingleLabel(options, modelName, embeddings, err, start);
    }

    private int trainSingleLabel(TrainingOptions options, String modelName, EmbeddingCache embeddings, PrintWriter err,
            long start) {
        if (folds != null) {
            throw new IllegalArgumentException("--folds is for multi-label fold files");
        }
        IntentDataset dataset = IntentDataset.load(common.data, common.validationFraction, common.seed, common.preparation());
        String validationSource = DatasetFolder.validationSource(dataset.validationFile(), common.validationFraction);
        err.printf(Locale.ROOT, "dataset %s: %d train, %d validation (%s), %d test, %d labels%n", common.data, dataset.train().size(),
                dataset.validation().size(), validationSource, dataset.test().size(), dataset.labels().size());
        Map<String, Object> dataParameters = common.checkAndReport(dataset.preparation(),
                java.util.stream.Stream.concat(dataset.train().stream(), dataset.validation().stream())
                        .map(IntentExample::text).toList(), err);
        dataset = augmentation.apply(dataset, common.seed, dataParameters, err);
        Optional<AdapterOptions> adapterOptions = adapter ? Optional.of(new AdapterOptions(common.seed, adapterRank, adapterEpochs,
                adapterLearningRate, 0, AdapterOptions.Loss.of(adapterLoss), adapterTemperature, 16, 4)) : Optional.empty();
        var settings = new IntentPipeline.Settings(options, adapterOptions, ngramBits, ngramEpochs, ngramPatience, oosLabel,
                syntheticOos, rejectionScores(), minOosRecall);
        IntentPipeline.Outcome outcome;
        try (Encoder encoder = ConcatEncoder.load(common.encoderId)) {
            outcome = new IntentPipeline(settings, embeddings, line -> {
                err.println(line);
                err.flush();
            }).train(dataset, encoder);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "validation: accuracy %.4f, macro-F1 %.4f, loss %.4f at T %.3f; %.1f s in all%n",
                outcome.metrics().get("validation_accuracy"), outcome.metrics().get("validation_macro_f1"),
                outcome.metrics().get("validation_loss_calibrated"), outcome.model().head().temperature(), seconds);

        Map<String, Object> parameters = commonParameters();
        parameters.put("validation_source", validationSource);
        parameters.putAll(dataParameters);
        parameters.putAll(outcome.parameters());
        parameters.put("train_seconds", Math.round(seconds * 10) / 10.0);
        var info = new ModelManifest.DatasetInfo(common.data.toString(), dataset.sha256(), dataset.train().size(),
                dataset.validation().size(), dataset.test().size());
        write(IntentClassifier.KIND, modelName, dataset.labels(), info, outcome.metrics(), parameters,
                outcome.rejection().orElse(null), outcome.model());
        return 0;
    }

    private int trainMultiLabel(TrainingOptions options, String modelName, EmbeddingCache embeddings, PrintWriter err,
            long start) {
        if (ngramBits != 0 || adapter || augmentation.active()) {
            throw new IllegalArgumentException("--ngrams, --adapter, --augment and --paraphrase are for single-label data");
        }
        MultiLabelTrainer.ThresholdMode mode = switch (thresholds) {
            case "global" -> MultiLabelTrainer.ThresholdMode.GLOBAL;
            case "per-label" -> MultiLabelTrainer.ThresholdMode.PER_LABEL;
            default -> throw new IllegalArgumentException("--thresholds must be global or per-label, got '" + thresholds + "'");
        };
        MultiLabelDataset dataset;
        if (folds != null) {
            if (!Files.isRegularFile(common.data)) {
                throw new IllegalArgumentException("--folds needs --data to be a JSONL file with \"fold\" fields");
            }
            dataset = MultiLabelDataset.loadFolds(common.data, FoldSplit.parse(folds), common.preparation());
        } else {
            dataset = MultiLabelDataset.loadFolder(common.data, common.validationFraction, common.seed, common.preparation());
        }
        err.printf(Locale.ROOT, "dataset %s (multi-label%s): %d train, %d validation, %d test, %d labels%n", common.data,
                folds == null ? "" : ", folds " + folds, dataset.train().size(), dataset.validation().size(),
                dataset.test().size(), dataset.labels().size());
        Map<String, Object> dataParameters = common.checkAndReport(dataset.preparation(),
                java.util.stream.Stream.concat(dataset.train().stream(), dataset.validation().stream())
                        .map(MultiLabelExample::text).toList(), err);
        MultiLabelTrainer.Result result;
        float[][] validX;
        try (Encoder encoder = ConcatEncoder.load(common.encoderId)) {
            float[][] trainX = embeddings.embed(encoder, dataset.train().stream().map(MultiLabelExample::text).toList());
            validX = embeddings.embed(encoder, dataset.validation().stream().map(MultiLabelExample::text).toList());
            err.printf(Locale.ROOT, "embedded %d texts with %s in %.1f s%n", trainX.length + validX.length, common.encoderId,
                    (System.nanoTime() - start) / 1e9);
            result = new MultiLabelTrainer(options, mode).train(trainX,
                    MultiLabelDataset.multiHot(dataset.train(), dataset.labels()), validX,
                    MultiLabelDataset.multiHot(dataset.validation(), dataset.labels()), r -> {
                        err.println(r.progressLine("val micro-F1@0.5"));
                        err.flush();
                    });
        }
        IntentModel model = IntentModel.of(result.head(), null, null, 0, result.thresholds());
        MultiLabelMetrics valid = MultiLabelMetrics.of(model, dataset.labels(), dataset.validation(), validX);
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "best epoch %d of %d: val BCE %.4f; validation micro-F1 %.4f, macro-F1 %.4f, exact match %.4f; "
                + "%.1f s in all%n", result.bestEpoch(), result.epochsRun(), result.validationLoss(), valid.microF1(),
                valid.macroF1(), valid.exactMatch(), seconds);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_micro_f1", valid.microF1());
        metrics.put("validation_macro_f1", valid.macroF1());
        metrics.put("validation_exact_match", valid.exactMatch());
        metrics.put("validation_loss", result.validationLoss());
        Map<String, Object> parameters = commonParameters();
        parameters.putAll(dataParameters);
        parameters.put("output", "sigmoid");
        parameters.put("thresholds", thresholds);
        if (folds != null) {
            parameters.put("folds", FoldSplit.parse(folds).toString());
        }
        parameters.put("epochs", result.epochsRun());
        parameters.put("best_epoch", result.bestEpoch());
        parameters.put("train_seconds", Math.round(seconds * 10) / 10.0);
        var info = new ModelManifest.DatasetInfo(common.data.toString(), dataset.sha256(), dataset.train().size(),
                dataset.validation().size(), dataset.test().size());
        write(MultiLabelClassifier.KIND, modelName, dataset.labels(), info, metrics, parameters, null, model);
        return 0;
    }

    private Map<String, Object> commonParameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("head", hidden == 0 ? "logistic" : "mlp");
        parameters.put("hidden", hidden);
        parameters.put("optimizer", "adam");
        parameters.put("learning_rate", learningRate);
        parameters.put("weight_decay", common.weightDecay);
        parameters.put("batch_size", common.batchSize);
        parameters.put("max_epochs", common.epochs);
        parameters.put("patience", patience);
        parameters.put("class_weights", classWeights);
        parameters.put("engine", "DJL " + Engine.getDjlVersion() + " PyTorch " + Engine.getEngine("PyTorch").getVersion());
        return parameters;
    }

    private void write(String kind, String modelName, List<String> labels, ModelManifest.DatasetInfo info,
            Map<String, Double> metrics, Map<String, Object> parameters, ModelManifest.Rejection rejection, IntentModel model) {
        String codeVersion = ModelFolders.codeVersion();
        Path folder = ModelFolders.writeNextVersion(common.out(), modelName, (dir, version) -> {
            new ModelManifest(kind, modelName, version, common.encoderId, labels, common.seed, info, metrics, null, null, codeVersion,
                    Instant.now(), parameters, rejection).write(dir.resolve(IntentClassifier.MANIFEST_FILE));
            model.write(dir.resolve(IntentClassifier.HEAD_FILE));
        });
        spec.commandLine().getOut().println(folder);
        spec.commandLine().getOut().flush();
    }

    private List<String> rejectionScores() {
        if (rejectionScore.equals("auto")) {
            List<String> all = new java.util.ArrayList<>(ModelManifest.Rejection.SINGLE);
            all.add(ModelManifest.Rejection.COMBINED);
            return all;
        }
        if (!ModelManifest.Rejection.SINGLE.contains(rejectionScore) && !rejectionScore.equals(ModelManifest.Rejection.COMBINED)) {
            throw new IllegalArgumentException("--rejection-score must be auto, max_probability, energy, centroid or combined, "
                    + "got '" + rejectionScore + "'");
        }
        return List.of(rejectionScore);
    }

    static int[] labelIndices(List<IntentExample> examples, List<String> labels) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        return examples.stream().mapToInt(e -> index.get(e.label())).toArray();
    }
}
