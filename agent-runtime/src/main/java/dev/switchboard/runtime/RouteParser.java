package dev.switchboard.runtime;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.switchboard.retrieval.SearchMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads route files ({@code *.yaml} / {@code *.yml}, one route per file) into validated
 * {@link RouteDefinition}s. Every error is a {@link RouteConfigException} naming the file and the
 * field: unknown keys and step types are errors too (a typo must not silently change behaviour).
 *
 * <p>File format (snake_case keys; defaults in brackets):
 * <pre>
 * name: support                      # [file name without extension]
 * description: ...                   # [empty]
 * steps:
 *   - classify: { model: models/intent/banking77/v1, min_confidence: 0.5 }   # [0.5]
 *   - extract:  { types: [money, date] }   # or { model: slots/restaurant8k }: slot tagger + [all] recognizers
 *   - retrieve: { collection: bank-help, top_k: 4, mode: hybrid, min_cosine: 0.6 }  # [4, hybrid, 0.6]
 *                                    # tenant: acme  [default] (owner of the collection)
 *   - answer:   { generator: extractive }                                   # [default]
 * escalate_intents: [card_swallowed]  # [none]
 * escalation:
 *   message: "I'm passing you to ..."
 * </pre>
 */
final class RouteParser {

    private static final Set<String> TOP_FIELDS = Set.of("name", "description", "steps", "escalation", "escalate_intents");
    private static final List<String> STEP_TYPES = List.of("classify", "extract", "retrieve", "answer");
    private static final Map<String, Set<String>> STEP_FIELDS = Map.of(
            "classify", Set.of("model", "min_confidence"),
            "extract", Set.of("types", "model"),
            "retrieve", Set.of("tenant", "collection", "top_k", "mode", "min_cosine"),
            "answer", Set.of("generator"));

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RouteParser() {
    }

    /**
     * Loads every route file of {@code dir}, sorted by file name.
     *
     * @throws RouteConfigException if the folder is missing or holds no route file, if a file is
     *                              invalid, or if two files define the same route name
     */
    static List<RouteDefinition> loadAll(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new RouteConfigException("routes folder " + dir + " does not exist (config switchboard.routes.dir)");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> Files.isRegularFile(p) && isRouteFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new RouteConfigException("cannot list routes folder " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new RouteConfigException("routes folder " + dir + " contains no route file (*.yaml or *.yml)");
        }
        Map<String, Path> byName = new HashMap<>();
        List<RouteDefinition> routes = new ArrayList<>();
        for (Path file : files) {
            RouteDefinition route = parse(file);
            Path previous = byName.putIfAbsent(route.name(), file);
            if (previous != null) {
                throw new RouteConfigException(file + ": name: route '" + route.name() + "' is already defined in " + previous);
            }
            routes.add(route);
        }
        return List.copyOf(routes);
    }

    static boolean isRouteFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    /** Parses one route file. */
    static RouteDefinition parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new RouteConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        String base = file.getFileName().toString().replaceFirst("\\.(?i)(yaml|yml)$", "");
        return parse(file.toString(), base, text);
    }

    /** Parses route YAML {@code text}; {@code source} names it in errors, {@code defaultName} is used when no name is given. */
    static RouteDefinition parse(String source, String defaultName, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new RouteConfigException(source + ": invalid YAML" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new RouteConfigException(source + ": file is empty");
        }
        YamlFields f = new YamlFields(source);
        f.requireObject(root, "(top level)");
        f.rejectUnknown(root, "", TOP_FIELDS);

        String name = root.has("name") ? f.text(root.get("name"), "name") : defaultName;
        String description = root.has("description") ? f.text(root.get("description"), "description") : "";
        List<RouteStep> steps = parseSteps(f, root.get("steps"));
        String escalation = parseEscalation(f, root.get("escalation"));
        List<String> escalateIntents = root.has("escalate_intents")
                ? f.textList(root.get("escalate_intents"), "escalate_intents") : List.of();
        return f.build("", () -> new RouteDefinition(name, description, steps, escalation, escalateIntents, source));
    }

    private static List<RouteStep> parseSteps(YamlFields f, JsonNode node) {
        if (node == null || node.isNull()) {
            throw f.error("steps", "is required (a list such as '- classify: {...}')");
        }
        if (!node.isArray()) {
            throw f.error("steps", "must be a list, got " + YamlFields.kind(node));
        }
        List<RouteStep> steps = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            steps.add(parseStep(f, node.get(i), "steps[" + i + "]"));
        }
        return steps;
    }

    private static RouteStep parseStep(YamlFields f, JsonNode node, String path) {
        if (!node.isObject() || node.size() != 1) {
            throw f.error(path, "must be a mapping with exactly one step type (" + String.join(", ", STEP_TYPES)
                    + "), got " + (node.isObject() ? node.size() + " keys" : YamlFields.kind(node)));
        }
        String type = node.fieldNames().next();
        if (!STEP_TYPES.contains(type)) {
            throw f.error(path, "unknown step type '" + type + "'; expected one of " + String.join(", ", STEP_TYPES));
        }
        String at = path + "." + type;
        JsonNode body = node.get(type);
        if (body == null || body.isNull()) {
            body = YAML.createObjectNode();
        }
        f.requireObject(body, at);
        f.rejectUnknown(body, at + ".", STEP_FIELDS.get(type));
        JsonNode b = body;
        return switch (type) {
            case "classify" -> {
                String model = b.has("model") ? f.text(b.get("model"), at + ".model") : null;
                double min = f.number(b.get("min_confidence"), at + ".min_confidence", RouteStep.Classify.DEFAULT_MIN_CONFIDENCE);
                yield f.build(at, () -> new RouteStep.Classify(model, min));
            }
            case "extract" -> {
                String model = b.has("model") ? f.text(b.get("model"), at + ".model") : null;
                if (!b.has("types") && model == null) {
                    throw f.error(at + ".types", "is required (e.g. [money, date, email]) unless a slot tagger model is given");
                }
                List<String> types = b.has("types") ? f.textList(b.get("types"), at + ".types") : List.of();
                yield f.build(at, () -> new RouteStep.Extract(types, model));
            }
            case "retrieve" -> {
                String tenant = b.has("tenant") ? f.text(b.get("tenant"), at + ".tenant") : null;
                String collection = b.has("collection") ? f.text(b.get("collection"), at + ".collection") : null;
                int topK = (int) f.integer(b.get("top_k"), at + ".top_k", RouteStep.Retrieve.DEFAULT_TOP_K);
                SearchMode mode = b.has("mode") ? mode(f, b.get("mode"), at + ".mode") : RouteStep.Retrieve.DEFAULT_MODE;
                double minCosine = f.number(b.get("min_cosine"), at + ".min_cosine", RouteStep.Retrieve.DEFAULT_MIN_COSINE);
                yield f.build(at, () -> new RouteStep.Retrieve(tenant, collection, topK, mode, minCosine));
            }
            default -> {
                String generator = b.has("generator") ? f.text(b.get("generator"), at + ".generator") : "default";
                yield f.build(at, () -> new RouteStep.Answer(generator));
            }
        };
    }

    private static SearchMode mode(YamlFields f, JsonNode node, String path) {
        String value = f.text(node, path);
        try {
            return SearchMode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw f.error(path, "must be one of hybrid, bm25, dense, got '" + value + "'");
        }
    }

    private static String parseEscalation(YamlFields f, JsonNode node) {
        if (node == null || node.isNull()) {
            throw f.error("escalation", "is required (escalation: { message: \"...\" })");
        }
        f.requireObject(node, "escalation");
        f.rejectUnknown(node, "escalation.", Set.of("message"));
        if (!node.has("message")) {
            throw f.error("escalation.message", "is required");
        }
        return f.text(node.get("message"), "escalation.message");
    }

}
