package dev.switchboard.distill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
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
 */
public record IntentDataset(Path dir, List<IntentExample> train, List<IntentExample> validation,
        List<IntentExample> test, List<String> labels, Optional<Path> validationFile, String sha256) {

    /** Validation file names, in the order they are looked for. */
    public static final List<String> VALIDATION_FILES = List.of("validation.jsonl", "valid.jsonl", "validate.jsonl");

    private static final ObjectMapper JSON = new ObjectMapper();

    public IntentDataset {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(validationFile, "validationFile");
        Objects.requireNonNull(sha256, "sha256");
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        labels = List.copyOf(labels);
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dir + " needs train and validation examples, has "
                    + train.size() + " and " + validation.size());
        }
    }

    /**
     * Loads a dataset folder.
     *
     * @param validationFraction share of each label's train examples held out for validation when the
     *                           folder has no validation file (at least one per label with two or more
     *                           examples; labels with one example stay in train); must be in (0, 1)
     * @param seed               seeds that split
     * @throws IllegalArgumentException naming the file and line of a broken example, a missing
     *                                  train.jsonl, or a validation label train does not have
     */
    public static IntentDataset load(Path dir, double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset folder " + dir + " does not exist");
        }
        Path trainFile = dir.resolve("train.jsonl");
        if (!Files.isRegularFile(trainFile)) {
            throw new IllegalArgumentException("dataset folder " + dir + " has no train.jsonl");
        }
        List<IntentExample> all = readJsonl(trainFile);
        Optional<Path> validationFile = splitFile(dir, "validation");
        List<IntentExample> train;
        List<IntentExample> validation;
        if (validationFile.isPresent()) {
            train = all;
            validation = readJsonl(validationFile.get());
        } else {
            List<List<IntentExample>> split = stratifiedSplit(all, validationFraction, seed);
            train = split.get(0);
            validation = split.get(1);
        }
        List<String> labels = List.copyOf(new TreeSet<>(train.stream().map(IntentExample::label).toList()));
        for (IntentExample e : validation) {
            if (Collections.binarySearch(labels, e.label()) < 0) {
                throw new IllegalArgumentException(validationFile.orElse(trainFile) + ": validation label '"
                        + e.label() + "' does not occur in the training examples");
            }
        }
        List<IntentExample> test = splitFile(dir, "test").map(IntentDataset::readJsonl).orElse(List.of());
        return new IntentDataset(dir, train, validation, test, labels, validationFile,
                sha256(validationFile.map(v -> List.of(trainFile, v)).orElse(List.of(trainFile))));
    }

    /**
     * The file of a split: {@code test} → test.jsonl, {@code validation} → the first of
     * {@link #VALIDATION_FILES}, {@code train} → train.jsonl, anything else → {@code <split>.jsonl}.
     */
    public static Optional<Path> splitFile(Path dir, String split) {
        List<String> names = split.equals("validation") ? VALIDATION_FILES : List.of(split + ".jsonl");
        return names.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /**
     * Reads {@code {"text", "label"}} lines (with an optional string {@code "domain"}); blank lines are skipped.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: <problem>"} for the first bad line
     *                                  (not JSON, no string "text"/"label", an empty one)
     */
    public static List<IntentExample> readJsonl(Path file) {
        List<IntentExample> examples = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    examples.add(parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return examples;
    }

    private static IntentExample parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("bad JSON (expected an object)");
        }
        JsonNode domain = node.get("domain");
        if (domain != null && !domain.isNull() && !domain.isTextual()) {
            throw new IllegalArgumentException("\"domain\" must be a string");
        }
        return new IntentExample(string(node, "text"), string(node, "label"),
                domain == null || domain.isNull() ? null : domain.asText());
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    /** Per label: seeded shuffle, then the first round(fraction * n) go to validation. */
    static List<List<IntentExample>> stratifiedSplit(List<IntentExample> all, double fraction, long seed) {
        Map<String, List<Integer>> byLabel = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byLabel.computeIfAbsent(all.get(i).label(), k -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[all.size()];
        Random random = new Random(seed);
        for (String label : new TreeSet<>(byLabel.keySet())) {
            List<Integer> indices = byLabel.get(label);
            Collections.shuffle(indices, random);
            int n = indices.size();
            int k = n < 2 ? 0 : (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
            indices.subList(0, k).forEach(i -> held[i] = true);
        }
        List<IntentExample> train = new ArrayList<>();
        List<IntentExample> validation = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held[i] ? validation : train).add(all.get(i));
        }
        return List.of(train, validation);
    }

    static String sha256(List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                digest.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
