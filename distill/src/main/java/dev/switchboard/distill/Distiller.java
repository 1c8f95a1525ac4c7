package dev.switchboard.distill;

import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.HashedNgrams;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.NgramClassifier;
import dev.switchboard.models.PiiAnonymizer;
import dev.switchboard.models.Prediction;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Teacher → student distillation on one intent dataset (labels from its train split, validation from its
 * validation file or a seeded 10% of train; the test split is never read here). Writes three new version
 * folders under {@code <out>}:
 * <ol>
 *   <li>{@code <name>-student}: the student specialist — the {@link Options#studentEncoder()} (int8
 *       MiniLM by default) with a head and a hashed n-gram head trained by {@link IntentPipeline} on the
 *       teacher's soft labels ({@link DistillationLoss}) over the labeled training texts and the
 *       unlabeled texts; synthetic outliers and a rejection rule when the data has an out-of-scope label;</li>
 *   <li>{@code <name>-tiny}: an {@link NgramClassifier} (no encoder) trained the same way, temperature
 *       fitted on validation;</li>
 *   <li>{@code <name>-cascade}: a {@link CascadeClassifier} of the two whose threshold is the lowest
 *       confidence threshold (grid 0, 0.01, …, 1) at which the cascade keeps ≥ {@link Options#keep()} of the
 *       student's validation accuracy (and of its OOS recall when the data has an out-of-scope label) —
 *       the fewest escalations, hence the lowest mean latency, that keep it.</li>
 * </ol>
 * Unlabeled text: {@link Options#augmentCopies()} seeded {@link TextAugmenter} copies of every training
 * text (labels hidden; copies equal to a training, validation or test text dropped) plus any extra texts
 * given (e.g. logged traffic, other datasets' texts), anonymized, without repeats and without the dataset's own
 * texts ({@link #givenTexts}).
 * Every manifest records the teacher, the parent version (the teacher's folder, or the serving model being
 * replaced), the seed and the dataset hash.
 */
public final class Distiller {

    /**
     * @param seed               every random choice
     * @param studentEncoder     encoder of the student (default int8 MiniLM)
     * @param studentNgramBits   n-gram head of the student (0: none; default 13)
     * @param tinyNgramBits      buckets of the tiny student (default 13: 2^13 × labels floats)
     * @param loss               α, T (defaults 0.5, 2)
     * @param augmentCopies      augmented variants per training text used as unlabeled text (default 1)
     * @param keep               share of the student's validation accuracy (and OOS recall) the cascade must keep
     *                           (default 1: no loss on validation — aiming at 0.99 there landed at 98.3% of the
     *                           student on BANKING77's test split, since a point of validation accuracy is ~10 texts)
     * @param outOfScopeLabel    the label meaning "none of the intents" (default {@code oos})
     * @param minOosRecall       the student's rejection criterion, as {@code train intent --min-oos-recall} (default 0.9)
     * @param validationFraction share of train held out when there is no validation file (default 0.1)
     */
    public record Options(long seed, String studentEncoder, int studentNgramBits, int tinyNgramBits,
            DistillationLoss loss, int augmentCopies, double keep, String outOfScopeLabel, double minOosRecall,
            double validationFraction) {

        public Options {
            Objects.requireNonNull(studentEncoder, "studentEncoder");
            Objects.requireNonNull(loss, "loss");
            if (augmentCopies < 0 || augmentCopies > 10) {
                throw new IllegalArgumentException("augmented copies must be in 0..10, got " + augmentCopies);
            }
            if (!(keep > 0 && keep <= 1)) {
                throw new IllegalArgumentException("keep must be in (0, 1], got " + keep);
            }
            new HashedNgrams(tinyNgramBits, 3, 5); // throws for bits outside 8..24
            if (studentNgramBits != 0) {
                new HashedNgrams(studentNgramBits, 3, 5);
            }
        }

        public static Options defaults(long seed) {
            return new Options(seed, Encoders.DEFAULT_ID, 13, 13, DistillationLoss.defaults(), 1, 1.0, "oos", 0.9, 0.1);
        }
    }

    /** The folders written (empty when not produced) and the validation numbers. */
    public record Outcome(Path student, Optional<Path> tiny, Optional<Path> cascade, Map<String, Double> metrics) {
    }

    private final Options options;
    private final EmbeddingCache cache;
    private final Consumer<String> log;

    public Distiller(Options options, Consumer<String> log) {
        this(options, new EmbeddingCache(Optional.of(EmbeddingCache.defaultDir())), log);
    }

    Distiller(Options options, EmbeddingCache cache, Consumer<String> log) {
        this.options = Objects.requireNonNull(options, "options");
        this.cache = cache;
        this.log = log;
    }

    /**
     * Distills {@code teacher} into students on the dataset in {@code data}, read with
     * {@link DataPreparation#STANDARD}, {@link Options#validationFraction()} and {@link Options#seed()}.
     *
     * @param extraUnlabeled more unlabeled texts (e.g. anonymised logged traffic)
     * @param parentVersion  the version the student replaces, or {@code null} for the teacher's folder
     * @param studentOnly    write only the student (no tiny student, no cascade)
     * @throws IllegalArgumentException if the teacher's labels are not the dataset's
     */
    public Outcome run(Path data, Teacher teacher, List<String> extraUnlabeled, Path out, String name,
            String parentVersion, boolean studentOnly) {
        return run(IntentDataset.load(data, options.validationFraction(), options.seed(), DataPreparation.STANDARD),
                teacher, extraUnlabeled, out, name, parentVersion, studentOnly);
    }

    /**
     * The same on a dataset already read and prepared, for a caller that uses it for other steps too
     * ({@code distill} trains its teacher on it), so that the folder is read once.
     */
    Outcome run(IntentDataset dataset, Teacher teacher, List<String> extraUnlabeled, Path out, String name,
            String parentVersion, boolean studentOnly) {
        Path data = dataset.dir();
        List<String> labels = dataset.labels();
        int[] remap = remap(teacher.labels(), labels);
        List<String> trainTexts = dataset.train().stream().map(IntentExample::text).toList();
        List<String> validTexts = dataset.validation().stream().map(IntentExample::text).toList();
        int[] validY = TrainIntentCommand.labelIndices(dataset.validation(), labels);
        // Augmented copies never repeat a training text or leak a validation or test text (TextAugmenter).
        List<String> avoid = new ArrayList<>(validTexts);
        dataset.test().forEach(e -> avoid.add(e.text()));
        List<String> unlabeled = new ArrayList<>(new TextAugmenter(TextAugmenter.DEFAULT_DELETION, TextAugmenter.DEFAULT_SWAPS,
                options.seed()).augment(dataset.train(), options.augmentCopies(), avoid).stream().map(IntentExample::text)
                .toList());
        int augmented = unlabeled.size();
        List<String> known = new ArrayList<>(trainTexts);
        known.addAll(unlabeled);
        known.addAll(avoid);
        unlabeled.addAll(givenTexts(extraUnlabeled, known));
        int given = unlabeled.size() - augmented;
        log.accept(String.format(Locale.ROOT, "dataset %s: %d train, %d validation, %d labels; %d unlabeled texts "
                + "(%d augmented, %d of %d given: the others repeat a text or one of the dataset's)", data,
                trainTexts.size(), validTexts.size(), labels.size(), unlabeled.size(), augmented, given,
                extraUnlabeled.size()));

        long t = System.nanoTime();
        double[][] trainP = reorder(teacher.probabilities(trainTexts), remap);
        double[][] unlabeledP = reorder(teacher.probabilities(unlabeled), remap);
        double[][] validP = reorder(teacher.probabilities(validTexts), remap);
        int[] teacherValid = Scores.argmax(validP);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("teacher_validation_accuracy", Scores.accuracy(validY, teacherValid));
        log.accept(String.format(Locale.ROOT, "teacher %s labelled %d texts in %.1f s; validation accuracy %.4f",
                teacher.id(), trainP.length + unlabeledP.length + validP.length, seconds(t),
                metrics.get("teacher_validation_accuracy")));
        int oos = labels.indexOf(options.outOfScopeLabel());
        if (oos >= 0) {
            int[] unlabeledArgmax = Scores.argmax(unlabeledP);
            log.accept(String.format(Locale.ROOT, "teacher's argmax is '%s' for %d of %d training texts, %d of %d augmented "
                    + "copies, %d of %d given texts", options.outOfScopeLabel(), count(Scores.argmax(trainP), oos, 0,
                    trainP.length), trainP.length, count(unlabeledArgmax, oos, 0, augmented), augmented,
                    count(unlabeledArgmax, oos, augmented, unlabeledP.length), unlabeledP.length - augmented));
        }
        String parent = parentVersion != null ? parentVersion : teacher.version();
        String codeVersion = ModelFolders.codeVersion();

        // (1) the encoder student
        var settings = new IntentPipeline.Settings(TrainingOptions.defaults(options.seed()), Optional.empty(),
                options.studentNgramBits(), NgramTrainer.DEFAULT_MAX_EPOCHS, NgramTrainer.DEFAULT_PATIENCE,
                options.outOfScopeLabel(), 0.15, allRejectionScores(), options.minOosRecall());
        var kd = new IntentPipeline.Distillation(trainP, unlabeled, unlabeledP, options.loss());
        IntentPipeline.Outcome student;
        Map<String, Object> common = commonParameters(teacher, unlabeled.size(), given);
        try (Encoder encoder = ConcatEncoder.load(options.studentEncoder())) {
            student = new IntentPipeline(settings, cache, log).train(dataset, encoder, kd);
            Map<String, Double> m = new LinkedHashMap<>(student.metrics());
            m.put("teacher_validation_accuracy", metrics.get("teacher_validation_accuracy"));
            Map<String, Object> p = new LinkedHashMap<>(common);
            p.putAll(student.parameters());
            Path studentDir = ModelFolders.writeNextVersion(out, name + "-student", (dir, version) -> {
                new ModelManifest(IntentClassifier.KIND, name + "-student", version, options.studentEncoder(), labels,
                        options.seed(), info(data, dataset), m, teacher.id(), parent, codeVersion, Instant.now(), p,
                        student.rejection().orElse(null)).write(dir.resolve(IntentClassifier.MANIFEST_FILE));
                student.model().write(dir.resolve(IntentClassifier.HEAD_FILE));
            });
            metrics.put("student_validation_accuracy", student.metrics().get("validation_accuracy"));
            log.accept("student: " + studentDir);
            if (studentOnly) {
                return new Outcome(studentDir, Optional.empty(), Optional.empty(), metrics);
            }

            // (2) the tiny student
            t = System.nanoTime();
            List<String> tinyTexts = new ArrayList<>(trainTexts);
            tinyTexts.addAll(unlabeled);
            NgramTrainer.Result tiny;
            if (options.tinyNgramBits() == options.studentNgramBits() && oos < 0) {
                // The student's n-gram head was trained exactly so (same texts, targets, seed, bits and, without
                // out-of-scope data, the same validation texts): reuse it rather than train it again.
                tiny = new NgramTrainer.Result(student.model().ngrams().orElseThrow(),
                        ((Number) student.parameters().get("ngram_best_epoch")).intValue(),
                        ((Number) student.parameters().get("ngram_epochs")).intValue(),
                        student.metrics().get("validation_ngram_loss"));
                log.accept("tiny student: the student's n-gram head (trained identically)");
            } else {
                tiny = new NgramTrainer(options.seed(), NgramTrainer.DEFAULT_LEARNING_RATE, NgramTrainer.DEFAULT_MAX_EPOCHS,
                        NgramTrainer.DEFAULT_PATIENCE).trainSoft(HashedNgrams.withBits(options.tinyNgramBits()), tinyTexts,
                        kd.targets(TrainIntentCommand.labelIndices(dataset.train(), labels)), validTexts, validY, labels.size(),
                        log);
            }
            float[][] tinyValidZ = validTexts.stream().map(tiny.head()::logits).toArray(float[][]::new);
            double tinyT = (float) IntentTrainer.fitTemperature(tinyValidZ, validY);
            Map<String, Double> tm = new LinkedHashMap<>();
            tm.put("validation_accuracy", Scores.accuracy(validY, Scores.argmax(tinyValidZ)));
            tm.put("validation_loss_calibrated", IntentTrainer.nll(tinyValidZ, validY, tinyT));
            tm.put("teacher_validation_accuracy", metrics.get("teacher_validation_accuracy"));
            Map<String, Object> tp = new LinkedHashMap<>(common);
            tp.put("ngram_bits", options.tinyNgramBits());
            tp.put("ngram_features", "words, word pairs, char 3-5-grams; FNV-1a");
            tp.put("ngram_epochs", tiny.epochsRun());
            tp.put("ngram_best_epoch", tiny.bestEpoch());
            tp.put("temperature", tinyT);
            NgramClassifier[] tinyModel = new NgramClassifier[1];
            Path tinyDir = ModelFolders.writeNextVersion(out, name + "-tiny", (dir, version) -> {
                tinyModel[0] = NgramClassifier.of(new ModelManifest(NgramClassifier.KIND, name + "-tiny", version,
                        NgramClassifier.NO_ENCODER, labels, options.seed(), info(data, dataset), tm, teacher.id(), parent,
                        codeVersion, Instant.now(), tp), tiny.head(), tinyT);
                tinyModel[0].write(dir);
            });
            metrics.put("tiny_validation_accuracy", tm.get("validation_accuracy"));
            log.accept(String.format(Locale.ROOT, "tiny student: validation accuracy %.4f (T %.3f) in %.1f s: %s",
                    tm.get("validation_accuracy"), tinyT, seconds(t), tinyDir));

            // (3) the cascade, threshold on validation
            IntentClassifier studentModel = IntentClassifier.load(studentDir, encoder);
            float[][] validX = cache.embed(encoder, validTexts);
            List<Prediction> large = new ArrayList<>();
            List<Prediction> fast = new ArrayList<>();
            for (int i = 0; i < validX.length; i++) {
                large.add(studentModel.classify(validTexts.get(i), validX[i]));
                fast.add(tinyModel[0].classify(validTexts.get(i)));
            }
            List<String> gold = dataset.validation().stream().map(IntentExample::label).toList();
            CascadeChoice choice = chooseThreshold(fast, large, gold, options.outOfScopeLabel(), options.keep());
            metrics.put("cascade_validation_accuracy", choice.accuracy());
            metrics.put("cascade_validation_escalated", choice.escalated());
            metrics.put("cascade_threshold", choice.threshold());
            Map<String, Double> cm = new LinkedHashMap<>();
            cm.put("validation_accuracy", choice.accuracy());
            cm.put("validation_escalated", choice.escalated());
            cm.put("validation_large_accuracy", choice.largeAccuracy());
            cm.put("teacher_validation_accuracy", metrics.get("teacher_validation_accuracy"));
            Map<String, Object> cp = new LinkedHashMap<>(common);
            cp.put(CascadeClassifier.THRESHOLD, choice.threshold());
            cp.put("keep", options.keep());
            cp.put("fast", name + "-tiny/" + tinyDir.getFileName());
            cp.put("large", name + "-student/" + studentDir.getFileName());
            Path cascadeDir = ModelFolders.writeNextVersion(out, name + "-cascade", (dir, version) ->
                    CascadeClassifier.write(dir, new ModelManifest(CascadeClassifier.KIND, name + "-cascade", version,
                            options.studentEncoder(), labels, options.seed(), info(data, dataset), cm, teacher.id(), parent,
                            codeVersion, Instant.now(), cp), tinyDir, studentDir));
            log.accept(String.format(Locale.ROOT, "cascade: threshold %.2f escalates %.1f%% of validation; accuracy %.4f "
                    + "(student alone %.4f): %s", choice.threshold(), 100 * choice.escalated(), choice.accuracy(),
                    choice.largeAccuracy(), cascadeDir));
            return new Outcome(studentDir, Optional.of(tinyDir), Optional.of(cascadeDir), metrics);
        }
    }

    /**
     * The given unlabeled texts as the students see them: personal data replaced by placeholders (like the
     * dataset's own texts and the runtime's logs — so it never reaches the teacher, the embedding cache or a
     * model), then without repeats and without any of {@code known} (compared by {@link Deduplicator#key}).
     */
    static List<String> givenTexts(List<String> given, List<String> known) {
        PiiAnonymizer anonymizer = PiiAnonymizer.standard();
        Set<String> seen = new HashSet<>();
        known.forEach(text -> seen.add(Deduplicator.key(text)));
        return given.stream().map(anonymizer::anonymize).filter(text -> seen.add(Deduplicator.key(text))).toList();
    }

    /** A cascade threshold and what it gives on validation. */
    record CascadeChoice(double threshold, double accuracy, double largeAccuracy, double escalated) {
    }

    /**
     * The lowest threshold t in {0, 0.01, …, 1} with {@code accuracy(cascade_t) ≥ keep · accuracy(large)} and,
     * when the gold labels include the out-of-scope label, also {@code oosRecall(cascade_t) ≥ keep ·
     * oosRecall(large)} — without the second condition the few out-of-scope validation texts hardly move the
     * accuracy, and the cascade would let the fast tier answer the queries the large one declines; t = 1.01
     * (escalate everything) if none qualifies.
     */
    static CascadeChoice chooseThreshold(List<Prediction> fast, List<Prediction> large, List<String> gold,
            String outOfScopeLabel, double keep) {
        int n = gold.size();
        long oos = gold.stream().filter(outOfScopeLabel::equals).count();
        double largeAccuracy = 0;
        double largeRecall = 0;
        for (int i = 0; i < n; i++) {
            boolean right = correct(large.get(i), gold.get(i), outOfScopeLabel);
            largeAccuracy += right ? 1.0 / n : 0;
            largeRecall += right && gold.get(i).equals(outOfScopeLabel) ? 1.0 / oos : 0;
        }
        for (int step = 0; step <= 101; step++) {
            double t = step / 100.0;
            double accuracy = 0;
            double recall = 0;
            double escalated = 0;
            for (int i = 0; i < n; i++) {
                boolean up = fast.get(i).confidence() < t;
                boolean right = correct(up ? large.get(i) : fast.get(i), gold.get(i), outOfScopeLabel);
                escalated += up ? 1.0 / n : 0;
                accuracy += right ? 1.0 / n : 0;
                recall += right && gold.get(i).equals(outOfScopeLabel) ? 1.0 / oos : 0;
            }
            boolean keeps = accuracy >= keep * largeAccuracy - 1e-12 && (oos == 0 || recall >= keep * largeRecall - 1e-12);
            if (keeps || step == 101) {
                return new CascadeChoice(t, accuracy, largeAccuracy, escalated);
            }
        }
        throw new AssertionError("unreachable");
    }

    /**
     * Whether a prediction is right: for an out-of-scope gold label, iff the classifier rejected the text
     * (its rejection rule fired or it predicted that label); for any other, iff it was not rejected and
     * named the gold label. Without out-of-scope data this is plain accuracy.
     */
    public static boolean correct(Prediction p, String gold, String outOfScopeLabel) {
        boolean rejected = p.outOfScope() || p.label().equals(outOfScopeLabel);
        return gold.equals(outOfScopeLabel) ? rejected : !rejected && p.label().equals(gold);
    }

    static int[] remap(List<String> teacherLabels, List<String> labels) {
        if (teacherLabels.size() != labels.size() || !new java.util.HashSet<>(teacherLabels).containsAll(labels)) {
            throw new IllegalArgumentException("the teacher's " + teacherLabels.size() + " labels are not the dataset's "
                    + labels.size() + " labels");
        }
        Map<String, Integer> at = new HashMap<>();
        for (int k = 0; k < teacherLabels.size(); k++) {
            at.put(teacherLabels.get(k), k);
        }
        return labels.stream().mapToInt(at::get).toArray();
    }

    private static double[][] reorder(double[][] p, int[] remap) {
        double[][] out = new double[p.length][remap.length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 0; k < remap.length; k++) {
                out[i][k] = p[i][remap[k]];
            }
        }
        return out;
    }

    private static int count(int[] values, int value, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n += values[i] == value ? 1 : 0;
        }
        return n;
    }

    private Map<String, Object> commonParameters(Teacher teacher, int unlabeled, int given) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("teacher", teacher.id());
        p.put("distillation_alpha", options.loss().alpha());
        p.put("distillation_temperature", options.loss().temperature());
        p.put("augment_copies", options.augmentCopies());
        p.put("augment_deletion", TextAugmenter.DEFAULT_DELETION);
        p.put("augment_swaps", TextAugmenter.DEFAULT_SWAPS);
        p.put("unlabeled_texts", unlabeled);
        p.put("unlabeled_given", given);
        return p;
    }

    private static ModelManifest.DatasetInfo info(Path data, IntentDataset dataset) {
        return new ModelManifest.DatasetInfo(data.toString(), dataset.sha256(), dataset.train().size(),
                dataset.validation().size(), dataset.test().size());
    }

    private static List<String> allRejectionScores() {
        List<String> all = new ArrayList<>(ModelManifest.Rejection.SINGLE);
        all.add(ModelManifest.Rejection.COMBINED);
        return all;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
