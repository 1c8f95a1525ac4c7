package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.Rerankers;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The assembled runtime: routes compiled against their models, the knowledge base opened (knowledge
 * folders mirrored into it), sessions. The classifiers and the retrieval may use different encoders
 * ({@code switchboard.encoder.id}, {@code switchboard.retrieval.encoder}, and the reranker's); each
 * encoder is loaded once, whatever roles it plays. {@link #start} logs one line per startup phase with
 * its duration; cheap checks (route files) run before expensive ones (encoders, indexing) so that a
 * typo fails in milliseconds.
 */
final class Switchboard implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Switchboard.class);

    /** Run through every route once at startup so that the first real request is not the slow one. */
    static final String WARM_UP_MESSAGE = "I lost my card, what do I do?";

    private final RuntimeSettings settings;
    private final List<Encoder> encoders;
    private final KnowledgeCollections collections;
    private final RouteRegistry routes;
    private final SessionStore sessions;
    private final boolean reranker;
    private final ModelServing models;
    private final DecisionLog decisions;

    private Switchboard(RuntimeSettings settings, List<Encoder> encoders, KnowledgeCollections collections,
                        RouteRegistry routes, SessionStore sessions, boolean reranker, ModelServing models,
                        DecisionLog decisions) {
        this.settings = settings;
        this.models = models;
        this.decisions = decisions;
        this.encoders = encoders;
        this.reranker = reranker;
        this.collections = collections;
        this.routes = routes;
        this.sessions = sessions;
    }

    /**
     * Loads everything. On failure, whatever was opened is closed again and the exception (a
     * {@link RouteConfigException} for configuration problems) propagates: the app does not start.
     */
    static Switchboard start(RuntimeSettings settings) {
        return start(settings, ModelSettings.defaults(settings));
    }

    /** {@link #start(RuntimeSettings)} with registry, hot-swap, shadow and decision-log settings. */
    static Switchboard start(RuntimeSettings settings, ModelSettings modelSettings) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(modelSettings, "modelSettings");
        long t0 = System.nanoTime();
        LOG.infof("startup: home %s, routes %s, knowledge %s, data %s", settings.home(), settings.routesDir(),
                settings.knowledgeDir(), settings.dataDir());

        long t = System.nanoTime();
        List<RouteDefinition> definitions = RouteParser.loadAll(settings.routesDir());
        LOG.infof("startup: parsed %d route file(s) %s in %d ms", definitions.size(),
                definitions.stream().map(RouteDefinition::name).toList(), KnowledgeCollections.millisSince(t));

        Map<String, Encoder> encoders = new LinkedHashMap<>();
        KnowledgeCollections collections = null;
        ModelServing models = null;
        try {
            Encoder encoder = load(encoders, settings.encoderId(), "encoder");
            RetrievalSettings retrieval = settings.retrieval();
            Encoder retrievalEncoder = load(encoders, retrieval.encoderId(), "retrieval encoder");
            IndexOptions options = IndexOptions.defaults().withFusion(retrieval.fusion());
            RetrievalSettings.Reranking reranking = retrieval.reranker();
            options = switch (reranking.kind()) {
                case NONE -> options;
                case SAME -> options.withReranker(Rerankers.sameEncoder(retrievalEncoder), retrieval.rerankDepth());
                case EMBEDDING -> options.withReranker(
                        Rerankers.embedding(load(encoders, reranking.encoderId(), "reranker encoder")), retrieval.rerankDepth());
            };
            t = System.nanoTime();
            collections = KnowledgeCollections.open(settings.knowledgeDir(), settings.dataDir(), retrievalEncoder, options);
            LOG.infof("startup: knowledge base ready in %d ms (encoder %s, fusion %s, reranker %s, depth %d); folder collections %s",
                    KnowledgeCollections.millisSince(t), retrieval.encoderId(), retrieval.fusion().spec(),
                    options.reranker() == null ? "none" : options.reranker().id(), options.rerankDepth(), collections.mirrored());

            t = System.nanoTime();
            models = new ModelServing(ModelRegistry.open(modelSettings.registryDir()), encoder, encoders.values(),
                    modelSettings.logsDir());
            RouteRegistry routes = RouteRegistry.compile(definitions, settings.home(), encoder, collections,
                    new GeneratorFactory(settings.generator(), encoder), models);
            modelSettings.shadow().ifPresent(models::applyShadow);
            LOG.infof("startup: compiled %d route(s) in %d ms", routes.names().size(), KnowledgeCollections.millisSince(t));

            t = System.nanoTime();
            for (Route route : routes.all()) {
                AgentPipeline.run(route, WARM_UP_MESSAGE, List.of());
            }
            LOG.infof("startup: warm-up in %d ms", KnowledgeCollections.millisSince(t));

            SessionStore sessions = new SessionStore(settings.sessionTtl(), settings.maxSessions());
            models.watch(modelSettings.pollInterval());
            DecisionLog decisions = modelSettings.decisionLog() ? new DecisionLog(modelSettings.logsDir()) : null;
            LOG.infof("startup: ready in %d ms (registry %s, serving %s; decision log %s)", KnowledgeCollections.millisSince(t0),
                    modelSettings.registryDir(), models.all().stream().map(m -> m.id() + " " + m.versions().live().version()).toList(),
                    decisions == null ? "off" : modelSettings.logsDir());
            return new Switchboard(settings, List.copyOf(encoders.values()), collections, routes, sessions,
                    options.reranker() != null, models, decisions);
        } catch (RuntimeException e) {
            if (models != null) {
                models.close();
            }
            if (collections != null) {
                collections.close();
            }
            encoders.values().forEach(Encoder::close);
            throw e;
        }
    }

    /** The encoder {@code id}, loaded once however many roles it plays. */
    private static Encoder load(Map<String, Encoder> loaded, String id, String role) {
        Encoder e = loaded.get(id);
        if (e == null) {
            long t = System.nanoTime();
            e = Encoders.load(id);
            loaded.put(id, e);
            LOG.infof("startup: %s %s loaded in %d ms", role, id, KnowledgeCollections.millisSince(t));
        }
        return e;
    }

    RuntimeSettings settings() {
        return settings;
    }

    RouteRegistry routes() {
        return routes;
    }

    SessionStore sessions() {
        return sessions;
    }

    KnowledgeCollections collections() {
        return collections;
    }

    /** Whether a reranker is configured ({@code switchboard.retrieval.reranker} is not {@code none}). */
    boolean hasReranker() {
        return reranker;
    }

    /** The registry models the routes serve (hot swap, shadow, admin API). */
    ModelServing models() {
        return models;
    }

    /** The decision log, or null when {@code switchboard.decisions.enabled} is false. */
    DecisionLog decisions() {
        return decisions;
    }

    @Override
    public void close() {
        models.close();
        if (decisions != null) {
            decisions.close(); // writes every pending line
        }
        collections.close();
        encoders.forEach(Encoder::close);
    }
}
