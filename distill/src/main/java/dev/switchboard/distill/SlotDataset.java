package dev.switchboard.distill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.distill.JsonlReader.FieldException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

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
 * are ignored. Overlapping entity spans are legal (restaurant8k labels "7:30 tonight" as a time and
 * "tonight" inside it as a date; BIO keeps one of them, see {@link SlotAlignment}) but reported: each
 * overlap goes to the reader's overlap consumer, which may also throw to make it an error.
 *
 * @param dir            the folder as given
 * @param train          examples to fit the weights on
 * @param validation     examples for early stopping
 * @param test           held-out examples (empty without test.jsonl)
 * @param labels         the distinct slot labels of train, sorted
 * @param validationFile the validation file, or empty when validation was split from train
 * @param sha256         hex SHA-256 of train.jsonl's bytes followed by the validation file's (if any)
 * @param preparation    what anonymization and dedupe did while loading (overlaps are its warnings)
 */
public record SlotDataset(Path dir, List<SlotExample> train, List<SlotExample> validation, List<SlotExample> test,
        List<String> labels, Optional<Path> validationFile, String sha256, PreparationReport preparation) {

    public SlotDataset {
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
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("dataset " + dir + ": train.jsonl has no slot spans");
        }
    }

    /** A dataset loaded without preparation. */
    public SlotDataset(Path dir, List<SlotExample> train, List<SlotExample> validation, List<SlotExample> test,
            List<String> labels, Optional<Path> validationFile, String sha256) {
        this(dir, train, validation, test, labels, validationFile, sha256, PreparationReport.none());
    }

    /** Loads a folder as its files are; see {@link #load(Path, double, long, DataPreparation, boolean)}. */
    public static SlotDataset load(Path dir, double validationFraction, long seed) {
        return load(dir, validationFraction, seed, DataPreparation.NONE, false);
    }

    /**
     * Loads a dataset folder: reads, anonymizes (re-mapping spans), dedupes train (a text's label is its
     * set of (slot, value) pairs) against itself, validation and test, then splits if needed.
     *
     * @param validationFraction share of train held out (seeded shuffle, at least one example) when
     *                           there is no validation file; must be in (0, 1)
     * @param rejectOverlaps     overlapping entity spans are errors (else warnings in the report)
     * @throws IllegalArgumentException naming file, line and field of a broken example, a missing
     *                                  train.jsonl, or a validation label that train does not have
     */
    public static SlotDataset load(Path dir, double validationFraction, long seed, DataPreparation preparation,
            boolean rejectOverlaps) {
        DatasetFolder.checkFraction(validationFraction);
        DatasetFolder folder = DatasetFolder.open(dir);
        Deduplicator prep = new Deduplicator(preparation);
        Consumer<String> overlaps = rejectOverlaps ? m -> {
            throw new IllegalArgumentException(m);
        } : prep::warn;
        DatasetFolder.Splits<SlotExample> splits = folder.read(f -> readJsonl(f, overlaps).stream().map(prep::anonymize)
                .toList(), prep, SlotExample::text, SlotDataset::slotValues, e -> "", validationFraction, seed);
        List<SlotExample> train = splits.train();
        List<SlotExample> validation = splits.validation();
        List<SlotExample> test = splits.test();
        List<String> labels = List.copyOf(new TreeSet<>(train.stream()
                .flatMap(e -> e.spans().stream()).map(SlotSpan::label).toList()));
        folder.requireTrainLabels(labels, validation.stream().flatMap(e -> e.spans().stream()).map(SlotSpan::label));
        return new SlotDataset(dir, train, validation, test, labels, folder.validation(), folder.sha256(), prep.report());
    }

    /** What dedupe compares: the sorted (label, normalised value) pairs. */
    private static Object slotValues(SlotExample e) {
        return e.spans().stream().map(s -> s.label() + "=" + Deduplicator.key(e.textOf(s))).sorted()
                .collect(Collectors.toList());
    }

    /** Reads a JSONL file of either shape, overlapping spans allowed. */
    public static List<SlotExample> readJsonl(Path file) {
        return readJsonl(file, m -> { });
    }

    /**
     * Reads a JSONL file of either shape.
     *
     * @param overlaps receives {@code "<file> line <n>: field \"entities[j]\": span ... overlaps entities[i] ..."}
     *                 for every pair of overlapping spans; it may throw to reject them
     * @throws IllegalArgumentException {@code "<file> line <n>: field \"<name>\": <problem>"} for the
     *                                  first bad line
     */
    public static List<SlotExample> readJsonl(Path file, Consumer<String> overlaps) {
        return JsonlReader.read(file, (node, line) -> parse(node, problem -> overlaps.accept(JsonlReader.at(file, line)
                + problem)));
    }

    static SlotExample parse(JsonNode node, Consumer<String> overlaps) {
        List<String> context = List.of();
        JsonNode requested = node.get("requested_slots");
        if (requested != null && !requested.isNull()) {
            context = JsonlReader.strings(requested, "requested_slots");
        }
        if (node.has("tokens")) {
            return fromTags(node, context);
        }
        if (node.has("text")) {
            return fromEntities(node, context, overlaps);
        }
        throw new FieldException("text", "missing (a line needs \"text\" with \"entities\", or \"tokens\" with \"tags\")");
    }

    private static SlotExample fromTags(JsonNode node, List<String> context) {
        List<String> tokens = JsonlReader.strings(node.get("tokens"), "tokens");
        List<String> tags = JsonlReader.strings(node.get("tags"), "tags");
        if (tokens.isEmpty()) {
            throw new FieldException("tokens", "empty");
        }
        if (tags.size() != tokens.size()) {
            throw new FieldException("tags", "has " + tags.size() + " entries but \"tokens\" has " + tokens.size());
        }
        StringBuilder text = new StringBuilder();
        int[] starts = new int[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
                throw new FieldException("tokens[" + i + "]", "must be non-empty without whitespace, got \"" + token + "\"");
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
            String field = "tags[" + i + "]";
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
                    throw new FieldException(field, "\"" + tag + "\" does not continue a B-" + inside + " or I-" + inside
                            + " tag (invalid BIO)");
                }
                spanEnd = starts[i] + tokens.get(i).length();
            } else {
                throw new FieldException(field, "\"" + tag + "\" is not O, B-<label> or I-<label>");
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
            throw new FieldException(field, "\"" + tag + "\" has a blank label or one with whitespace");
        }
        return label;
    }

    private static SlotExample fromEntities(JsonNode node, List<String> context, Consumer<String> overlaps) {
        String text = JsonlReader.text(node, "text");
        JsonNode entities = node.get("entities");
        if (entities == null || entities.isNull()) {
            throw new FieldException("entities", "missing");
        }
        if (!entities.isArray()) {
            throw new FieldException("entities", "must be an array, got " + entities);
        }
        List<SlotSpan> spans = new ArrayList<>();
        for (int i = 0; i < entities.size(); i++) {
            JsonNode e = entities.get(i);
            String field = "entities[" + i + "]";
            if (!e.isObject()) {
                throw new FieldException(field, "must be an object, got " + e);
            }
            int start = JsonlReader.integer(e, "start", field + ".start");
            int end = JsonlReader.integer(e, "end", field + ".end");
            String label = JsonlReader.text(e, "label", field + ".label");
            if (label.chars().anyMatch(Character::isWhitespace)) {
                throw new FieldException(field + ".label", "must not contain whitespace, got \"" + label + "\"");
            }
            if (start < 0) {
                throw new FieldException(field + ".start", start + " is negative (span out of range)");
            }
            if (end > text.length()) {
                throw new FieldException(field + ".end", end + " is past the end of the text, length " + text.length()
                        + " (span out of range)");
            }
            if (start >= end) {
                throw new FieldException(field, "start " + start + " >= end " + end);
            }
            JsonNode spanText = e.get("text");
            if (spanText != null && !spanText.isNull() && !spanText.asText().equals(text.substring(start, end))) {
                throw new FieldException(field + ".text", "\"" + spanText.asText() + "\" is not the text at [" + start + ", "
                        + end + "): \"" + text.substring(start, end) + "\"");
            }
            SlotSpan span = new SlotSpan(start, end, label);
            for (int j = 0; j < spans.size(); j++) {
                SlotSpan other = spans.get(j);
                if (other.overlaps(span)) {
                    overlaps.accept("field \"" + field + "\": span " + describe(text, span) + " overlaps \"entities[" + j
                            + "]\" " + describe(text, other));
                }
            }
            spans.add(span);
        }
        return new SlotExample(text, spans, context);
    }

    private static String describe(String text, SlotSpan s) {
        return "[" + s.start() + ", " + s.end() + ") \"" + text.substring(s.start(), s.end()) + "\" (" + s.label() + ")";
    }
}
