package dev.switchboard.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
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
 *
 * @param source     the folder or file as given
 * @param train      examples to fit the weights on
 * @param validation examples for early stopping and threshold tuning
 * @param test       held-out examples (possibly empty)
 * @param labels     every intent occurring in train, sorted: the model's output order
 * @param sha256     SHA-256 of the data file bytes (train then validation file; or the single fold file,
 *                   whose split the model records separately)
 */
public record MultiLabelDataset(Path source, List<MultiLabelExample> train, List<MultiLabelExample> validation,
        List<MultiLabelExample> test, List<String> labels, String sha256) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public MultiLabelDataset {
        Objects.requireNonNull(source, "source");
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

    /** True if the first non-blank line of {@code file} has an {@code "intents"} field. */
    public static boolean isMultiLabel(Path file) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    JsonNode node = JSON.readTree(line);
                    return node != null && node.has("intents");
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " line 1: bad JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + ")");
        }
    }

    /**
     * Loads a folder.
     *
     * @param validationFraction share of train held out when there is no validation file, in (0, 1)
     * @param seed               seeds that split
     */
    public static MultiLabelDataset loadFolder(Path dir, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        Path trainFile = dir.resolve("train.jsonl");
        if (!Files.isRegularFile(trainFile)) {
            throw new IllegalArgumentException("dataset folder " + dir + " has no train.jsonl");
        }
        List<MultiLabelExample> train = new ArrayList<>(rows(trainFile).stream().map(Row::example).toList());
        var validationFile = IntentDataset.splitFile(dir, "validation");
        List<MultiLabelExample> validation;
        if (validationFile.isPresent()) {
            validation = rows(validationFile.get()).stream().map(Row::example).toList();
        } else {
            Collections.shuffle(train, new Random(seed));
            int held = Math.max(1, (int) Math.round(validationFraction * train.size()));
            validation = new ArrayList<>(train.subList(0, held));
            train = new ArrayList<>(train.subList(held, train.size()));
        }
        List<MultiLabelExample> test = IntentDataset.splitFile(dir, "test")
                .map(f -> rows(f).stream().map(Row::example).toList()).orElse(List.of());
        List<Path> hashed = validationFile.map(v -> List.of(trainFile, v)).orElse(List.of(trainFile));
        return new MultiLabelDataset(dir, train, validation, test, labels(train), IntentDataset.sha256(hashed));
    }

    /** Loads one JSONL file with a {@code "fold"} on every line, split by {@code folds}. */
    public static MultiLabelDataset loadFolds(Path file, FoldSplit folds) {
        List<Row> rows = rows(file);
        List<MultiLabelExample> train = new ArrayList<>();
        List<MultiLabelExample> validation = new ArrayList<>();
        List<MultiLabelExample> test = new ArrayList<>();
        for (Row r : rows) {
            if (r.fold() < 0) {
                throw new IllegalArgumentException(file + " line " + r.line() + ": missing integer \"fold\"");
            }
            if (folds.train().contains(r.fold())) {
                train.add(r.example());
            } else if (folds.validation().contains(r.fold())) {
                validation.add(r.example());
            } else if (folds.test().contains(r.fold())) {
                test.add(r.example());
            }
        }
        String sha = IntentDataset.sha256(List.of(file));
        return new MultiLabelDataset(file, train, validation, test, labels(train), sha);
    }

    /**
     * The examples of one {@code {"text", "intents"}} JSONL file.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: <problem>"} for the first bad line
     */
    public static List<MultiLabelExample> rowsOf(Path file) {
        return rows(file).stream().map(Row::example).toList();
    }

    /** The sorted set of intents in these examples. */
    static List<String> labels(List<MultiLabelExample> examples) {
        Set<String> labels = new TreeSet<>();
        examples.forEach(e -> labels.addAll(e.intents()));
        return List.copyOf(labels);
    }

    /** One parsed line: its number, fold (-1 if absent) and example. */
    record Row(int line, int fold, MultiLabelExample example) {
    }

    /**
     * Reads {@code {"text", "intents": [...]}} lines (and {@code "fold"} when present); blank lines skipped.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: <problem>"} for the first bad line
     */
    static List<Row> rows(Path file) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(parse(n, line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }

    private static Row parse(int n, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("bad JSON (expected an object)");
        }
        JsonNode text = node.get("text");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException(text == null ? "missing \"text\"" : "\"text\" must be a string");
        }
        JsonNode intents = node.get("intents");
        if (intents == null || !intents.isArray()) {
            throw new IllegalArgumentException(intents == null ? "missing \"intents\"" : "\"intents\" must be an array");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode i : intents) {
            if (!i.isTextual()) {
                throw new IllegalArgumentException("\"intents\" must hold strings");
            }
            names.add(i.asText());
        }
        JsonNode fold = node.get("fold");
        if (fold != null && !fold.isInt()) {
            throw new IllegalArgumentException("\"fold\" must be an integer");
        }
        return new Row(n, fold == null ? -1 : fold.asInt(), new MultiLabelExample(text.asText(), names));
    }
}
