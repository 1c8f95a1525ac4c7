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
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;

/**
 * A slot-filling dataset folder laid out like {@code ../shared/datasets/snips_bio} or
 * {@code restaurant8k}: {@code train.jsonl} (required), a validation file (the first of
 * {@link IntentDataset#VALIDATION_FILES}) and {@code test.jsonl} (optional; never trained on).
 * Without a validation file a seeded random share of train becomes validation.
 *
 * <p>Each line has one of two shapes (blank lines are skipped):
 * <ul>
 *   <li>{@code {"tokens": [...], "tags": [...]}}: whitespace-free tokens with one BIO tag each
 *       ({@code O}, {@code B-x}, {@code I-x}; {@code I-x} only after {@code B-x} or {@code I-x}); the
 *       text is the tokens joined by single spaces and the spans follow from the tags;</li>
 *   <li>{@code {"text": ..., "entities": [{"start", "end", "label"[, "text"]}]}}: character offsets,
 *       end exclusive; an entity's optional {@code "text"} must equal that substring.</li>
 * </ul>
 * An optional {@code "requested_slots": [string]} becomes {@link SlotExample#context()}; other fields
 * are ignored.
 *
 * @param dir            the folder as given
 * @param train          examples to fit the weights on
 * @param validation     examples for early stopping
 * @param test           held-out examples (empty without test.jsonl)
 * @param labels         the distinct slot labels of train, sorted
 * @param validationFile the validation file, or empty when validation was split from train
 * @param sha256         hex SHA-256 of train.jsonl's bytes followed by the validation file's (if any)
 */
public record SlotDataset(Path dir, List<SlotExample> train, List<SlotExample> validation, List<SlotExample> test,
        List<String> labels, Optional<Path> validationFile, String sha256) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SlotDataset {
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
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dir + ": train.jsonl has no slot spans");
        }
    }

    /**
     * Loads a dataset folder.
     *
     * @param validationFraction share of train held out (seeded shuffle, at least one example) when
     *                           there is no validation file; must be in (0, 1)
     * @throws IllegalArgumentException naming file, line and field of a broken example, a missing
     *                                  train.jsonl, or a validation label that train does not have
     */
    public static SlotDataset load(Path dir, double validationFraction, long seed) {
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
        List<SlotExample> all = readJsonl(trainFile);
        Optional<Path> validationFile = IntentDataset.splitFile(dir, "validation");
        List<SlotExample> train;
        List<SlotExample> validation;
        if (validationFile.isPresent()) {
            train = all;
            validation = readJsonl(validationFile.get());
        } else {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            int held = all.size() < 2 ? 0 : (int) Math.max(1, Math.min(all.size() - 1, Math.round(validationFraction * all.size())));
            boolean[] isHeld = new boolean[all.size()];
            order.subList(0, held).forEach(i -> isHeld[i] = true);
            train = new ArrayList<>();
            validation = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                (isHeld[i] ? validation : train).add(all.get(i));
            }
        }
        List<String> labels = List.copyOf(new TreeSet<>(train.stream()
                .flatMap(e -> e.spans().stream()).map(SlotSpan::label).toList()));
        for (SlotExample e : validation) {
            for (SlotSpan s : e.spans()) {
                if (Collections.binarySearch(labels, s.label()) < 0) {
                    throw new IllegalArgumentException(validationFile.orElse(trainFile) + ": validation label '"
                            + s.label() + "' does not occur in the training examples");
                }
            }
        }
        List<SlotExample> test = IntentDataset.splitFile(dir, "test").map(SlotDataset::readJsonl).orElse(List.of());
        return new SlotDataset(dir, train, validation, test, labels, validationFile,
                IntentDataset.sha256(validationFile.map(v -> List.of(trainFile, v)).orElse(List.of(trainFile))));
    }

    /**
     * Reads a JSONL file of either shape.
     *
     * @throws IllegalArgumentException {@code "<file> line <n>: <problem naming the field>"} for the
     *                                  first bad line
     */
    public static List<SlotExample> readJsonl(Path file) {
        List<SlotExample> examples = new ArrayList<>();
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

    static SlotExample parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("bad JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("bad JSON (expected an object)");
        }
        List<String> context = List.of();
        JsonNode requested = node.get("requested_slots");
        if (requested != null && !requested.isNull()) {
            context = strings(requested, "requested_slots");
        }
        if (node.has("tokens")) {
            return fromTags(node, context);
        }
        if (node.has("text")) {
            return fromEntities(node, context);
        }
        throw new IllegalArgumentException("missing \"text\" (or \"tokens\" with \"tags\")");
    }

    private static SlotExample fromTags(JsonNode node, List<String> context) {
        List<String> tokens = strings(node.get("tokens"), "tokens");
        JsonNode tagsNode = node.get("tags");
        if (tagsNode == null || tagsNode.isNull()) {
            throw new IllegalArgumentException("missing \"tags\"");
        }
        List<String> tags = strings(tagsNode, "tags");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("\"tokens\" is empty");
        }
        if (tags.size() != tokens.size()) {
            throw new IllegalArgumentException("\"tags\" has " + tags.size() + " entries but \"tokens\" has " + tokens.size());
        }
        StringBuilder text = new StringBuilder();
        int[] starts = new int[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("\"tokens\"[" + i + "] must be non-empty without whitespace, got \""
                        + token + "\"");
            }
            if (i > 0) {
                text.append(' ');
            }
            starts[i] = text.length();
            text.append(token);
        }
        List<SlotSpan> spans = new ArrayList<>();
        String label = null;
        int spanStart = -1;
        int spanEnd = -1;
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            String field = "\"tags\"[" + i + "]";
            if (tag.equals("O") || tag.startsWith("B-")) {
                if (label != null) {
                    spans.add(new SlotSpan(spanStart, spanEnd, label));
                    label = null;
                }
                if (tag.startsWith("B-")) {
                    label = labelOf(tag, field);
                    spanStart = starts[i];
                    spanEnd = starts[i] + tokens.get(i).length();
                }
            } else if (tag.startsWith("I-")) {
                String inside = labelOf(tag, field);
                if (!inside.equals(label)) {
                    throw new IllegalArgumentException(field + " \"" + tag + "\" does not continue a B-" + inside
                            + " or I-" + inside + " tag");
                }
                spanEnd = starts[i] + tokens.get(i).length();
            } else {
                throw new IllegalArgumentException(field + " \"" + tag + "\" is not O, B-<label> or I-<label>");
            }
        }
        if (label != null) {
            spans.add(new SlotSpan(spanStart, spanEnd, label));
        }
        return new SlotExample(text.toString(), spans, context);
    }

    private static String labelOf(String tag, String field) {
        String label = tag.substring(2);
        if (label.isBlank() || label.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(field + " \"" + tag + "\" has a blank label or one with whitespace");
        }
        return label;
    }

    private static SlotExample fromEntities(JsonNode node, List<String> context) {
        JsonNode textNode = node.get("text");
        if (textNode.isNull() || !textNode.isTextual()) {
            throw new IllegalArgumentException("\"text\" must be a string");
        }
        String text = textNode.asText();
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty \"text\"");
        }
        JsonNode entities = node.get("entities");
        if (entities == null || entities.isNull()) {
            throw new IllegalArgumentException("missing \"entities\"");
        }
        if (!entities.isArray()) {
            throw new IllegalArgumentException("\"entities\" must be an array");
        }
        List<SlotSpan> spans = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            JsonNode e = entities.get(i);
            String field = "\"entities\"[" + i + "]";
            if (!e.isObject()) {
                throw new IllegalArgumentException(field + " must be an object");
            }
            int start = integer(e, "start", field);
            int end = integer(e, "end", field);
            JsonNode labelNode = e.get("label");
            if (labelNode == null || !labelNode.isTextual()) {
                throw new IllegalArgumentException(field + ".\"label\" must be a string");
            }
            String label = labelNode.asText();
            if (label.isBlank() || label.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(field + ".\"label\" must be non-blank without whitespace, got \"" + label + "\"");
            }
            if (start < 0 || end <= start || end > text.length()) {
                throw new IllegalArgumentException(field + " span [" + start + ", " + end
                        + ") must satisfy 0 <= start < end <= " + text.length() + " (the text's length)");
            }
            JsonNode spanText = e.get("text");
            if (spanText != null && !spanText.isNull() && !spanText.asText().equals(text.substring(start, end))) {
                throw new IllegalArgumentException(field + ".\"text\" \"" + spanText.asText() + "\" is not the text at ["
                        + start + ", " + end + "): \"" + text.substring(start, end) + "\"");
            }
            spans.add(new SlotSpan(start, end, label));
        }
        return new SlotExample(text, spans, context);
    }

    private static int integer(JsonNode e, String name, String field) {
        JsonNode value = e.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(field + " is missing \"" + name + "\"");
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + ".\"" + name + "\" must be an integer, got " + value);
        }
        return value.intValue();
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an array of strings");
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw new IllegalArgumentException("\"" + field + "\"[" + i + "] must be a string");
            }
            values.add(node.get(i).asText());
        }
        return values;
    }
}
