package dev.switchboard.runtime;

import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.RegistryEvent;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The serving version of one {@link ModelRegistry} model, loaded and hot-swappable, for any kind a loader
 * turns into a {@code T} (an intent {@code Classifier}, a {@code SlotTagger}): the loaded version sits in an
 * {@link AtomicReference}; {@link #refresh} (the watcher, every poll interval) and {@link #promote} /
 * {@link #rollback} (the admin API) load a new version off the request path and then swap the reference.
 * A request reads {@link #live} once and uses that version throughout, so in-flight requests finish on the
 * version they started with.
 *
 * <p>A version that fails to load, or whose manifest has another kind or another label set than the live
 * version's (routes name labels; the registry refuses both on promotion, this also catches a hand-edited
 * {@code CURRENT}), is not swapped in: the old version keeps serving and {@link #lastError} says why until
 * the registry names a version that serves. The watcher does not retry a version that failed until the
 * registry names another one. Thread-safe.
 */
final class HotSwap<T> {

    private static final Logger LOG = Logger.getLogger(HotSwap.class);

    /** A loaded version and the latency of its live calls since it was loaded. */
    record Live<T>(T model, ModelManifest manifest, String version, Instant loadedAt, LatencyHistogram latency) {

        Live {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(manifest, "manifest");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(loadedAt, "loadedAt");
            Objects.requireNonNull(latency, "latency");
        }

        /** Runs {@code call} on this version's model and records how long it took in {@link #latency}. */
        <R> R timed(Function<T, R> call) {
            long t0 = System.nanoTime();
            R result = call.apply(model);
            latency.recordNanos(System.nanoTime() - t0);
            return result;
        }
    }

    private final ModelId id;
    private final ModelRegistry registry;
    private final Function<Path, T> loader;
    private final Function<T, ModelManifest> manifestOf;
    private final AtomicReference<Live<T>> live = new AtomicReference<>();
    private final Object swapLock = new Object();
    private volatile String lastError;
    private volatile String failedVersion;

    private HotSwap(ModelId id, ModelRegistry registry, Function<Path, T> loader, Function<T, ModelManifest> manifestOf) {
        this.id = Objects.requireNonNull(id, "id");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.manifestOf = Objects.requireNonNull(manifestOf, "manifestOf");
    }

    /**
     * Loads the serving version of {@code id}.
     *
     * @param loader     loads one version folder; throws an {@link IllegalArgumentException} naming the problem
     * @param manifestOf the manifest of a loaded model
     * @throws IllegalArgumentException naming the problem if the model or its serving version cannot be loaded
     */
    static <T> HotSwap<T> open(ModelId id, ModelRegistry registry, Function<Path, T> loader,
                               Function<T, ModelManifest> manifestOf) {
        HotSwap<T> h = new HotSwap<>(id, registry, loader, manifestOf);
        h.live.set(h.load(registry.serving(id)));
        return h;
    }

    private Live<T> load(String version) {
        long t0 = System.nanoTime();
        T model = loader.apply(registry.dir(id, version));
        LOG.infof("model %s %s loaded in %d ms", id, version, (System.nanoTime() - t0) / 1_000_000);
        return new Live<>(model, manifestOf.apply(model), version, Instant.now(), new LatencyHistogram());
    }

    ModelId id() {
        return id;
    }

    ModelRegistry registry() {
        return registry;
    }

    /** The version serving now; a request reads it once. */
    Live<T> live() {
        return live.get();
    }

    /** Why the version the registry names is not serving, or null when it is. */
    String lastError() {
        return lastError;
    }

    /**
     * Loads and swaps in the registry's serving version if it changed (and did not already fail to load).
     *
     * @return true if a new version was swapped in
     */
    boolean refresh() {
        synchronized (swapLock) {
            String serving;
            try {
                serving = registry.serving(id);
            } catch (RuntimeException e) {
                fail(null, "cannot read the serving version: " + e.getMessage());
                return false;
            }
            if (serving.equals(live.get().version())) {
                failedVersion = null; // the registry names the live version (again): nothing is wrong
                lastError = null;
                return false;
            }
            if (serving.equals(failedVersion)) {
                return false;
            }
            try {
                swap(load(serving));
                return true;
            } catch (RuntimeException e) {
                fail(serving, e.getMessage());
                return false;
            }
        }
    }

    /** Validates, loads, points the registry at {@code version} and swaps it in; nothing changes on failure. */
    Live<T> promote(String version, String who, String reason) {
        synchronized (swapLock) {
            Live<T> next = candidate(version);
            registry.promote(id, version, who, reason);
            swap(next);
            return next;
        }
    }

    /** Rolls the registry back to the previous version and swaps it in; nothing changes on failure. */
    Live<T> rollback(String who, String reason) {
        synchronized (swapLock) {
            String current = registry.serving(id);
            String target = registry.previous(id, current).orElse(null);
            Live<T> next = target == null ? null : checked(load(target));
            RegistryEvent e = registry.rollback(id, who, reason); // refuses (with the reason) when there is no target
            if (next == null || !next.version().equals(e.to())) {
                next = load(e.to());
            }
            swap(next);
            return next;
        }
    }

    /**
     * Validates and loads {@code version} without serving it (a shadow candidate, or the next version).
     *
     * @throws IllegalArgumentException naming the problem (a {@link ModelRegistry.RegistryException} for the
     *                                  registry's refusals and a label set or kind other than the live one's)
     */
    Live<T> candidate(String version) {
        registry.validate(id, version);
        return checked(load(version));
    }

    private Live<T> checked(Live<T> next) {
        Live<T> now = live.get();
        if (!now.manifest().kind().equals(next.manifest().kind())) {
            throw new ModelRegistry.RegistryException(ModelRegistry.Problem.INVALID, id + " " + next.version()
                    + " is a '" + next.manifest().kind() + "' but the live " + now.version() + " is a '"
                    + now.manifest().kind() + "'");
        }
        if (!new HashSet<>(now.manifest().labels()).equals(new HashSet<>(next.manifest().labels()))) {
            throw new ModelRegistry.RegistryException(ModelRegistry.Problem.INVALID, id + " " + next.version()
                    + " has other labels than the live " + now.version());
        }
        return next;
    }

    private void swap(Live<T> next) {
        Live<T> before = live.getAndSet(checked(next));
        failedVersion = null;
        lastError = null;
        LOG.infof("model %s: now serving %s (was %s)", id, next.version(), before.version());
    }

    private void fail(String version, String why) {
        failedVersion = version;
        String message = id + (version == null ? "" : " " + version) + " not loaded, " + live.get().version()
                + " keeps serving: " + why;
        if (!message.equals(lastError)) {
            LOG.warn(message);
        }
        lastError = message;
    }
}
