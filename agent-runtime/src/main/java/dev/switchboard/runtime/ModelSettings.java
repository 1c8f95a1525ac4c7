package dev.switchboard.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the runtime serves registry models and logs its decisions.
 *
 * @param registryDir  the model registry ({@code switchboard.models.dir}, default {@code models})
 * @param pollInterval how often the watcher re-reads each served model's {@code CURRENT}
 *                     ({@code switchboard.models.poll-interval}, default 1 s), &gt; 0
 * @param shadow       {@code switchboard.intent.shadow}: a version ({@code v1}: for every served intent
 *                     model) or {@code kind/name@version}, comma-separated; empty: no shadow
 * @param logsDir      where decision and shadow logs go ({@code <data dir>/logs})
 * @param decisionLog  {@code switchboard.decisions.enabled} (default true)
 */
record ModelSettings(Path registryDir, Duration pollInterval, Optional<String> shadow, Path logsDir, boolean decisionLog) {

    ModelSettings {
        Objects.requireNonNull(registryDir, "registryDir");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(shadow, "shadow");
        Objects.requireNonNull(logsDir, "logsDir");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("switchboard.models.poll-interval must be > 0, got " + pollInterval);
        }
    }

    /** The defaults for a runtime: registry {@code <home>/models}, 1 s polls, no shadow, decisions logged. */
    static ModelSettings defaults(RuntimeSettings s) {
        return new ModelSettings(s.home().resolve("models"), Duration.ofSeconds(1), Optional.empty(),
                s.dataDir().resolve("logs"), true);
    }
}
