package dev.switchboard.distill;

import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.Prediction;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code distill}: builds a teacher (or loads one with {@code --teacher-model}), then runs the
 * {@link Distiller}: writes {@code <out>/<name>-student}, {@code -tiny} and {@code -cascade} versions.
 * With {@code --from-texts FILE --serving DIR}: relabels the texts with the teacher, retrains only the
 * student with them as extra unlabeled text, scores student and serving model on the dataset's test split
 * (accuracy with rejection, {@link Distiller#correct}) and prints {@code promote} if the student is not
 * worse, {@code keep} otherwise. With {@code --from-logs PATH --model kind/name}: the same on the runtime's
 * decision logs ({@link TrafficLog}) against the registry's serving version, and "promote" then really
 * publishes the student as the model's next version and promotes it ({@link ModelRegistry#promote}, atomic;
 * the runtime hot-swaps it). Progress on stderr; the new folders and the verdict on stdout.
 */
@Command(name = "distill", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Distills a teacher into a MiniLM student, a tiny n-gram student and a cascade.")
final class DistillCommand implements Callable<Integer> {

    /** Share of train held out for validation when the dataset has no validation file. */
    private static final double VALIDATION_FRACTION = 0.1;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset folder (train.jsonl [validation.jsonl] [test.jsonl]).")
    Path data;

    @Option(names = "--teacher", defaultValue = "bge", description = "bge, ensemble or llm (default: ${DEFAULT-VALUE}).")
    String teacherKind;

    @Option(names = "--teacher-model", description = "Use this trained intent model folder as the teacher (repeat for "
            + "--teacher ensemble) instead of training one.")
    List<Path> teacherModels = new ArrayList<>();

    @Option(names = "--out", defaultValue = "models/intent", description = "Models root (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--name", description = "Model name prefix (default: the dataset folder's name).")
    String name;

    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--unlabeled", description = "JSONL with a \"text\" field per line (other fields ignored), used as "
            + "extra unlabeled text for the teacher to label; repeatable (e.g. other datasets' train files, so that "
            + "the students also see texts the teacher declines as out of scope).")
    List<Path> unlabeled = new ArrayList<>();

    @Option(names = "--unlabeled-max", description = "Use at most this many --unlabeled texts, a seeded sample "
            + "(default: all).")
    Integer unlabeledMax;

    @Option(names = "--from-texts", description = "JSONL of {\"text\"} lines (e.g. logged traffic) to relabel with the "
            + "teacher; retrains the student and compares it with --serving.")
    Path fromTexts;

    @Option(names = "--serving", description = "With --from-texts: the serving model folder to compare with.")
    Path serving;

    @Option(names = "--from-logs", description = "The runtime's decision logs (a decisions-*.jsonl file or the folder "
            + "holding them, e.g. data/logs): relabel their texts with the teacher, retrain the student, and promote it "
            + "in the registry if it is not worse than the serving version on the test split. Needs --model.")
    Path fromLogs;

    @Option(names = "--model", description = "With --from-logs: the registry model to compare with and promote into, "
            + "kind/name (e.g. intent/banking77).")
    String registryModel;

    @Option(names = "--registry", defaultValue = ModelRegistry.DEFAULT_ROOT,
            description = "With --from-logs: the registry root (default: ${DEFAULT-VALUE}).")
    Path registryRoot;

    @Option(names = "--augment", defaultValue = "1", description = "Augmented copies per training text (default: ${DEFAULT-VALUE}).")
    int augment;

    @Option(names = "--alpha", defaultValue = "" + DistillationLoss.DEFAULT_ALPHA,
            description = "Weight of the KL term on labeled text (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--temperature", defaultValue = "" + DistillationLoss.DEFAULT_TEMPERATURE,
            description = "Distillation temperature T (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--student-encoder", defaultValue = "all-minilm-l6-v2-q", description = "Student encoder (default: ${DEFAULT-VALUE}).")
    String studentEncoder;

    @Option(names = "--ngrams", defaultValue = "13", description = "Student n-gram bits, 0 = none (default: ${DEFAULT-VALUE}).")
    int ngrams;

    @Option(names = "--tiny-ngrams", defaultValue = "13", description = "Tiny student n-gram bits (default: ${DEFAULT-VALUE}).")
    int tinyNgrams;

    @Option(names = "--keep", defaultValue = "1.0", description = "Share of the student's validation accuracy (and OOS "
            + "recall) the cascade keeps: the lowest escalation threshold that does is chosen (default: ${DEFAULT-VALUE}, "
            + "no loss on validation).")
    double keep;

    @Option(names = "--llm-url", description = "--teacher llm: OpenAI-compatible API root, e.g. https://api.openai.com/v1.")
    String llmUrl;

    @Option(names = "--llm-model", description = "--teacher llm: model name.")
    String llmModel;

    @Option(names = "--llm-key-env", defaultValue = "OPENAI_API_KEY", description = "--teacher llm: environment variable "
            + "holding the API key (default: ${DEFAULT-VALUE}).")
    String llmKeyEnv;

    @Option(names = "--cache", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Cache embeddings under .cache/embeddings, keyed by encoder id and text hash (default: on).")
    boolean cache;

    private IntentDataset dataset;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if ((fromTexts == null) != (serving == null)) {
            throw new IllegalArgumentException("--from-texts and --serving go together");
        }
        if ((fromLogs == null) != (registryModel == null)) {
            throw new IllegalArgumentException("--from-logs and --model go together");
        }
        if (fromLogs != null && fromTexts != null) {
            throw new IllegalArgumentException("--from-logs and --from-texts are alternatives; give one");
        }
        ModelRegistry registry = null;
        ModelId modelId = null;
        if (fromLogs != null) {
            registry = ModelRegistry.open(registryRoot);
            modelId = ModelId.parse(registryModel);
            serving = registry.dir(modelId, registry.serving(modelId));
        }
        boolean retraining = fromTexts != null || fromLogs != null;
        String modelName = name != null ? name : data.toAbsolutePath().normalize().getFileName().toString();
        var options = new Distiller.Options(seed, studentEncoder, ngrams, tinyNgrams, new DistillationLoss(alpha, temperature),
                augment, keep, "oos", 0.9, VALIDATION_FRACTION);
        EmbeddingCache cache = new EmbeddingCache(this.cache ? Optional.of(EmbeddingCache.defaultDir()) : Optional.empty());
        java.util.function.Consumer<String> log = line -> {
            err.println(line);
            err.flush();
        };
        List<String> extra = new ArrayList<>();
        for (Path file : unlabeled) {
            extra.addAll(JsonlReader.texts(file));
        }
        if (unlabeledMax != null) {
            if (unlabeledMax < 0) {
                throw new IllegalArgumentException("--unlabeled-max must be >= 0, got " + unlabeledMax);
            }
            java.util.Collections.shuffle(extra, new java.util.Random(seed));
            extra = new ArrayList<>(extra.subList(0, Math.min(unlabeledMax, extra.size())));
        }
        if (fromTexts != null) {
            extra.addAll(JsonlReader.texts(fromTexts));
        }
        if (fromLogs != null) {
            List<String> logged = TrafficLog.texts(fromLogs);
            err.println("--from-logs: " + logged.size() + " distinct anonymized texts from " + fromLogs);
            extra.addAll(logged);
        }
        try (Teacher teacher = teacher(modelName, cache, log)) {
            String parent = serving == null ? null : parentOf(serving);
            Distiller.Outcome outcome = new Distiller(options, cache, log).run(dataset(), teacher, extra, out, modelName,
                    parent, retraining);
            stdout.println(outcome.student());
            outcome.tiny().ifPresent(stdout::println);
            outcome.cascade().ifPresent(stdout::println);
            if (retraining) {
                String verdict = compare(outcome.student(), cache, err, stdout);
                if (fromLogs != null && verdict != null) {
                    String version = TrafficLog.publish(outcome.student(), registry, modelId, verdict);
                    err.println("promoted " + modelId + " " + version + " (" + verdict + ")");
                    stdout.println(registry.dir(modelId, version));
                }
            }
            stdout.flush();
        }
        return 0;
    }

    private Teacher teacher(String modelName, EmbeddingCache cache, java.util.function.Consumer<String> log) {
        switch (teacherKind) {
            case "bge" -> {
                if (teacherModels.size() > 1) {
                    throw new IllegalArgumentException("--teacher bge takes one --teacher-model");
                }
                Path dir = teacherModels.isEmpty() ? trainTeacher(modelName, EncoderHeadTeacher.DEFAULT_ENCODER, 0.005, cache, log)
                        : teacherModels.get(0);
                return EncoderHeadTeacher.load(dir, cache);
            }
            case "ensemble" -> {
                List<Path> dirs = new ArrayList<>(teacherModels);
                if (dirs.isEmpty()) {
                    dirs.add(trainTeacher(modelName, EncoderHeadTeacher.DEFAULT_ENCODER, 0.005, cache, log));
                    dirs.add(trainTeacher(modelName, "all-minilm-l6-v2-q+bge-small-en-v1.5-q", 0.003, cache, log));
                }
                if (dirs.size() < 2) {
                    throw new IllegalArgumentException("--teacher ensemble needs two or more --teacher-model folders (or none)");
                }
                List<Teacher> members = new ArrayList<>();
                try {
                    for (Path d : dirs) {
                        members.add(EncoderHeadTeacher.load(d, cache));
                    }
                } catch (RuntimeException e) {
                    members.forEach(Teacher::close);
                    throw e;
                }
                return EnsembleTeacher.of(members);
            }
            case "llm" -> {
                if (llmUrl == null || llmModel == null) {
                    throw new IllegalArgumentException("--teacher llm needs --llm-url and --llm-model");
                }
                return LlmTeacher.openAiCompatible(llmUrl, llmModel, System.getenv(llmKeyEnv), Duration.ofSeconds(60),
                        dataset().labels());
            }
            default -> throw new IllegalArgumentException("--teacher must be bge, ensemble or llm, got '" + teacherKind + "'");
        }
    }

    /**
     * The dataset as every step of a run sees it — teacher training, the LLM teacher's labels, the
     * {@link Distiller} and the promotion test — read, anonymized and deduped once: they all use the same
     * preparation and split (validation fraction {@value #VALIDATION_FRACTION}, {@code --seed}), so a
     * second read would only repeat the work. Read on first use, so that a broken text file or a wrong
     * teacher option is still reported before the folder is read.
     */
    private IntentDataset dataset() {
        if (dataset == null) {
            dataset = IntentDataset.load(data, VALIDATION_FRACTION, seed, DataPreparation.STANDARD);
        }
        return dataset;
    }

    /** Trains a teacher with the usual pipeline (head + 13-bit n-grams) and writes {@code <name>-teacher/v<N>}. */
    private Path trainTeacher(String modelName, String encoderId, double lr, EmbeddingCache cache,
            java.util.function.Consumer<String> log) {
        IntentDataset dataset = dataset();
        TrainingOptions head = new TrainingOptions(seed, TrainingOptions.DEFAULT_MAX_EPOCHS, TrainingOptions.DEFAULT_PATIENCE,
                TrainingOptions.DEFAULT_BATCH_SIZE, lr, 0, 0);
        List<String> scores = new ArrayList<>(ModelManifest.Rejection.SINGLE);
        scores.add(ModelManifest.Rejection.COMBINED);
        var settings = new IntentPipeline.Settings(head, Optional.empty(), 13, NgramTrainer.DEFAULT_MAX_EPOCHS,
                NgramTrainer.DEFAULT_PATIENCE, "oos", 0.15, scores, 0.9);
        IntentPipeline.Outcome outcome;
        try (Encoder encoder = ConcatEncoder.load(encoderId)) {
            outcome = new IntentPipeline(settings, cache, log).train(dataset, encoder);
        }
        String teacherName = modelName + "-teacher";
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("learning_rate", lr);
        parameters.putAll(outcome.parameters());
        Path dir = ModelFolders.writeNextVersion(out, teacherName, (d, version) -> {
            new ModelManifest(IntentClassifier.KIND, teacherName, version, encoderId, dataset.labels(), seed,
                    new ModelManifest.DatasetInfo(data.toString(), dataset.sha256(), dataset.train().size(),
                            dataset.validation().size(), dataset.test().size()), outcome.metrics(), null, null,
                    ModelFolders.codeVersion(), Instant.now(), parameters, outcome.rejection().orElse(null))
                    .write(d.resolve(IntentClassifier.MANIFEST_FILE));
            outcome.model().write(d.resolve(IntentClassifier.HEAD_FILE));
        });
        log.accept("teacher: " + dir);
        spec.commandLine().getOut().println(dir);
        return dir;
    }

    private static String parentOf(Path servingDir) {
        ModelManifest m = ModelManifest.read(servingDir.resolve(IntentClassifier.MANIFEST_FILE));
        return m.name() + "/" + m.version();
    }

    /**
     * Scores the new student and the serving model on the fixed test split; prints the verdict.
     *
     * @return why the student may be promoted, or {@code null} if it is worse
     */
    private String compare(Path student, EmbeddingCache cache, PrintWriter err, PrintWriter stdout) {
        IntentDataset dataset = dataset();
        if (dataset.test().isEmpty()) {
            throw new IllegalArgumentException("dataset " + data + " has no test split to compare on");
        }
        double studentAccuracy = testAccuracy(student, dataset, cache);
        double servingAccuracy = testAccuracy(serving, dataset, cache);
        boolean promote = studentAccuracy >= servingAccuracy;
        err.printf(Locale.ROOT, "test accuracy (%d examples): student %.4f, serving %s %.4f%n", dataset.test().size(),
                studentAccuracy, parentOf(serving), servingAccuracy);
        stdout.println(promote ? "promote" : "keep");
        return promote ? String.format(Locale.ROOT, "student test accuracy %.4f >= serving %s %.4f on %d examples",
                studentAccuracy, parentOf(serving), servingAccuracy, dataset.test().size()) : null;
    }

    static double testAccuracy(Path modelDir, IntentDataset dataset, EmbeddingCache cache) {
        ModelManifest m = ModelManifest.read(modelDir.resolve(IntentClassifier.MANIFEST_FILE));
        List<String> texts = dataset.test().stream().map(IntentExample::text).toList();
        try (Encoder encoder = ConcatEncoder.load(m.encoder())) {
            IntentClassifier c = IntentClassifier.load(modelDir, encoder);
            float[][] x = cache.embed(encoder, texts);
            int right = 0;
            for (int i = 0; i < x.length; i++) {
                Prediction p = c.classify(texts.get(i), x[i]);
                right += Distiller.correct(p, dataset.test().get(i).label(), "oos") ? 1 : 0;
            }
            return (double) right / texts.size();
        }
    }
}
