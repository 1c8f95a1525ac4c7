package dev.switchboard.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What every trained artifact carries: {@code manifest.json} beside its weights, as pretty JSON with
 * these field names ({@code created} as an ISO-8601 instant, {@code teacher}/{@code parentVersion}
 * {@code null} when none).
 *
 * @param kind          what the artifact is, e.g. {@code intent-classifier}
 * @param name          model name (the folder above the version folder), e.g. {@code banking77}
 * @param version       version folder name, e.g. {@code v1}
 * @param encoder       id of the encoder whose embeddings the model consumes; must match at load time
 * @param labels        output labels, in the order of the output layer; unique and non-blank
 * @param seed          the seed every random choice of the training run came from
 * @param dataset       the data it was trained on
 * @param metrics       measured numbers, e.g. {@code validation_accuracy}; all finite
 * @param teacher       the model that produced the training labels, or {@code null}
 * @param parentVersion the version this one was fine-tuned from, or {@code null}
 * @param codeVersion   {@code git rev-parse --short HEAD} of the training code, or {@code unknown}
 * @param created       when it was written
 * @param parameters    training hyper-parameters (numbers, strings, booleans)
 * @param rejection     the calibrated out-of-scope rule of a classifier, or {@code null} for none (written as
 *                      JSON {@code null}; manifests written before the field existed read as {@code null})
 */
public record ModelManifest(String kind, String name, String version, String encoder, List<String> labels,
        long seed, DatasetInfo dataset, Map<String, Double> metrics, String teacher, String parentVersion,
        String codeVersion, Instant created, Map<String, Object> parameters, Rejection rejection) {

    /**
     * When a classifier calls a text out of scope: if its most probable label is {@code outOfScopeLabel}
     * (when the model was trained with one), or if {@code score(text) < threshold}. Scores, over the
     * model's final logits {@code z}, temperature {@code T} and in-scope labels only (the out-of-scope
     * label excluded):
     * <ul>
     *   <li>{@value #MAX_PROBABILITY}: {@code max_k softmax(z / T)_k} (the softmax still includes the
     *       out-of-scope label);</li>
     *   <li>{@value #ENERGY}: {@code T · log Σ_k exp(z_k / T)} (negative free energy, Liu et al. 2020);</li>
     *   <li>{@value #CENTROID}: {@code max_k cos(e, c_k)}, e the (adapted) embedding and c_k the unit mean
     *       training embedding of label k ({@link IntentModel#centroids()});</li>
     *   <li>{@value #COMBINED}: {@code Σ_s (score_s - mean_s) / std_s} over the {@code components} (means
     *       and standard deviations of each component score over in-scope validation examples).</li>
     * </ul>
     *
     * @param score           one of the names above
     * @param threshold       finite; texts scoring below it are out of scope
     * @param outOfScopeLabel a label of the model that means "none of the others", or {@code null}
     * @param criterion       how the threshold was chosen, in words (e.g. which validation metric it maximised)
     * @param components      for {@value #COMBINED}: component score → its standardisation; empty otherwise
     */
    public record Rejection(String score, double threshold, String outOfScopeLabel, String criterion,
            Map<String, Standardization> components) {

        public static final String MAX_PROBABILITY = "max_probability";
        public static final String ENERGY = "energy";
        public static final String CENTROID = "centroid";
        public static final String COMBINED = "combined";

        /** The scores a rejection rule may use alone or as components of {@value #COMBINED}. */
        public static final List<String> SINGLE = List.of(MAX_PROBABILITY, ENERGY, CENTROID);

        /** {@code (x - mean) / std}. */
        public record Standardization(double mean, double std) {

            public Standardization {
                if (!Double.isFinite(mean) || !(std > 0 && Double.isFinite(std))) {
                    throw new IllegalArgumentException("a standardisation needs a finite mean and std > 0, got " + mean
                            + " and " + std);
                }
            }
        }

        public Rejection {
            Objects.requireNonNull(score, "rejection.score");
            components = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(components,
                    "rejection.components")));
            if (!SINGLE.contains(score) && !score.equals(COMBINED)) {
                throw new IllegalArgumentException("rejection.score must be one of " + SINGLE + " or '" + COMBINED
                        + "', got '" + score + "'");
            }
            if (score.equals(COMBINED) == components.isEmpty()) {
                throw new IllegalArgumentException("rejection.components must be given for, and only for, the '"
                        + COMBINED + "' score");
            }
            for (String c : components.keySet()) {
                if (!SINGLE.contains(c)) {
                    throw new IllegalArgumentException("rejection component '" + c + "' is not one of " + SINGLE);
                }
            }
            if (!Double.isFinite(threshold)) {
                throw new IllegalArgumentException("rejection.threshold must be finite, got " + threshold);
            }
            if (outOfScopeLabel != null && outOfScopeLabel.isBlank()) {
                throw new IllegalArgumentException("rejection.outOfScopeLabel must not be blank");
            }
            requireText(criterion, "rejection.criterion");
        }

        /** A rule on one score. */
        public Rejection(String score, double threshold, String outOfScopeLabel, String criterion) {
            this(score, threshold, outOfScopeLabel, criterion, Map.of());
        }

        /** True if this rule needs the label centroids. */
        public boolean usesCentroids() {
            return score.equals(CENTROID) || components.containsKey(CENTROID);
        }
    }

    /** A manifest without a rejection rule (the constructor of manifests before the field existed). */
    public ModelManifest(String kind, String name, String version, String encoder, List<String> labels, long seed,
            DatasetInfo dataset, Map<String, Double> metrics, String teacher, String parentVersion, String codeVersion,
            Instant created, Map<String, Object> parameters) {
        this(kind, name, version, encoder, labels, seed, dataset, metrics, teacher, parentVersion, codeVersion, created,
                parameters, null);
    }

    /** The same manifest with this rejection rule. */
    public ModelManifest withRejection(Rejection newRejection) {
        return new ModelManifest(kind, name, version, encoder, labels, seed, dataset, metrics, teacher, parentVersion,
                codeVersion, created, parameters, newRejection);
    }

    /**
     * @param path            the dataset folder as given to the trainer
     * @param sha256          lower-case hex SHA-256 of the training data (the trainer documents which bytes)
     * @param trainCount      examples trained on
     * @param validationCount examples used for early stopping and calibration
     * @param testCount       examples held out for evaluation (0 if none)
     */
    public record DatasetInfo(String path, String sha256, int trainCount, int validationCount, int testCount) {

        private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

        public DatasetInfo {
            requireText(path, "dataset.path");
            Objects.requireNonNull(sha256, "dataset.sha256");
            if (!SHA256.matcher(sha256).matches()) {
                throw new IllegalArgumentException("dataset.sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
            }
            if (trainCount < 0 || validationCount < 0 || testCount < 0) {
                throw new IllegalArgumentException("dataset counts must be >= 0, got train " + trainCount
                        + ", validation " + validationCount + ", test " + testCount);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ModelManifest {
        requireText(kind, "kind");
        requireText(name, "name");
        requireText(version, "version");
        requireText(encoder, "encoder");
        requireText(codeVersion, "codeVersion");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(parameters, "parameters");
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("labels must not be empty");
        }
        var seen = new HashSet<String>();
        for (String label : labels) {
            if (label.isBlank()) {
                throw new IllegalArgumentException("labels must not be blank");
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("label '" + label + "' appears twice");
            }
        }
        metrics.forEach((k, v) -> {
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException("metric '" + k + "' must be finite, got " + v);
            }
        });
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        parameters.forEach((k, v) -> Objects.requireNonNull(v, () -> "parameter '" + k + "' is null"));
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        if (rejection != null && rejection.outOfScopeLabel() != null && !labels.contains(rejection.outOfScopeLabel())) {
            throw new IllegalArgumentException("rejection.outOfScopeLabel '" + rejection.outOfScopeLabel()
                    + "' is not one of the labels");
        }
    }

    /**
     * @throws IllegalArgumentException "manifest kind is 'X', expected 'Y'" unless this manifest's kind is {@code kind}
     */
    public void requireKind(String kind) {
        if (!this.kind.equals(kind)) {
            throw new IllegalArgumentException("manifest kind is '" + this.kind + "', expected '" + kind + "'");
        }
    }

    /**
     * @throws IllegalArgumentException naming both encoders unless the model was trained on {@code loaded}
     */
    public void requireEncoder(String loaded) {
        if (!encoder.equals(loaded)) {
            throw new IllegalArgumentException("model " + name + "/" + version + " was trained on encoder " + encoder
                    + " but " + loaded + " is loaded");
        }
    }

    /** Writes this manifest as pretty JSON. */
    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("kind", kind).put("name", name).put("version", version).put("encoder", encoder);
        labels.forEach(root.putArray("labels")::add);
        root.put("seed", seed);
        root.set("dataset", JSON.valueToTree(dataset));
        root.set("metrics", JSON.valueToTree(metrics));
        root.put("teacher", teacher).put("parentVersion", parentVersion).put("codeVersion", codeVersion);
        root.put("created", created.toString());
        root.set("parameters", JSON.valueToTree(parameters));
        if (rejection == null) {
            root.putNull("rejection");
        } else {
            ObjectNode r = root.putObject("rejection").put("score", rejection.score()).put("threshold", rejection.threshold())
                    .put("outOfScopeLabel", rejection.outOfScopeLabel()).put("criterion", rejection.criterion());
            if (!rejection.components().isEmpty()) {
                ObjectNode components = r.putObject("components");
                rejection.components().forEach((name, st) -> components.putObject(name).put("mean", st.mean())
                        .put("std", st.std()));
            }
        }
        try {
            Files.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a manifest.
     *
     * @throws IllegalArgumentException naming the file and field if it is missing, not JSON, or invalid
     */
    public static ModelManifest read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + " does not exist");
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String kind = text(root, "kind");
            String name = text(root, "name");
            String version = text(root, "version");
            String encoder = text(root, "encoder");
            JsonNode labelsNode = field(root, "labels");
            if (!labelsNode.isArray()) {
                throw new IllegalArgumentException("field 'labels' must be an array");
            }
            List<String> labels = new ArrayList<>();
            labelsNode.forEach(l -> labels.add(l.asText()));
            long seed = field(root, "seed").asLong();
            JsonNode ds = field(root, "dataset");
            var dataset = new DatasetInfo(text(ds, "dataset.path"), text(ds, "dataset.sha256"),
                    field(ds, "dataset.trainCount").asInt(), field(ds, "dataset.validationCount").asInt(),
                    field(ds, "dataset.testCount").asInt());
            Map<String, Double> metrics = JSON.convertValue(field(root, "metrics"),
                    new TypeReference<LinkedHashMap<String, Double>>() { });
            String codeVersion = text(root, "codeVersion");
            Instant created;
            try {
                created = Instant.parse(text(root, "created"));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("field 'created' is not an ISO-8601 instant: " + e.getMessage());
            }
            Map<String, Object> parameters = JSON.convertValue(field(root, "parameters"),
                    new TypeReference<LinkedHashMap<String, Object>>() { });
            Rejection rejection = null;
            JsonNode r = root.get("rejection");
            if (r != null && !r.isNull()) {
                JsonNode threshold = field(r, "rejection.threshold");
                if (!threshold.isNumber()) {
                    throw new IllegalArgumentException("field 'rejection.threshold' must be a number");
                }
                Map<String, Rejection.Standardization> components = new LinkedHashMap<>();
                JsonNode c = r.get("components");
                if (c != null && !c.isNull()) {
                    for (var e : c.properties()) {
                        components.put(e.getKey(), new Rejection.Standardization(
                                field(e.getValue(), "rejection.components." + e.getKey() + ".mean").asDouble(),
                                field(e.getValue(), "rejection.components." + e.getKey() + ".std").asDouble()));
                    }
                }
                rejection = new Rejection(text(r, "rejection.score"), threshold.asDouble(),
                        nullableText(r, "outOfScopeLabel"), text(r, "rejection.criterion"), components);
            }
            return new ModelManifest(kind, name, version, encoder, labels, seed, dataset, metrics,
                    nullableText(root, "teacher"), nullableText(root, "parentVersion"), codeVersion, created, parameters,
                    rejection);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@code path} is the field's name, or {@code parent.name} for a nested one. */
    private static JsonNode field(JsonNode node, String path) {
        JsonNode value = node.get(path.substring(path.lastIndexOf('.') + 1));
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("field '" + path + "' is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        return field(node, name).asText();
    }

    private static String nullableText(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void requireText(String value, String field) {
        Objects.requireNonNull(value, field);
        if (value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
    }
}
