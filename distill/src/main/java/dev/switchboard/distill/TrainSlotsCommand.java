package dev.switchboard.distill;

import ai.djl.engine.Engine;
import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotModel;
import dev.switchboard.models.SlotTagger;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.TokenEncoding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train slots}: encodes a slot dataset's texts into token states with a frozen encoder,
 * aligns the gold spans to BIO tags over every word piece ({@link SlotAlignment}), trains a
 * {@link SlotTrainer} model and writes {@code <out>/<name>/v<N>} with manifest.json and
 * slots.safetensors. Progress on stderr, the new folder on stdout.
 */
@Command(name = "slots", mixinStandardHelpOptions = true,
        description = "Trains a slot tagger (BIO over word pieces, constrained Viterbi) on frozen token states.")
final class TrainSlotsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainDataOptions common;

    @Option(names = "--overlapping-spans", defaultValue = "warn",
            description = "Entity spans that overlap another: warn (reported, BIO keeps one) or error (default: ${DEFAULT-VALUE}).")
    String overlappingSpans;

    @Option(names = "--patience", defaultValue = "" + SlotTrainingOptions.DEFAULT_PATIENCE,
            description = "Epochs without a better validation score before stopping (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--lr", defaultValue = "" + SlotTrainingOptions.DEFAULT_LEARNING_RATE,
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--hidden", defaultValue = "0",
            description = "0 = linear head; N = one hidden ReLU layer of N units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--lstm", defaultValue = "" + SlotTrainingOptions.DEFAULT_LSTM,
            description = "0 = none; N = a bidirectional LSTM with N units per direction before the head (default: ${DEFAULT-VALUE}).")
    int lstm;

    @Option(names = "--lstm-layers", defaultValue = "1",
            description = "Stacked bidirectional LSTM layers when --lstm > 0 (default: ${DEFAULT-VALUE}).")
    int lstmLayers;

    @Option(names = "--window", defaultValue = "0",
            description = "Neighbouring piece states concatenated on each side (default: ${DEFAULT-VALUE}).")
    int window;

    // fallbackValue: without it picocli makes "--crf" mean the opposite of a true default.
    @Option(names = "--crf", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Learn CRF transition scores; --no-crf: softmax per piece + the constraint mask (default: ${DEFAULT-VALUE}).")
    boolean crf;

    @Option(names = "--dropout", defaultValue = "" + SlotTrainingOptions.DEFAULT_DROPOUT, description = "Dropout rate while training (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--word-constraint", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Decode entities on word boundaries only (default: ${DEFAULT-VALUE}).")
    boolean wordConstraint;

    @Option(names = "--lr-decay", defaultValue = "" + SlotTrainingOptions.DEFAULT_LR_DECAY,
            description = "Multiply the learning rate by this after each epoch without a better validation score (default: ${DEFAULT-VALUE}).")
    double lrDecay;

    @Option(names = "--monitor", defaultValue = "f1",
            description = "Validation score for early stopping and the kept epoch: loss or f1 (default: ${DEFAULT-VALUE}).")
    String monitor;

    @Option(names = "--members", defaultValue = "3",
            description = "Train this many models (seeds seed, seed+1, ...) and ship their ensemble (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--cache", description = "Folder to cache token states in (keyed by encoder and texts); none by default.")
    Path cache;

    @Option(names = "--threads", description = "Texts encoded in parallel (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        var options = new SlotTrainingOptions(common.seed, common.epochs, patience, common.batchSize, learningRate, common.weightDecay, hidden, lstm,
                lstmLayers, window, crf, dropout, wordConstraint, lrDecay,
                monitorF1());
        OptionChecks.atLeast("--members", members, 1);
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        OptionChecks.atLeast("threads", workers, 1);
        boolean rejectOverlaps = switch (overlappingSpans) {
            case "warn" -> false;
            case "error" -> true;
            default -> throw new IllegalArgumentException("--overlapping-spans must be warn or error, got '" + overlappingSpans + "'");
        };
        SlotDataset dataset = SlotDataset.load(common.data, common.validationFraction, common.seed, common.preparation(),
                rejectOverlaps);
        BioTagSet tagSet = BioTagSet.ofLabels(dataset.labels());
        String modelName = common.modelName();
        String validationSource = DatasetFolder.validationSource(dataset.validationFile(), common.validationFraction);
        err.printf(Locale.ROOT, "dataset %s: %d train, %d validation (%s), %d test, %d slot labels (%d BIO tags)%n", common.data,
                dataset.train().size(), dataset.validation().size(), validationSource, dataset.test().size(),
                dataset.labels().size(), tagSet.size());
        Map<String, Object> dataParameters = common.checkAndReport(dataset.preparation(),
                java.util.stream.Stream.concat(dataset.train().stream(), dataset.validation().stream())
                        .map(SlotExample::text).toList(), err);

        long start = System.nanoTime();
        SlotAlignment.Stats trainStats = new SlotAlignment.Stats();
        SlotAlignment.Stats validationStats = new SlotAlignment.Stats();
        List<TaggedSequence> train;
        List<TaggedSequence> validation;
        try (Encoder encoder = ConcatEncoder.load(common.encoderId, 1)) {
            try {
                train = sequences(encoder, dataset.train(), tagSet, workers, trainStats);
                validation = sequences(encoder, dataset.validation(), tagSet, workers, validationStats);
            } catch (UnsupportedOperationException e) {
                throw new IllegalArgumentException(e.getMessage() + "; a slot tagger needs them", e);
            }
            err.printf(Locale.ROOT, "token states of %d texts from %s%s in %.1f s%n",
                    dataset.train().size() + dataset.validation().size(), common.encoderId,
                    cache == null ? "" : " (cached in " + cache + ")", (System.nanoTime() - start) / 1e9);
            err.println(trainStats.line("train"));
            err.println(validationStats.line("validation"));
            err.flush();
        }
        List<SlotTrainingResult> results = new ArrayList<>();
        for (int j = 0; j < members; j++) {
            if (members > 1) {
                err.printf(Locale.ROOT, "member %d of %d (seed %d)%n", j + 1, members, common.seed + j);
            }
            SlotTrainingResult r = new SlotTrainer(options.withSeed(common.seed + j)).train(train, validation, tagSet, report -> {
                err.println(report.line());
                err.flush();
            });
            err.printf(Locale.ROOT, "best epoch %d of %d: val loss %.4f, val span P %.4f R %.4f F1 %.4f (word pieces)%n",
                    r.bestEpoch(), r.epochsRun(), r.validationLoss(), r.validationPrecision(), r.validationRecall(),
                    r.validationF1());
            results.add(r);
        }
        SlotTrainingResult result = results.getFirst();
        SlotModel model = members == 1 ? result.model()
                : SlotModel.ensemble(results.stream().map(SlotTrainingResult::model).toList());
        double[] prf = members == 1
                ? new double[] {result.validationPrecision(), result.validationRecall(), result.validationF1()}
                : SlotTrainer.spanScores(model, validation);
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "%s: val span P %.4f R %.4f F1 %.4f (word pieces); %.1f s in all%n",
                members == 1 ? "model" : "ensemble of " + members, prf[0], prf[1], prf[2], seconds);

        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("validation_precision", prf[0]);
        metrics.put("validation_recall", prf[1]);
        metrics.put("validation_f1", prf[2]);
        if (members == 1) {
            metrics.put("validation_loss", result.validationLoss());
        } else {
            for (int j = 0; j < members; j++) {
                metrics.put("member_" + j + "_validation_f1", results.get(j).validationF1());
                metrics.put("member_" + j + "_validation_loss", results.get(j).validationLoss());
            }
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("tagging", "BIO over every word piece");
        parameters.put("head", hidden == 0 ? "linear" : "mlp");
        parameters.put("hidden", hidden);
        parameters.put("lstm", lstm);
        parameters.put("lstm_layers", lstm == 0 ? 0 : lstmLayers);
        parameters.put("window", window);
        parameters.put("crf", crf);
        parameters.put("word_constraint", wordConstraint);
        parameters.put("dropout", dropout);
        parameters.put("optimizer", "adam");
        parameters.put("learning_rate", learningRate);
        parameters.put("lr_decay", lrDecay);
        parameters.put("monitor", monitor);
        parameters.put("weight_decay", common.weightDecay);
        parameters.put("batch_size", common.batchSize);
        parameters.put("max_epochs", common.epochs);
        parameters.put("patience", patience);
        parameters.put("members", members);
        parameters.put("epochs", results.stream().map(r -> Integer.toString(r.epochsRun())).collect(Collectors.joining(",")));
        parameters.put("best_epoch", results.stream().map(r -> Integer.toString(r.bestEpoch())).collect(Collectors.joining(",")));
        parameters.put("validation_source", validationSource);
        parameters.putAll(dataParameters);
        parameters.put("train_spans", trainStats.spans);
        parameters.put("train_spans_trimmed", trainStats.trimmed);
        parameters.put("train_spans_dropped_overlapping", trainStats.overlapping);
        parameters.put("train_spans_off_piece_boundaries", trainStats.unaligned);
        parameters.put("engine", "DJL " + Engine.getDjlVersion() + " PyTorch " + Engine.getEngine("PyTorch").getVersion());
        String codeVersion = ModelFolders.codeVersion();
        Path folder = ModelFolders.writeNextVersion(common.out(), modelName, (dir, version) -> {
            new ModelManifest(SlotTagger.KIND, modelName, version, common.encoderId, tagSet.tags(), common.seed,
                    new ModelManifest.DatasetInfo(common.data.toString(), dataset.sha256(), train.size(), validation.size(),
                            dataset.test().size()),
                    metrics, null, null, codeVersion, Instant.now(), parameters)
                    .write(dir.resolve(SlotTagger.MANIFEST_FILE));
            model.write(dir.resolve(SlotTagger.MODEL_FILE));
        });
        spec.commandLine().getOut().println(folder);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private boolean monitorF1() {
        return switch (monitor) {
            case "loss" -> false;
            case "f1" -> true;
            default -> throw new IllegalArgumentException("--monitor must be loss or f1, got '" + monitor + "'");
        };
    }

    /** Encodes and aligns; texts without any word piece are skipped (they have nothing to tag). */
    private List<TaggedSequence> sequences(Encoder encoder, List<SlotExample> examples, BioTagSet tagSet, int workers,
            SlotAlignment.Stats stats) {
        List<TokenEncoding> encodings = TokenStates.encode(encoder, examples.stream().map(SlotExample::text).toList(),
                workers, cache);
        List<TaggedSequence> sequences = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            TaggedSequence s = SlotAlignment.align(encodings.get(i), examples.get(i).spans(), tagSet, stats);
            if (s.length() > 0) {
                sequences.add(s);
            }
        }
        return sequences;
    }
}
