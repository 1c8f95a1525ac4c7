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
 * The registry models the routes use, one {@link ServedModel} per model however many routes name it,
 * and the watcher that hot-swaps them: every poll interval it re-reads each model's {@code CURRENT}, so a
 * promotion from the CLI ({@code ./switchboard models promote}) reaches a running runtime without a restart.
 */
final class ModelServing implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelServing.class);

    private final ModelRegistry registry;
    private final Encoder encoder;
    private final JsonlAppender logs;
    private final Map<ModelId, ServedModel> models = new ConcurrentHashMap<>();
    private ScheduledExecutorService watcher;

    ModelServing(ModelRegistry registry, Encoder encoder, java.nio.file.Path logsDir) {
        this.registry = registry;
        this.encoder = encoder;
        this.logs = new JsonlAppender(logsDir, "shadow-log");
    }

    ModelRegistry registry() {
        return registry;
    }

    /** The served model {@code id}, loaded on first use. */
    ServedModel serve(ModelId id) {
        return models.computeIfAbsent(id, i -> ServedModel.open(i, registry, encoder, logs));
    }

    Optional<ServedModel> find(ModelId id) {
        return Optional.ofNullable(models.get(id));
    }

    List<ServedModel> all() {
        List<ServedModel> out = new ArrayList<>(models.values());
        out.sort(java.util.Comparator.comparing(m -> m.id().toString()));
        return out;
    }

    /**
     * Applies {@code switchboard.intent.shadow}: a bare version shadows every served {@code intent} model,
     * {@code kind/name@version} one model.
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
                    List<ServedModel> intents = all().stream().filter(m -> m.id().kind().equals("intent")).toList();
                    if (intents.isEmpty()) {
                        throw new IllegalArgumentException("no route serves an intent model from the registry");
                    }
                    intents.forEach(m -> m.shadow(e));
                } else {
                    ModelId id = ModelId.parse(e.substring(0, at));
                    find(id).orElseThrow(() -> new IllegalArgumentException("no route serves " + id))
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
        for (ServedModel m : models.values()) {
            try {
                m.refresh();
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
        models.values().forEach(ServedModel::close);
        logs.close();
    }
}
