package dev.switchboard.runtime;

import dev.switchboard.models.CombinedExtractor;
import dev.switchboard.models.Entity;
import dev.switchboard.models.Extractor;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.PatternExtractor;
import dev.switchboard.models.SlotTagger;

import java.util.List;
import java.util.Objects;

/**
 * A slot tagger (kind {@value SlotTagger#KIND}) served from the {@link ModelRegistry}, hot-swappable like an
 * intent model through its {@link HotSwap} ({@link #versions}: watcher refresh, promote, rollback, latency of
 * the tagger's calls, a version that fails to load or is of another kind is not swapped in and
 * {@link HotSwap#lastError} says why). An extract step uses it {@link #with} its recognizers; a request
 * {@link WithPatterns#pin}s the version once, so in-flight requests finish on the version they started with.
 * Slot taggers have no shadow mode (that scores intent models only).
 */
final class ServedTagger implements Served {

    private final HotSwap<SlotTagger> versions;

    private ServedTagger(HotSwap<SlotTagger> versions) {
        this.versions = versions;
    }

    /**
     * Loads the serving version with {@code taggers}.
     *
     * @throws IllegalArgumentException naming the problem if the model or its serving version cannot be loaded
     *                                  (also when it is not a slot tagger)
     */
    static ServedTagger open(ModelId id, ModelRegistry registry, SlotTaggers taggers) {
        return new ServedTagger(HotSwap.open(id, registry, dir -> taggers.load(id.toString(), dir), SlotTagger::manifest));
    }

    @Override
    public HotSwap<SlotTagger> versions() {
        return versions;
    }

    /** An extract step's extractor: this tagger merged with {@code patterns}. */
    WithPatterns with(PatternExtractor patterns) {
        return new WithPatterns(this, patterns);
    }

    @Override
    public void close() {
        // nothing runs in the background; the encoders belong to the SlotTaggers that loaded them
    }

    /**
     * The served tagger merged with an extract step's recognizers by {@link CombinedExtractor#merge}'s rule
     * (a pattern entity wins over a model entity it overlaps). {@link #extract} pins a version for one call.
     */
    record WithPatterns(ServedTagger tagger, PatternExtractor patterns) implements Extractor {

        WithPatterns {
            Objects.requireNonNull(tagger, "tagger");
            Objects.requireNonNull(patterns, "patterns");
        }

        /** The extractor of one request: the version serving now, kept however the registry changes. */
        Pinned pin() {
            return new Pinned(tagger.versions().live(), patterns);
        }

        @Override
        public List<Entity> extract(String text) {
            return pin().extract(text);
        }
    }

    /** One request's extractor: a fixed tagger version (its latency histogram records each call) and the recognizers. */
    record Pinned(HotSwap.Live<SlotTagger> version, PatternExtractor patterns) implements Extractor {

        Pinned {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(patterns, "patterns");
        }

        @Override
        public List<Entity> extract(String text) {
            if (text == null) {
                throw new IllegalArgumentException("text must not be null");
            }
            return CombinedExtractor.merge(patterns.extract(text), version.timed(t -> t.extract(text)));
        }
    }
}
