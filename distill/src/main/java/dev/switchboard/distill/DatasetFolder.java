package dev.switchboard.distill;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The files of a dataset folder laid out like those in {@code ../shared/datasets}: {@code train.jsonl}
 * (required), a validation file (the first of {@link IntentDataset#VALIDATION_FILES} found) and
 * {@code test.jsonl} (optional). Also the seeded stratified split used when there is no validation file,
 * and the SHA-256 that identifies the training data.
 *
 * @param dir        the folder as given
 * @param train      its train.jsonl
 * @param validation its validation file, if any
 * @param test       its test.jsonl, if any
 */
record DatasetFolder(Path dir, Path train, Optional<Path> validation, Optional<Path> test) {

    /**
     * Opens a folder.
     *
     * @throws IllegalArgumentException if the folder or its train.jsonl does not exist
     */
    static DatasetFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dataset folder " + dir + " does not exist");
        }
        Path train = dir.resolve("train.jsonl");
        if (!Files.isRegularFile(train)) {
            throw new IllegalArgumentException("dataset folder " + dir + " has no train.jsonl");
        }
        return new DatasetFolder(dir, train, splitFile(dir, "validation"), splitFile(dir, "test"));
    }

    /** A folder's examples: train deduped, validation (the file's, or split off train) and test. */
    record Splits<E>(List<E> train, List<E> validation, List<E> test) {
    }

    /**
     * What every dataset shape does with a folder: reads train, validation and test (each through
     * {@code read}, which also anonymizes), dedupes train against itself and against the validation and
     * test texts ({@link Deduplicator#dedupe}), and without a validation file splits it off train,
     * stratified by {@code stratum} ({@link #stratifiedSplit}).
     */
    <E> Splits<E> read(Function<Path, List<E>> read, Deduplicator prep, Function<E, String> text,
            Function<E, Object> label, Function<E, String> stratum, double validationFraction, long seed) {
        List<E> all = read.apply(train);
        List<E> givenValidation = validation.map(read).orElse(List.of());
        List<E> tests = test.map(read).orElse(List.of());
        List<String> heldOut = new ArrayList<>();
        givenValidation.forEach(e -> heldOut.add(text.apply(e)));
        tests.forEach(e -> heldOut.add(text.apply(e)));
        all = prep.dedupe(all, heldOut, text, label);
        if (validation.isPresent()) {
            return new Splits<>(all, givenValidation, tests);
        }
        List<List<E>> split = stratifiedSplit(all, stratum, validationFraction, seed);
        return new Splits<>(split.get(0), split.get(1), tests);
    }

    /**
     * @param labels           train's labels, sorted
     * @param validationLabels every label validation uses
     * @throws IllegalArgumentException naming the validation file (or train.jsonl when validation was split
     *                                  off it) and the first validation label train does not have
     */
    void requireTrainLabels(List<String> labels, Stream<String> validationLabels) {
        validationLabels.filter(l -> Collections.binarySearch(labels, l) < 0).findFirst().ifPresent(l -> {
            throw new IllegalArgumentException(validation.orElse(train) + ": validation label '" + l
                    + "' does not occur in the training examples");
        });
    }

    /** @throws IllegalArgumentException unless the fraction is in (0, 1) */
    static void checkFraction(double validationFraction) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in (0, 1), got " + validationFraction);
        }
    }

    /**
     * The file of a split: {@code test} → test.jsonl, {@code validation} → the first of
     * {@link IntentDataset#VALIDATION_FILES}, anything else → {@code <split>.jsonl}.
     */
    static Optional<Path> splitFile(Path dir, String split) {
        List<String> names = split.equals("validation") ? IntentDataset.VALIDATION_FILES : List.of(split + ".jsonl");
        return names.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /** Where validation came from, for logs and manifests: the file's name or "split F of train.jsonl". */
    static String validationSource(Optional<Path> validationFile, double validationFraction) {
        return validationFile.map(f -> f.getFileName().toString()).orElse("split " + validationFraction + " of train.jsonl");
    }

    /** SHA-256 of train.jsonl's bytes followed by the validation file's (if any): the training data exactly. */
    String sha256() {
        return sha256(validation.map(v -> List.of(train, v)).orElse(List.of(train)));
    }

    /** Hex SHA-256 of the concatenated bytes of these files. */
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

    /**
     * Seeded stratified split: per stratum (in sorted order, one {@link Random} for all), shuffle its
     * indices and hold out the first {@code k = max(1, min(n - 1, round(fraction · n)))} (none when
     * {@code n < 2}, so a lone example stays in train). Both parts keep the input order.
     *
     * @return {@code [train, validation]}
     */
    static <T> List<List<T>> stratifiedSplit(List<T> all, Function<T, String> stratum, double fraction, long seed) {
        Map<String, List<Integer>> byStratum = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            byStratum.computeIfAbsent(stratum.apply(all.get(i)), k -> new ArrayList<>()).add(i);
        }
        boolean[] held = new boolean[all.size()];
        Random random = new Random(seed);
        for (String key : new TreeSet<>(byStratum.keySet())) {
            List<Integer> indices = byStratum.get(key);
            Collections.shuffle(indices, random);
            int n = indices.size();
            int k = n < 2 ? 0 : (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
            indices.subList(0, k).forEach(i -> held[i] = true);
        }
        List<T> train = new ArrayList<>();
        List<T> validation = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held[i] ? validation : train).add(all.get(i));
        }
        return List.of(train, validation);
    }
}
