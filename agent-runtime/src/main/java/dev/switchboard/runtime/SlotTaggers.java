package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotTagger;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Loads slot tagger version folders (kind {@value SlotTagger#KIND}) for extract steps, each with the encoder its
 * manifest names: one the runtime already runs (its encoder, the retrieval or reranker encoder) when the ids
 * match, else that encoder, loaded on first use and kept until {@link #close} (which closes only the encoders
 * loaded here). Thread-safe: the model watcher loads
 * new versions while requests run.
 */
final class SlotTaggers implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SlotTaggers.class);

    private final Map<String, Encoder> shared = new LinkedHashMap<>();
    private final Map<String, Encoder> loaded = new LinkedHashMap<>();

    /** @param runtimeEncoders the encoders the runtime has loaded, shared (not closed here) */
    SlotTaggers(java.util.Collection<Encoder> runtimeEncoders) {
        for (Encoder e : runtimeEncoders) {
            shared.putIfAbsent(Objects.requireNonNull(e, "runtime encoder").info().id(), e);
        }
    }

    /** @param runtimeEncoder the runtime's encoder, shared (not closed here) */
    SlotTaggers(Encoder runtimeEncoder) {
        this(java.util.List.of(runtimeEncoder));
    }

    /**
     * Loads the version folder {@code dir}.
     *
     * @param model how the route names the model ({@code slots/restaurant8k} or a folder), for messages
     * @throws IllegalArgumentException naming the model and the problem: no manifest, a manifest of another
     *                                  kind, an encoder that cannot be loaded, or weights that do not load
     */
    SlotTagger load(String model, Path dir) {
        long t0 = System.nanoTime();
        Path manifestFile = dir.resolve(SlotTagger.MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException("model " + model + " (" + dir + ") has no " + SlotTagger.MANIFEST_FILE);
        }
        ModelManifest m = ModelManifest.read(manifestFile);
        if (!SlotTagger.KIND.equals(m.kind())) {
            throw new IllegalArgumentException("model " + model + " is of kind '" + m.kind() + "', an extract step needs a '"
                    + SlotTagger.KIND + "'");
        }
        SlotTagger tagger = SlotTagger.load(dir, encoder(m.encoder()));
        LOG.infof("slot tagger %s %s (%d tags) loaded from %s in %d ms", m.name(), m.version(),
                tagger.labels().size(), dir, KnowledgeCollections.millisSince(t0));
        return tagger;
    }

    private synchronized Encoder encoder(String id) {
        Encoder running = shared.get(id);
        if (running != null) {
            return running;
        }
        return loaded.computeIfAbsent(id, Encoders::load);
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(Encoder::close);
        loaded.clear();
    }
}
