package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Generator;
import dev.switchboard.models.Generators;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Resolves a route's {@code answer.generator} name to one shared {@link Generator} instance:
 * {@code extractive} (embedded, quotes the passages), {@code openai} (an OpenAI-compatible server
 * from {@code switchboard.generator.openai.*}) or {@code default} (= {@code switchboard.generator.kind}).
 */
final class GeneratorFactory {

    private final RuntimeSettings.GeneratorSettings settings;
    private final Encoder encoder;
    private final Map<String, Generator> created = new HashMap<>();

    GeneratorFactory(RuntimeSettings.GeneratorSettings settings, Encoder encoder) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * @throws IllegalArgumentException for an unknown name, or {@code openai} without its base URL
     *                                  and model configured
     */
    synchronized Generator get(String name) {
        String kind = "default".equals(name) ? settings.kind() : name;
        Generator existing = created.get(kind);
        if (existing != null) {
            return existing;
        }
        Generator generator = switch (kind) {
            case "extractive" -> Generators.extractive(encoder);
            case "openai" -> {
                RuntimeSettings.GeneratorSettings.requireOpenAi(settings.baseUrl(), settings.model());
                yield Generators.openAiCompatible(settings.baseUrl().get(), settings.model().get(),
                        settings.apiKey().orElse(""), settings.timeout());
            }
            default -> throw new IllegalArgumentException("unknown generator '" + name + "'; expected default, extractive or openai");
        };
        created.put(kind, generator);
        return generator;
    }
}
