package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Objects;

/**
 * The assembled runtime: routes compiled against their models, knowledge collections indexed,
 * sessions. {@link #start} logs one line per startup phase with its duration; cheap checks (route
 * files) run before expensive ones (encoder, indexing) so that a typo fails in milliseconds.
 */
final class Switchboard implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Switchboard.class);

    /** Run through every route once at startup so that the first real request is not the slow one. */
    static final String WARM_UP_MESSAGE = "I lost my card, what do I do?";

    private final RuntimeSettings settings;
    private final Encoder encoder;
    private final KnowledgeCollections collections;
    private final RouteRegistry routes;
    private final SessionStore sessions;

    private Switchboard(RuntimeSettings settings, Encoder encoder, KnowledgeCollections collections,
                        RouteRegistry routes, SessionStore sessions) {
        this.settings = settings;
        this.encoder = encoder;
        this.collections = collections;
        this.routes = routes;
        this.sessions = sessions;
    }

    /**
     * Loads everything. On failure, whatever was opened is closed again and the exception (a
     * {@link RouteConfigException} for configuration problems) propagates: the app does not start.
     */
    static Switchboard start(RuntimeSettings settings) {
        Objects.requireNonNull(settings, "settings");
        long t0 = System.nanoTime();
        LOG.infof("startup: home %s, routes %s, knowledge %s, data %s", settings.home(), settings.routesDir(),
                settings.knowledgeDir(), settings.dataDir());

        long t = System.nanoTime();
        List<RouteDefinition> definitions = RouteParser.loadAll(settings.routesDir());
        LOG.infof("startup: parsed %d route file(s) %s in %d ms", definitions.size(),
                definitions.stream().map(RouteDefinition::name).toList(), KnowledgeCollections.millisSince(t));

        t = System.nanoTime();
        Encoder encoder = Encoders.load(settings.encoderId());
        LOG.infof("startup: encoder %s loaded in %d ms", encoder.info().id(), KnowledgeCollections.millisSince(t));
        KnowledgeCollections collections = null;
        try {
            t = System.nanoTime();
            collections = KnowledgeCollections.open(settings.knowledgeDir(), settings.dataDir().resolve("index"), encoder);
            LOG.infof("startup: %d knowledge collection(s) %s ready in %d ms", collections.names().size(),
                    collections.names(), KnowledgeCollections.millisSince(t));

            t = System.nanoTime();
            RouteRegistry routes = RouteRegistry.compile(definitions, settings.home(), encoder, collections,
                    new GeneratorFactory(settings.generator(), encoder));
            LOG.infof("startup: compiled %d route(s) in %d ms", routes.names().size(), KnowledgeCollections.millisSince(t));

            t = System.nanoTime();
            for (Route route : routes.all()) {
                AgentPipeline.run(route, WARM_UP_MESSAGE, List.of());
            }
            LOG.infof("startup: warm-up in %d ms", KnowledgeCollections.millisSince(t));

            SessionStore sessions = new SessionStore(settings.sessionTtl(), settings.maxSessions());
            LOG.infof("startup: ready in %d ms", KnowledgeCollections.millisSince(t0));
            return new Switchboard(settings, encoder, collections, routes, sessions);
        } catch (RuntimeException e) {
            if (collections != null) {
                collections.close();
            }
            encoder.close();
            throw e;
        }
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

    @Override
    public void close() {
        collections.close();
        encoder.close();
    }
}
