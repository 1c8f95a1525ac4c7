package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The registry models the routes use, one {@link Served} per model however many routes name it (an intent
 * model of a classify step, a slot tagger of an extract step), and the watcher that hot-swaps them: every
 * poll interval it re-reads each model's {@code CURRENT}, so a promotion from the CLI
 * ({@code ./switchboard models promote}) reaches a running runtime without a restart.
 */
final class ModelServing implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelServing.class);

    private final ModelRegistry registry;
    private final Encoder encoder;
    private final JsonlAppender logs;
    private final SlotTaggers taggers;
    private final Map<ModelId, Served> models = new ConcurrentHashMap<>();
    private ScheduledExecutorService watcher;

    ModelServing(ModelRegistry registry, Encoder encoder, java.nio.file.Path logsDir) {
        this(registry, encoder, java.util.List.of(encoder), logsDir);
    }

    /**
     * @param encoder         the runtime's encoder: intent models run on it
     * @param runtimeEncoders every encoder the runtime has loaded (retrieval, reranker too): slot taggers whose
     *                        manifests name one of them share it instead of loading it again
     */
    ModelServing(ModelRegistry registry, Encoder encoder, java.util.Collection<Encoder> runtimeEncoders,
            java.nio.file.Path logsDir) {
        this.registry = registry;
        this.encoder = encoder;
        this.logs = new JsonlAppender(logsDir, "shadow-log");
        List<Encoder> shared = new ArrayList<>(List.of(encoder)); // the runtime encoder first, whatever the caller passed
        shared.addAll(runtimeEncoders);
        this.taggers = new SlotTaggers(shared);
    }

    ModelRegistry registry() {
        return registry;
    }

    /** Loads slot tagger folders with the encoders their manifests name (shared by the served and the folder ones). */
    SlotTaggers taggers() {
        return taggers;
    }

    /**
     * The served intent model {@code id}, loaded on first use.
     *
     * @throws IllegalArgumentException naming the problem if it cannot be loaded or is served as a slot tagger
     */
    ServedModel serve(ModelId id) {
        return served(id, ServedModel.class, i -> ServedModel.open(i, registry, encoder, logs));
    }

    /**
     * The served slot tagger {@code id}, loaded on first use.
     *
     * @throws IllegalArgumentException naming the problem if it cannot be loaded, is not a slot tagger, or is
     *                                  served as an intent model
     */
    ServedTagger tagger(ModelId id) {
        return served(id, ServedTagger.class, i -> ServedTagger.open(i, registry, taggers));
    }

    private <S extends Served> S served(ModelId id, Class<S> type, java.util.function.Function<ModelId, S> open) {
        Served s = models.computeIfAbsent(id, open);
        if (!type.isInstance(s)) {
            throw new IllegalArgumentException("model " + id + " is already served as " + (s instanceof ServedTagger
                    ? "a slot tagger (by an extract step)" : "an intent model (by a classify step)"));
        }
        return type.cast(s);
    }

    Optional<Served> find(ModelId id) {
        return Optional.ofNullable(models.get(id));
    }

    /** Every served model, sorted by kind and name. */
    List<Served> all() {
        List<Served> out = new ArrayList<>(models.values());
        out.sort(java.util.Comparator.comparing(m -> m.id().toString()));
        return out;
    }

    /**
     * {@code s} as an intent model that can shadow.
     *
     * @throws IllegalArgumentException if it is a slot tagger: shadow mode scores intent models only
     */
    static ServedModel shadowable(Served s) {
        if (s instanceof ServedModel m) {
            return m;
        }
        throw new IllegalArgumentException("shadow mode scores intent models only; " + s.id() + " is a slot tagger");
    }

    /**
     * Applies {@code switchboard.intent.shadow}: a bare version shadows every served {@code intent} model,
     * {@code kind/name@version} one model (an intent model: slot taggers have no shadow mode).
     *
     * @throws IllegalArgumentException naming the entry if a model is not served or a version cannot shadow
     */
    void applyShadow(String spec) {
        for (String entry : spec.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) {
                continue;
            }
            int at = e.indexOf('@');
            try {
                if (at < 0) {
                    List<ServedModel> intents = all().stream().filter(m -> m.id().kind().equals("intent"))
                            .filter(ServedModel.class::isInstance).map(ServedModel.class::cast).toList();
                    if (intents.isEmpty()) {
                        throw new IllegalArgumentException("no route serves an intent model from the registry");
                    }
                    intents.forEach(m -> m.shadow(e));
                } else {
                    ModelId id = ModelId.parse(e.substring(0, at));
                    shadowable(find(id).orElseThrow(() -> new IllegalArgumentException("no route serves " + id)))
                            .shadow(e.substring(at + 1));
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("switchboard.intent.shadow '" + e + "': " + ex.getMessage(), ex);
            }
        }
    }

    /** Starts the watcher (one daemon thread). */
    synchronized void watch(Duration interval) {
        if (watcher != null) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-watcher");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        watcher.scheduleWithFixedDelay(this::refreshAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    void refreshAll() {
        for (Served m : models.values()) {
            try {
                m.versions().refresh();
            } catch (RuntimeException e) {
                LOG.warnf(e, "model watcher: %s", m.id());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.shutdownNow();
        }
        models.values().forEach(Served::close);
        logs.close();
        taggers.close();
    }
}
