package dev.switchboard.runtime;

import dev.switchboard.models.ModelId;

/**
 * A registry model the runtime serves, one per model however many routes name it: its hot-swappable
 * versions ({@link HotSwap}: watcher refresh, promote, rollback, latency, last error) and what its kind adds.
 * An intent model ({@link ServedModel}) classifies and may be shadowed by a candidate version; a slot tagger
 * ({@link ServedTagger}) extracts entities and has no shadow mode.
 */
sealed interface Served extends AutoCloseable permits ServedModel, ServedTagger {

    /** The loaded versions. */
    HotSwap<?> versions();

    default ModelId id() {
        return versions().id();
    }

    /** Stops what the model runs in the background, if anything. */
    @Override
    void close();
}
