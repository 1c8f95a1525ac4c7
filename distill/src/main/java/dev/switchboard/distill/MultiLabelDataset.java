package dev.switchboard.distill;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A multi-label intent dataset ({@code {"text", "intents": [...]}} lines), from either
 * <ul>
 *   <li>a folder with {@code train.jsonl} and optional validation / {@code test.jsonl} files, named as for
 *       {@link IntentDataset} (without a validation file a seeded random share of train is held out), or</li>
 *   <li>one JSONL file whose lines carry an integer {@code "fold"} (NLU++'s {@code banking.jsonl}), split by a
 *       {@link FoldSplit}.</li>
 * </ul>
 * Loading with a {@link DataPreparation} anonymizes every split and dedupes train (the label of a text is
 * its set of intents).
 *
 * @param source      the folder or file as given
 * @param train       examples to fit the weights on
 * @param validation  examples for early stopping and threshold tuning
 * @param test        held-out examples (possibly empty)
 * @param labels      every intent occurring in train, sorted: the model's output order
 * @param sha256      SHA-256 of the data file bytes (train then validation file; or the single fold file,
 *                    whose split the model records separately)
 * @param preparation what anonymization and dedupe did while loading
 */
public record MultiLabelDataset(Path source, List<MultiLabelExample> train, List<MultiLabelExample> validation,
        List<MultiLabelExample> test, List<String> labels, String sha256, PreparationReport preparation) {

    public MultiLabelDataset {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(preparation, "preparation");
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        labels = List.copyOf(labels);
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("dataset " + source + " needs train and validation examples, has "
                    + train.size() + " and " + validation.size());
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("dataset " + source + " has no intents in its training examples");
        }
    }

    /** A dataset loaded without preparation. */
    public MultiLabelDataset(Path source, List<MultiLabelExample> train, List<MultiLabelExample> validation,
            List<MultiLabelExample> test, List<String> labels, String sha256) {
        this(source, train, validation, test, labels, sha256, PreparationReport.none());
    }

    /** True if the first non-blank line of {@code file} has an {@code "intents"} field. */
    public static boolean isMultiLabel(Path file) {
        JsonNode first = JsonlReader.firstObject(file);
        return first != null && first.has("intents");
    }

    /** Loads a folder as its files are; see {@link #loadFolder(Path, double, long, DataPreparation)}. */
    public static MultiLabelDataset loadFolder(Path dir, double validationFraction, long seed) {
        return loadFolder(dir, validationFraction, seed, DataPreparation.NONE);
    }

    /**
     * Loads a folder.
     *
     * @param validationFraction share of train held out when there is no validation file, in (0, 1)
     * @param seed               seeds that split
     */
    public static MultiLabelDataset loadFolder(Path dir, double validationFraction, long seed, DataPreparation preparation) {
        DatasetFolder.checkFraction(validationFraction);
        DatasetFolder folder = DatasetFolder.open(dir);
        Deduplicator prep = new Deduplicator(preparation);
        DatasetFolder.Splits<MultiLabelExample> splits = folder.read(f -> anonymize(rowsOf(f), prep), prep,
                MultiLabelExample::text, e -> new TreeSet<>(e.intents()), e -> "", validationFraction, seed);
        return new MultiLabelDataset(dir, splits.train(), splits.validation(), splits.test(), labels(splits.train()),
                folder.sha256(), prep.report());
    }

    /** Loads one fold file as it is; see {@link #loadFolds(Path, FoldSplit, DataPreparation)}. */
    public static MultiLabelDataset loadFolds(Path file, FoldSplit folds) {
        return loadFolds(file, folds, DataPreparation.NONE);
    }

    /** Loads one JSONL file with a {@code "fold"} on every line, split by {@code folds}. */
    public static MultiLabelDataset loadFolds(Path file, FoldSplit folds, DataPreparation preparation) {
        Deduplicator prep = new Deduplicator(preparation);
        List<MultiLabelExample> train = new ArrayList<>();
        List<MultiLabelExample> validation = new ArrayList<>();
        List<MultiLabelExample> test = new ArrayList<>();
        for (Row r : rows(file)) {
            if (r.fold() < 0) {
                throw JsonlReader.error(file, r.line(), "fold", "missing (every line of a fold file needs an integer fold)");
            }
            MultiLabelExample e = new MultiLabelExample(prep.anonymize(r.example().text()), r.example().intents());
            if (folds.train().contains(r.fold())) {
                train.add(e);
            } else if (folds.validation().contains(r.fold())) {
                validation.add(e);
            } else if (folds.test().contains(r.fold())) {
                test.add(e);
            }
        }
        List<MultiLabelExample> kept = prep.dedupe(train, texts(validation, test), MultiLabelExample::text,
                e -> new TreeSet<>(e.intents()));
        return new MultiLabelDataset(file, kept, validation, test, labels(kept), DatasetFolder.sha256(List.of(file)),
                prep.report());
    }

    /**
     * The examples of one {@code {"text", "intents"}} JSONL file.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: field \"<name>\": <problem>"} for the first bad line
     */
    public static List<MultiLabelExample> rowsOf(Path file) {
        return rows(file).stream().map(Row::example).toList();
    }

    /**
     * The examples' intents as the trainer's targets: {@code y[i][k]} true if example i has label k;
     * intents outside {@code labels} are ignored (a validation or test intent train does not have).
     */
    public static boolean[][] multiHot(List<MultiLabelExample> examples, List<String> labels) {
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < labels.size(); k++) {
            index.put(labels.get(k), k);
        }
        boolean[][] y = new boolean[examples.size()][labels.size()];
        for (int i = 0; i < examples.size(); i++) {
            for (String intent : examples.get(i).intents()) {
                Integer k = index.get(intent);
                if (k != null) {
                    y[i][k] = true;
                }
            }
        }
        return y;
    }

    /** The sorted set of intents in these examples. */
    static List<String> labels(List<MultiLabelExample> examples) {
        Set<String> labels = new TreeSet<>();
        examples.forEach(e -> labels.addAll(e.intents()));
        return List.copyOf(labels);
    }

    private static List<MultiLabelExample> anonymize(List<MultiLabelExample> examples, Deduplicator prep) {
        return examples.stream().map(e -> new MultiLabelExample(prep.anonymize(e.text()), e.intents())).toList();
    }

    private static List<String> texts(List<MultiLabelExample> a, List<MultiLabelExample> b) {
        List<String> texts = new ArrayList<>();
        a.forEach(e -> texts.add(e.text()));
        b.forEach(e -> texts.add(e.text()));
        return texts;
    }

    /** One parsed line: its number, fold (-1 if absent) and example. */
    record Row(int line, int fold, MultiLabelExample example) {
    }

    /** Reads {@code {"text", "intents": [...]}} lines (and {@code "fold"} when present); blank lines skipped. */
    static List<Row> rows(Path file) {
        return JsonlReader.read(file, (node, line) -> {
            String text = JsonlReader.text(node, "text");
            List<String> intents = JsonlReader.strings(node.get("intents"), "intents");
            for (int i = 0; i < intents.size(); i++) {
                if (intents.get(i).isBlank()) {
                    throw new JsonlReader.FieldException("intents[" + i + "]", "empty");
                }
            }
            JsonNode fold = node.get("fold");
            int f = fold == null || fold.isNull() ? -1 : JsonlReader.integer(node, "fold", "fold");
            return new Row(line, f, new MultiLabelExample(text, intents));
        });
    }
}
