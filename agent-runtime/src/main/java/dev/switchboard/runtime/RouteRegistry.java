package dev.switchboard.runtime;

import dev.switchboard.models.Classifier;
import dev.switchboard.models.CombinedExtractor;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Extractor;
import dev.switchboard.models.Generator;
import dev.switchboard.models.IntentModels;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.PatternExtractor;
import dev.switchboard.models.SlotTagger;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.KnowledgeIndex;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes the runtime serves, each compiled from its definition: models loaded (once per model
 * folder), collections and generators resolved. Every problem found while compiling is a
 * {@link RouteConfigException} naming the route file and field.
 */
final class RouteRegistry {

    private static final Logger LOG = Logger.getLogger(RouteRegistry.class);

    private final Map<String, Route> routes;

    RouteRegistry(List<Route> routes) {
        Map<String, Route> byName = new LinkedHashMap<>();
        for (Route r : routes) {
            if (byName.putIfAbsent(r.name(), r) != null) {
                throw new IllegalArgumentException("route " + r.name() + " is defined twice");
            }
        }
        this.routes = byName;
    }

    /**
     * Compiles {@code definitions}; the {@code model} of a classify or extract step is a version folder relative
     * to {@code home} (pinned: loaded once), or a registry model {@code kind/name} served (and hot-swapped) by
     * {@code serving}.
     */
    static RouteRegistry compile(List<RouteDefinition> definitions, Path home, Encoder encoder,
                                 KnowledgeCollections collections, GeneratorFactory generators, ModelServing serving) {
        Objects.requireNonNull(serving, "serving");
        Map<Path, Classifier> classifiers = new HashMap<>();
        Models models = new Models(home, serving, serving.taggers(), new HashMap<>());
        List<Route> routes = definitions.stream()
                .map(d -> compile(d, home, encoder, collections, generators, classifiers, serving, models))
                .toList();
        return new RouteRegistry(routes);
    }

    /**
     * What extract steps load: registry taggers come from {@code serving}; folder taggers are loaded once per
     * version folder ({@code taggers}, not hot-swapped) by {@code loader}, with the encoders it shares with the
     * served ones.
     */
    private record Models(Path home, ModelServing serving, SlotTaggers loader, Map<Path, SlotTagger> taggers) {
    }

    private static Route compile(RouteDefinition d, Path home, Encoder encoder, KnowledgeCollections collections,
                                 GeneratorFactory generators, Map<Path, Classifier> classifiers, ModelServing serving,
                                 Models models) {
        Classifier classifier = d.step(RouteStep.Classify.class)
                .map(s -> isRegistryModel(s.model(), home)
                        ? wrap(d, s, ".model", () -> serving.serve(ModelId.parse(s.model())))
                        : classifiers.computeIfAbsent(home.resolve(s.model()).normalize(),
                                dir -> loadClassifier(d, s, dir, encoder)))
                .orElse(null);
        for (int i = 0; i < d.escalateIntents().size(); i++) {
            String label = d.escalateIntents().get(i);
            if (!classifier.labels().contains(label)) {
                throw error(d, "escalate_intents[" + i + "]", "'" + label + "' is not a label of "
                        + classifier.manifest().name() + " " + classifier.manifest().version());
            }
        }
        Extractor extractor = d.step(RouteStep.Extract.class)
                .map(s -> extractor(d, s, models))
                .orElse(null);
        KnowledgeIndex index = d.step(RouteStep.Retrieve.class)
                .map(s -> findCollection(d, s, collections))
                .orElse(null);
        Generator generator = d.step(RouteStep.Answer.class)
                .map(s -> wrap(d, s, ".generator", () -> generators.get(s.generator())))
                .orElse(null);
        return new Route(d, classifier, extractor, index, generator);
    }

    /** {@code kind/name} that is not a folder under {@code home}: a model of the registry. */
    private static boolean isRegistryModel(String model, Path home) {
        return ModelId.isValid(model) && !Files.isDirectory(home.resolve(model));
    }

    /**
     * The recognizers of the step's {@code types} (all when it lists none), merged with its slot tagger
     * if it names a {@code model}: a registry model {@code kind/name} (served: its serving version, hot-swapped)
     * or a version folder (loaded once).
     */
    private static Extractor extractor(RouteDefinition d, RouteStep.Extract s, Models models) {
        PatternExtractor patterns = wrap(d, s, ".types",
                () -> s.types().isEmpty() ? PatternExtractor.all() : PatternExtractor.of(s.types()));
        if (s.model() == null) {
            return patterns;
        }
        if (isRegistryModel(s.model(), models.home())) {
            return wrap(d, s, ".model", () -> models.serving().tagger(ModelId.parse(s.model())).with(patterns));
        }
        Path dir = models.home().resolve(s.model()).normalize();
        SlotTagger tagger = models.taggers().get(dir);
        if (tagger == null) {
            tagger = wrap(d, s, ".model", () -> {
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("model folder " + dir + " does not exist");
                }
                return models.loader().load(s.model(), dir);
            });
            models.taggers().put(dir, tagger);
        }
        return CombinedExtractor.of(tagger, patterns);
    }

    private static KnowledgeIndex findCollection(RouteDefinition d, RouteStep.Retrieve s, KnowledgeCollections collections) {
        List<String> known = collections.names(s.tenant());
        try {
            return collections.find(s.collectionId()).orElseThrow(() -> error(d, d.fieldOf(s) + ".collection",
                    "no knowledge collection '" + s.collection() + "' for tenant '" + s.tenant() + "'; known: "
                            + (known.isEmpty() ? "none" : String.join(", ", known))));
        } catch (IllegalStateException e) {
            throw error(d, d.fieldOf(s) + ".collection", "collection " + s.collectionId() + " cannot be opened: " + e.getMessage());
        }
    }

    private static Classifier loadClassifier(RouteDefinition d, RouteStep.Classify s, Path dir, Encoder encoder) {
        if (!Files.isDirectory(dir)) {
            throw error(d, d.fieldOf(s) + ".model", "model folder " + dir + " does not exist");
        }
        long t0 = System.nanoTime();
        Classifier c = wrap(d, s, ".model", () -> IntentModels.load(dir, encoder));
        LOG.infof("startup: classifier %s %s (%d labels) loaded from %s in %d ms", c.manifest().name(),
                c.manifest().version(), c.labels().size(), s.model(), KnowledgeCollections.millisSince(t0));
        return c;
    }

    private static <T> T wrap(RouteDefinition d, RouteStep s, String field, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new RouteConfigException(d.source() + ": " + d.fieldOf(s) + field + ": " + e.getMessage(), e);
        }
    }

    private static RouteConfigException error(RouteDefinition d, String field, String problem) {
        return new RouteConfigException(d.source() + ": " + field + ": " + problem);
    }

    /** The routes that retrieve from {@code collection}, by name. */
    List<String> routesUsing(CollectionId collection) {
        return routes.values().stream()
                .filter(r -> r.definition().step(RouteStep.Retrieve.class)
                        .map(s -> s.collectionId().equals(collection)).orElse(false))
                .map(Route::name)
                .toList();
    }

    Optional<Route> get(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    List<Route> all() {
        return List.copyOf(routes.values());
    }

    List<String> names() {
        return List.copyOf(routes.keySet());
    }
}
