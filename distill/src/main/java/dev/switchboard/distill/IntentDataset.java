package dev.switchboard.distill;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An intent dataset folder laid out like {@code ../shared/datasets/banking77}: {@code train.jsonl}
 * (required), a validation file ({@code validation.jsonl}, {@code valid.jsonl} or
 * {@code validate.jsonl}, the first found) and {@code test.jsonl} (optional; counted, never trained on).
 * Without a validation file, a stratified seeded split of train becomes the validation set.
 *
 * @param dir            the folder as given
 * @param train          examples to fit the weights on
 * @param validation     examples for early stopping and temperature fitting
 * @param test           held-out examples (empty if there is no test.jsonl)
 * @param labels         the distinct train labels, sorted: the classifier's output order
 * @param validationFile the validation file, or empty when validation was split from train
 * @param sha256         hex SHA-256 of the bytes of train.jsonl followed by the bytes of the
 *                       validation file (if there is one); identifies the training data exactly
 * @param preparation    what anonymization and dedupe did while loading
 */
public record IntentDataset(Path dir, List<IntentExample> train, List<IntentExample> validation,
        List<IntentExample> test, List<String> labels, Optional<Path> validationFile, String sha256,
        PreparationReport preparation) {

    /** Validation file names, in the order they are looked for. */
    public static final List<String> VALIDATION_FILES = List.of("validation.jsonl", "valid.jsonl", "validate.jsonl");

    public IntentDataset {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(validationFile, "validationFile");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(preparation, "preparation");
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        labels = List.copyOf(labels);
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dir + " needs train and validation examples, has "
                    + train.size() + " and " + validation.size());
        }
    }

    /** A dataset loaded without preparation. */
    public IntentDataset(Path dir, List<IntentExample> train, List<IntentExample> validation, List<IntentExample> test,
            List<String> labels, Optional<Path> validationFile, String sha256) {
        this(dir, train, validation, test, labels, validationFile, sha256, PreparationReport.none());
    }

    /** Loads a dataset folder as its files are (no anonymization, no dedupe); see {@link #load(Path, double, long, DataPreparation)}. */
    public static IntentDataset load(Path dir, double validationFraction, long seed) {
        return load(dir, validationFraction, seed, DataPreparation.NONE);
    }

    /**
     * Loads a dataset folder: reads every split, anonymizes, dedupes train against itself and against
     * validation and test, then (without a validation file) splits validation off train.
     *
     * @param validationFraction share of each label's train examples held out for validation when the
     *                           folder has no validation file (at least one per label with two or more
     *                           examples; labels with one example stay in train); must be in (0, 1)
     * @param seed               seeds that split
     * @throws IllegalArgumentException naming the file, line and field of a broken example, a missing
     *                                  train.jsonl, or a validation label train does not have
     */
    public static IntentDataset load(Path dir, double validationFraction, long seed, DataPreparation preparation) {
        DatasetFolder.checkFraction(validationFraction);
        DatasetFolder folder = DatasetFolder.open(dir);
        Deduplicator prep = new Deduplicator(preparation);
        DatasetFolder.Splits<IntentExample> splits = folder.read(f -> anonymize(readJsonl(f), prep), prep,
                IntentExample::text, IntentExample::label, IntentExample::label, validationFraction, seed);
        List<IntentExample> train = splits.train();
        List<IntentExample> validation = splits.validation();
        List<IntentExample> test = splits.test();
        List<String> labels = List.copyOf(new TreeSet<>(train.stream().map(IntentExample::label).toList()));
        folder.requireTrainLabels(labels, validation.stream().map(IntentExample::label));
        return new IntentDataset(dir, train, validation, test, labels, folder.validation(), folder.sha256(), prep.report());
    }

    private static List<IntentExample> anonymize(List<IntentExample> examples, Deduplicator prep) {
        return examples.stream().map(e -> new IntentExample(prep.anonymize(e.text()), e.label(), e.domain())).toList();
    }

    /**
     * The file of a split: {@code test} → test.jsonl, {@code validation} → the first of
     * {@link #VALIDATION_FILES}, {@code train} → train.jsonl, anything else → {@code <split>.jsonl}.
     */
    public static Optional<Path> splitFile(Path dir, String split) {
        return DatasetFolder.splitFile(dir, split);
    }

    /**
     * Reads {@code {"text", "label"}} lines (with an optional string {@code "domain"}); blank lines are skipped.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: field \"<name>\": <problem>"} for the first
     *                                  bad line ({@code "<file> line <n>: bad JSON (...)"} if it is not an object)
     */
    public static List<IntentExample> readJsonl(Path file) {
        return JsonlReader.read(file, IntentDataset::parse);
    }

    private static IntentExample parse(JsonNode node, int line) {
        return new IntentExample(JsonlReader.text(node, "text"), JsonlReader.text(node, "label"),
                JsonlReader.optionalText(node, "domain"));
    }

    /** Per label: seeded shuffle, then the first round(fraction * n) go to validation (see {@link DatasetFolder}). */

    static String sha256(List<Path> files) {
        return DatasetFolder.sha256(files);
    }
}
