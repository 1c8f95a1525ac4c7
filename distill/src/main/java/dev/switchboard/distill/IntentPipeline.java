package dev.switchboard.distill;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.HashedNgrams;
import dev.switchboard.models.IntentModel;
import dev.switchboard.models.ModelManifest.Rejection;
import dev.switchboard.models.NgramHead;
import dev.switchboard.models.ResidualAdapter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The single-label training pipeline behind {@code train intent}, on one dataset and encoder:
 * <ol>
 *   <li>embed train and validation texts (through the {@link EmbeddingCache});</li>
 *   <li>optionally train a {@link ResidualAdapter} contrastively on the in-scope training embeddings and
 *       adapt every embedding with it;</li>
 *   <li>if the labels include the out-of-scope label: add synthetic outlier embeddings
 *       ({@link OutlierSynthesizer}) to the head's training set under that label;</li>
 *   <li>train the head ({@link IntentTrainer}, early stopping on validation loss, temperature fitted);</li>
 *   <li>optionally train an {@link NgramHead} on the (real) training texts and fuse it with the head
 *       ({@link Fusion});</li>
 *   <li>if validation holds out-of-scope examples: calibrate the rejection rule ({@link RejectionCalibrator}).</li>
 * </ol>
 * Everything is chosen on validation data; the test split is never read.
 */
final class IntentPipeline {

    /**
     * @param head               head hyper-parameters (seed included: every step derives from it)
     * @param adapter            adapter hyper-parameters, or empty for none
     * @param ngramBits          log2 of the n-gram hash buckets; 0 for no n-gram head
     * @param ngramEpochs        maximum n-gram epochs
     * @param ngramPatience      n-gram epochs without a lower in-scope validation loss before stopping
     * @param outOfScopeLabel    the label meaning "none of the intents" (used only if the data has it)
     * @param syntheticOutliers  synthetic outliers per in-scope training example (0: none)
     * @param rejectionScores    scores the calibration may choose from
     * @param minOosRecall       0: choose the rejection rule by {@link RejectionCalibrator#BALANCED}; else the rule
     *                           with the best validation in-scope accuracy among those reaching this OOS recall
     */
    record Settings(TrainingOptions head, Optional<AdapterOptions> adapter, int ngramBits, int ngramEpochs,
            int ngramPatience, String outOfScopeLabel, double syntheticOutliers, List<String> rejectionScores,
            double minOosRecall) {

        Settings {
            if (ngramBits != 0 && (ngramBits < 8 || ngramBits > 24)) {
                throw new IllegalArgumentException("n-gram bits must be 0 (off) or 8..24, got " + ngramBits);
            }
            if (!(syntheticOutliers >= 0 && syntheticOutliers <= 10)) {
                throw new IllegalArgumentException("synthetic outliers per example must be in [0, 10], got "
                        + syntheticOutliers);
            }
            rejectionScores = List.copyOf(rejectionScores);
        }
    }

    /** The trained model and what the manifest records about it. */
    record Outcome(IntentModel model, Optional<Rejection> rejection, Map<String, Double> metrics,
            Map<String, Object> parameters) {
    }

    private final Settings settings;
    private final EmbeddingCache cache;
    private final Consumer<String> log;

    IntentPipeline(Settings settings, EmbeddingCache cache, Consumer<String> log) {
        this.settings = settings;
        this.cache = cache;
        this.log = log;
    }

    /**
     * Distillation inputs: the teacher's probabilities for each training text (labeled) and for extra
     * unlabeled texts, and the loss combining them with the gold labels.
     */
    record Distillation(double[][] trainTeacher, List<String> unlabeled, double[][] unlabeledTeacher,
            DistillationLoss loss) {

        Distillation {
            unlabeled = List.copyOf(unlabeled);
            if (unlabeled.size() != unlabeledTeacher.length) {
                throw new IllegalArgumentException("there are " + unlabeled.size() + " unlabeled texts for "
                        + unlabeledTeacher.length + " teacher rows");
            }
        }

        /** Soft targets for the training texts followed by the unlabeled ones. */
        SoftTargets targets(int[] trainY) {
            if (trainY.length != trainTeacher.length) {
                throw new IllegalArgumentException("there are " + trainY.length + " training texts for "
                        + trainTeacher.length + " teacher rows");
            }
            double[][] p = Arrays.copyOf(trainTeacher, trainTeacher.length + unlabeledTeacher.length);
            System.arraycopy(unlabeledTeacher, 0, p, trainTeacher.length, unlabeledTeacher.length);
            int[] y = Arrays.copyOf(trainY, p.length);
            Arrays.fill(y, trainY.length, y.length, -1);
            return new SoftTargets(p, y, loss);
        }
    }

    Outcome train(IntentDataset data, Encoder encoder) {
        return train(data, encoder, null);
    }

    /**
     * Trains as described above; with {@code kd} the head and the n-gram head learn from the teacher's
     * soft labels on the training texts and the unlabeled texts ({@link DistillationLoss}); synthetic
     * outliers keep their hard label (a one-hot teacher row). The adapter, when enabled, still trains on
     * the labeled texts only.
     *
     * @param kd distillation inputs, or {@code null} for plain training
     */
    Outcome train(IntentDataset data, Encoder encoder, Distillation kd) {
        long seed = settings.head().seed();
        List<String> labels = data.labels();
        List<String> trainTexts = data.train().stream().map(IntentExample::text).toList();
        List<String> validTexts = data.validation().stream().map(IntentExample::text).toList();
        int[] trainY = TrainIntentCommand.labelIndices(data.train(), labels);
        int[] validY = TrainIntentCommand.labelIndices(data.validation(), labels);
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, Object> parameters = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        float[][] trainX = cache.embed(encoder, trainTexts);
        boolean hit = cache.lastHit();
        float[][] validX = cache.embed(encoder, validTexts);
        hit &= cache.lastHit();
        float[][] extraX = kd == null || kd.unlabeled().isEmpty() ? new float[0][] : cache.embed(encoder, kd.unlabeled());
        hit &= kd == null || kd.unlabeled().isEmpty() || cache.lastHit();
        log.accept(String.format(Locale.ROOT, "embedded %d texts with %s in %.1f s%s",
                trainX.length + validX.length + extraX.length,
                encoder.info().id(), seconds(t0), hit ? " (from the cache)" : ""));

        int oos = labels.indexOf(settings.outOfScopeLabel());
        ResidualAdapter adapter = null;
        if (settings.adapter().isPresent()) {
            long t = System.nanoTime();
            AdapterOptions a = settings.adapter().get();
            int[] in = oos < 0 ? allIndices(trainY.length) : Arrays.stream(allIndices(trainY.length))
                    .filter(i -> trainY[i] != oos).toArray();
            adapter = new AdapterTrainer(a).train(select(trainX, in), select(trainY, in), log);
            trainX = AdapterTrainer.apply(adapter, trainX);
            validX = AdapterTrainer.apply(adapter, validX);
            extraX = extraX.length == 0 ? extraX : AdapterTrainer.apply(adapter, extraX);
            log.accept(String.format(Locale.ROOT, "adapter rank %d trained in %.1f s", a.rank(), seconds(t)));
            parameters.put("adapter", true);
            parameters.put("adapter_rank", a.rank());
            parameters.put("adapter_loss", a.loss().id());
            parameters.put("adapter_epochs", a.epochs());
            parameters.put("adapter_learning_rate", a.learningRate());
            parameters.put("adapter_temperature", a.temperature());
            parameters.put("adapter_batch", a.classesPerBatch() + "x" + a.examplesPerClass());
        }

        float[][] headX = trainX;
        int[] headY = trainY;
        int synthetic = 0;
        if (oos >= 0 && settings.syntheticOutliers() > 0) {
            int inScope = (int) Arrays.stream(trainY).filter(y -> y != oos).count();
            synthetic = (int) Math.round(settings.syntheticOutliers() * inScope);
            String[] domains = data.train().stream().map(IntentExample::domain).toArray(String[]::new);
            float[][] fake = OutlierSynthesizer.embeddings(trainX, trainY, domains, oos, synthetic, seed);
            headX = concat(trainX, fake);
            headY = concat(trainY, oos, synthetic);
            log.accept("added " + synthetic + " synthetic '" + labels.get(oos) + "' embeddings");
        }
        parameters.put("synthetic_outliers", synthetic);

        long t = System.nanoTime();
        // The teacher's sharpened targets for the training and unlabeled texts, for the head and the n-gram head.
        SoftTargets soft = kd == null ? null : kd.targets(trainY);
        TrainingResult head;
        if (kd == null) {
            head = new IntentTrainer(settings.head()).train(headX, headY, validX, validY, labels.size(),
                    r -> log.accept(r.progressLine("val acc")));
        } else {
            SoftTargets targets = synthetic > 0 ? soft.withOneHot(oos, synthetic, labels.size()) : soft;
            // Rows: training texts, unlabeled texts, synthetic outliers (the order of targets).
            float[][] studentX = concat(concat(trainX, extraX), Arrays.copyOfRange(headX, trainX.length, headX.length));
            head = new IntentTrainer(settings.head()).trainSoft(studentX, targets, validX, validY, labels.size(),
                    r -> log.accept(r.progressLine("val acc")));
            parameters.put("distillation_alpha", kd.loss().alpha());
            parameters.put("distillation_temperature", kd.loss().temperature());
            parameters.put("unlabeled_texts", kd.unlabeled().size());
        }
        log.accept(String.format(Locale.ROOT, "head: best epoch %d of %d, val loss %.4f (%.4f at T %.3f), val acc %.4f "
                + "in %.1f s", head.bestEpoch(), head.epochsRun(), head.validationLoss(), head.calibratedValidationLoss(),
                head.head().temperature(), head.validationAccuracy(), seconds(t)));
        metrics.put("validation_head_accuracy", head.validationAccuracy());
        metrics.put("validation_head_loss", head.validationLoss());
        parameters.put("epochs", head.epochsRun());
        parameters.put("best_epoch", head.bestEpoch());

        float[][] validZ = IntentTrainer.logits(head.head(), validX);
        IntentModel model;
        double loss;
        if (settings.ngramBits() > 0) {
            t = System.nanoTime();
            HashedNgrams featurizer = HashedNgrams.withBits(settings.ngramBits());
            // Early stopping on in-scope validation texts: the n-gram head is there to tell intents apart
            // (with the out-of-scope texts included it stopped after 2 epochs on CLINC150, too early).
            int[] inValid = Arrays.stream(allIndices(validY.length)).filter(i -> validY[i] != oos).toArray();
            NgramTrainer ngramTrainer = new NgramTrainer(seed, NgramTrainer.DEFAULT_LEARNING_RATE,
                    settings.ngramEpochs(), settings.ngramPatience());
            List<String> ngramValid = Arrays.stream(inValid).mapToObj(validTexts::get).toList();
            NgramTrainer.Result ngrams = kd == null
                    ? ngramTrainer.train(featurizer, trainTexts, trainY, ngramValid, select(validY, inValid), labels.size(), log)
                    : ngramTrainer.trainSoft(featurizer, concatTexts(trainTexts, kd.unlabeled()), soft,
                            ngramValid, select(validY, inValid), labels.size(), log);
            float[][] validN = new float[validTexts.size()][];
            for (int i = 0; i < validN.length; i++) {
                validN[i] = ngrams.head().logits(validTexts.get(i));
            }
            Fusion fusion = Fusion.choose(validZ, validN, validY);
            validZ = Fusion.mix(validZ, validN, 1, fusion.scale());
            model = IntentModel.of(head.head().withTemperature(fusion.temperature()), adapter, ngrams.head(),
                    fusion.scale(), null);
            loss = fusion.validationLoss();
            log.accept(String.format(Locale.ROOT, "n-grams (%s): best epoch %d, val loss %.4f; fused with weight %.1f "
                    + "(lambda %.3f, T %.3f): val loss %.4f in %.1f s", featurizer.bits() + " bits", ngrams.bestEpoch(),
                    ngrams.validationLoss(), fusion.weight(), fusion.scale(), fusion.temperature(), loss, seconds(t)));
            metrics.put("validation_ngram_loss", ngrams.validationLoss());
            parameters.put("ngram_bits", settings.ngramBits());
            parameters.put("ngram_features", "words, word pairs, char 3-5-grams; FNV-1a");
            parameters.put("ngram_epochs", ngrams.epochsRun());
            parameters.put("ngram_best_epoch", ngrams.bestEpoch());
            parameters.put("ngram_weight", fusion.weight());
            parameters.put("ngram_scale", fusion.scale());
        } else {
            model = IntentModel.of(head.head(), adapter, null, 0, null);
            loss = head.calibratedValidationLoss();
        }
        double temperature = model.head().temperature();
        int[] predicted = Scores.argmax(validZ);
        metrics.put("validation_accuracy", Scores.accuracy(validY, predicted));
        metrics.put("validation_macro_f1", Scores.macroF1(validY, predicted, labels.size()));
        metrics.put("validation_loss", IntentTrainer.nll(validZ, validY, 1));
        metrics.put("validation_loss_calibrated", loss);
        parameters.put("temperature", temperature);

        Optional<Rejection> rejection = Optional.empty();
        if (oos >= 0 && Arrays.stream(validY).anyMatch(y -> y == oos)) {
            model = model.withCentroids(centroids(trainX, trainY, labels.size(), oos));
            List<RejectionCalibrator.Candidate> candidates = RejectionCalibrator.candidates(model, validX, validZ, validY, oos,
                    settings.rejectionScores());
            RejectionCalibrator.Choice choice = RejectionCalibrator.choose(candidates, predicted, validY, oos,
                    labels.get(oos), settings.minOosRecall());
            rejection = Optional.of(choice.rejection());
            metrics.put("validation_in_scope_accuracy", choice.inScopeAccuracy());
            metrics.put("validation_oos_recall", choice.oosRecall());
            metrics.put("validation_oos_precision", choice.oosPrecision());
            for (double r : new double[] {0, 0.9}) {
                if (r != settings.minOosRecall()) {
                    RejectionCalibrator.Choice alt = RejectionCalibrator.choose(candidates, predicted, validY, oos,
                            labels.get(oos), r);
                    log.accept(String.format(Locale.ROOT, "  (for comparison, '%s' would pick %s < %.4f: in-scope "
                            + "accuracy %.4f, OOS recall %.4f)", alt.rejection().criterion(), alt.rejection().score(),
                            alt.rejection().threshold(), alt.inScopeAccuracy(), alt.oosRecall()));
                }
            }
            log.accept(String.format(Locale.ROOT, "rejection: %s < %.4f or argmax '%s' (validation: in-scope accuracy "
                    + "%.4f, OOS recall %.4f, OOS precision %.4f)", choice.rejection().score(),
                    choice.rejection().threshold(), labels.get(oos), choice.inScopeAccuracy(), choice.oosRecall(),
                    choice.oosPrecision()));
        }
        return new Outcome(model, rejection, metrics, parameters);
    }

    /**
     * Unit mean of the (adapted) real training embeddings of each in-scope label; a zero row for the
     * out-of-scope label, whose examples have no common centre.
     */
    static float[][] centroids(float[][] x, int[] y, int labels, int oos) {
        float[][] c = new float[labels][x[0].length];
        for (int i = 0; i < x.length; i++) {
            if (y[i] != oos) {
                for (int d = 0; d < x[i].length; d++) {
                    c[y[i]][d] += x[i][d];
                }
            }
        }
        for (float[] row : c) {
            dev.switchboard.models.Vectors.normalize(row);
        }
        return c;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static int[] allIndices(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    private static float[][] select(float[][] x, int[] idx) {
        return Arrays.stream(idx).mapToObj(i -> x[i]).toArray(float[][]::new);
    }

    private static int[] select(int[] y, int[] idx) {
        return Arrays.stream(idx).map(i -> y[i]).toArray();
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static List<String> concatTexts(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static int[] concat(int[] a, int value, int count) {
        int[] out = Arrays.copyOf(a, a.length + count);
        Arrays.fill(out, a.length, out.length, value);
        return out;
    }
}
