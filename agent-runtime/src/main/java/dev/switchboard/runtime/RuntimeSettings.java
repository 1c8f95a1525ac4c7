package dev.switchboard.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the runtime needs from configuration, as plain validated values (folders already
 * resolved against the project root). Built from {@link SwitchboardConfig} by
 * {@link SwitchboardProducer}; tests build it directly.
 *
 * @param routesDir       folder of route files
 * @param knowledgeDir    folder whose subfolders are knowledge collections
 * @param dataDir         folder for the collections ({@code <dataDir>/collections/<tenant>/<name>})
 * @param home            project root that relative paths in route files (models) resolve against
 * @param encoderId       encoder of the classifiers and the extractive generator, e.g. {@code all-minilm-l6-v2-q}
 * @param retrieval       the knowledge collections' encoder, fusion and upload limit
 * @param generator       generator selection
 * @param maxMessageChars longest accepted message (code points), &gt; 0
 * @param sessionTtl      idle time after which a session is forgotten, &gt; 0
 * @param maxSessions     session count bound (LRU eviction beyond), &gt; 0
 */
record RuntimeSettings(Path home, Path routesDir, Path knowledgeDir, Path dataDir, String encoderId,
                       RetrievalSettings retrieval, GeneratorSettings generator, int maxMessageChars, Duration sessionTtl, int maxSessions) {

    RuntimeSettings {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(routesDir, "routesDir");
        Objects.requireNonNull(knowledgeDir, "knowledgeDir");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(retrieval, "retrieval");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (encoderId == null || encoderId.isBlank()) {
            throw new IllegalArgumentException("switchboard.encoder.id must not be blank");
        }
        if (maxMessageChars <= 0) {
            throw new IllegalArgumentException("switchboard.limits.max-message-chars must be > 0, got " + maxMessageChars);
        }
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("switchboard.sessions.ttl must be > 0, got " + sessionTtl);
        }
        if (maxSessions <= 0) {
            throw new IllegalArgumentException("switchboard.sessions.max-count must be > 0, got " + maxSessions);
        }
    }

    /**
     * Which generator {@code generator: default} means, and how to reach an OpenAI-compatible
     * server. {@code kind = openai} requires {@code baseUrl} and {@code model}.
     */
    record GeneratorSettings(String kind, Optional<String> baseUrl, Optional<String> model,
                             Optional<String> apiKey, Duration timeout) {

        GeneratorSettings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(timeout, "timeout");
            if (!"extractive".equals(kind) && !"openai".equals(kind)) {
                throw new IllegalArgumentException("switchboard.generator.kind must be extractive or openai, got '" + kind + "'");
            }
            if ("openai".equals(kind)) {
                requireOpenAi(baseUrl, model);
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("switchboard.generator.openai.timeout must be > 0, got " + timeout);
            }
        }

        static GeneratorSettings extractive() {
            return new GeneratorSettings("extractive", Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(60));
        }

        /** Throws unless the OpenAI-compatible server is configured. */
        static void requireOpenAi(Optional<String> baseUrl, Optional<String> model) {
            if (baseUrl.isEmpty() || baseUrl.get().isBlank()) {
                throw new IllegalArgumentException("the openai generator needs switchboard.generator.openai.base-url");
            }
            if (model.isEmpty() || model.get().isBlank()) {
                throw new IllegalArgumentException("the openai generator needs switchboard.generator.openai.model");
            }
        }
    }
}
