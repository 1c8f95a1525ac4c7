package dev.switchboard.runtime;

import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.IntentModels;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.PiiAnonymizer;
import dev.switchboard.models.Prediction;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An intent model of any kind {@link IntentModels} loads (encoder + head, n-gram, cascade) served from the
 * {@link ModelRegistry}, hot-swappable through its {@link HotSwap} ({@link #versions}: watcher refresh,
 * promote, rollback, a version that fails to load or has other labels is not swapped in). A request
 * {@link #pin}s the version once and uses it for all its classifications, so in-flight requests finish on
 * the version they started with.
 *
 * <p>Shadow mode (intent models only): with a candidate version set, every live classification is also scored by the candidate
 * on one background thread (never served; an encoder model reuses the live embedding), agreements are counted (same label
 * and same out-of-scope flag) and disagreements are appended, anonymised, to
 * {@code <logs>/shadow-<name>.jsonl}. When the shadow thread falls behind by
 * {@value #SHADOW_QUEUE} messages, further ones are skipped and counted as {@code dropped}.
 */
final class ServedModel implements Classifier, Served {

    private static final Logger LOG = Logger.getLogger(ServedModel.class);
    static final int SHADOW_QUEUE = 1_000;

    /** Shadow counters of the current candidate. */
    record ShadowStats(String version, long scored, long agreed, long dropped) {
        Double agreementRate() {
            return scored == 0 ? null : Math.round(10_000.0 * agreed / scored) / 10_000.0;
        }
    }

    private final HotSwap<Classifier> versions;
    private final JsonlAppender logs;
    private final AtomicReference<Shadow> shadow = new AtomicReference<>();
    private ThreadPoolExecutor shadowThread;

    private static final class Shadow {
        final HotSwap.Live<Classifier> candidate;
        final AtomicLong scored = new AtomicLong();
        final AtomicLong agreed = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();

        Shadow(HotSwap.Live<Classifier> candidate) {
            this.candidate = candidate;
        }
    }

    private ServedModel(HotSwap<Classifier> versions, JsonlAppender logs) {
        this.versions = versions;
        this.logs = logs;
    }

    /**
     * Loads the serving version.
     *
     * @throws IllegalArgumentException naming the problem if the model or its serving version cannot be loaded
     */
    static ServedModel open(ModelId id, ModelRegistry registry, Encoder encoder, JsonlAppender logs) {
        return new ServedModel(HotSwap.open(id, registry, dir -> IntentModels.load(dir, encoder), Classifier::manifest),
                logs);
    }

    @Override
    public HotSwap<Classifier> versions() {
        return versions;
    }

    HotSwap.Live<Classifier> live() {
        return versions.live();
    }

    /** The version every classification of one request uses. */
    Pinned pin() {
        return new Pinned(versions.live());
    }

    /**
     * Starts scoring live traffic with {@code version} as well (replacing any earlier candidate), or stops
     * shadowing if {@code version} is null.
     */
    synchronized void shadow(String version) {
        if (version == null) {
            shadow.set(null);
            return;
        }
        HotSwap.Live<Classifier> candidate = versions.candidate(version);
        if (shadowThread == null) {
            shadowThread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(SHADOW_QUEUE),
                    r -> {
                        Thread t = new Thread(r, "shadow-" + id().name());
                        t.setDaemon(true);
                        return t;
                    });
        }
        shadow.set(new Shadow(candidate));
        LOG.infof("model %s: shadowing live traffic with %s", id(), version);
    }

    ShadowStats shadowStats() {
        Shadow s = shadow.get();
        return s == null ? null : new ShadowStats(s.candidate.version(), s.scored.get(), s.agreed.get(), s.dropped.get());
    }

    /** Waits until the shadow thread has scored everything queued so far (for tests). */
    void awaitShadow() {
        ThreadPoolExecutor t;
        synchronized (this) {
            t = shadowThread;
        }
        if (t == null) {
            return;
        }
        try {
            t.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("shadow thread did not drain: " + e.getMessage(), e);
        }
        logs.flush();
    }

    private void scoreShadow(HotSwap.Live<Classifier> liveVersion, String text, float[] embedding, Prediction served) {
        Shadow s = shadow.get();
        if (s == null) {
            return;
        }
        try {
            shadowThread.execute(() -> {
                Prediction candidate = s.candidate.model() instanceof IntentClassifier ic && embedding != null
                        ? ic.classify(text, embedding)
                        : s.candidate.model().classify(text);
                s.scored.incrementAndGet();
                if (candidate.label().equals(served.label()) && candidate.outOfScope() == served.outOfScope()) {
                    s.agreed.incrementAndGet();
                    return;
                }
                Instant ts = Instant.now();
                logs.append("shadow-" + id().name() + ".jsonl", () -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ts", ts.toString());
                    m.put("model", id().toString());
                    m.put("live_version", liveVersion.version());
                    m.put("shadow_version", s.candidate.version());
                    m.put("text", PiiAnonymizer.standard().anonymize(text));
                    m.put("live", summary(served));
                    m.put("shadow", summary(candidate));
                    return m;
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            s.dropped.incrementAndGet();
        }
    }

    private static Map<String, Object> summary(Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("intent", p.label());
        m.put("confidence", AgentPipeline.round(p.confidence()));
        m.put("out_of_scope", p.outOfScope());
        return m;
    }

    // Classifier, for route compilation (labels of escalate_intents) and callers that do not pin.
    @Override
    public Prediction classify(String text) {
        return pin().classify(text);
    }

    @Override
    public List<String> labels() {
        return versions.live().model().labels();
    }

    @Override
    public ModelManifest manifest() {
        return versions.live().manifest();
    }

    @Override
    public synchronized void close() {
        if (shadowThread != null) {
            shadowThread.shutdown();
            try {
                shadowThread.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One request's view of the model: a fixed version; records latency and feeds the shadow. An encoder
     * model embeds once and the shadow reuses that embedding; a cascade remembers which of its predictions
     * it escalated ({@link #escalated}). Used by one thread (a request's run).
     */
    final class Pinned implements Classifier {
        private final HotSwap.Live<Classifier> version;
        private final Map<Prediction, Boolean> escalations = new IdentityHashMap<>();

        private Pinned(HotSwap.Live<Classifier> version) {
            this.version = Objects.requireNonNull(version);
        }

        String version() {
            return version.version();
        }

        /**
         * For a prediction this pin's cascade returned: true if its large member answered; null for any
         * other prediction or kind.
         */
        Boolean escalated(Prediction p) {
            return escalations.get(p);
        }

        @Override
        public Prediction classify(String text) {
            long t0 = System.nanoTime();
            float[] embedding = null;
            Prediction p;
            if (version.model() instanceof IntentClassifier ic) {
                embedding = ic.encoder().embed(text);
                p = ic.classify(text, embedding);
            } else if (version.model() instanceof CascadeClassifier cascade) {
                CascadeClassifier.Decision d = cascade.decide(text);
                p = d.prediction();
                escalations.put(p, d.escalated());
            } else {
                p = version.model().classify(text);
            }
            version.latency().recordNanos(System.nanoTime() - t0);
            scoreShadow(version, text, embedding, p);
            return p;
        }

        @Override
        public List<String> labels() {
            return version.model().labels();
        }

        @Override
        public ModelManifest manifest() {
            return version.model().manifest();
        }
    }
}
