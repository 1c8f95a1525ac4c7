package dev.switchboard.runtime;

import dev.switchboard.retrieval.FusionConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * The one place where Quarkus configuration becomes plain values ({@link RuntimeSettings}) and the
 * runtime objects are built from them. Everything is created eagerly at startup, so that a broken
 * route file stops the app and the first request does not pay for model loading or indexing.
 */
@ApplicationScoped
class SwitchboardProducer {

    private static final Logger LOG = Logger.getLogger(SwitchboardProducer.class);

    @Produces
    @Singleton
    RuntimeSettings settings(SwitchboardConfig config) {
        Path home = Path.of(config.home().filter(h -> !h.isBlank()).orElse("")).toAbsolutePath().normalize();
        SwitchboardConfig.Generator.OpenAi openai = config.generator().openai();
        try {
            return new RuntimeSettings(
                    home,
                    home.resolve(config.routes().dir()).normalize(),
                    home.resolve(config.knowledge().dir()).normalize(),
                    home.resolve(config.data().dir()).normalize(),
                    config.encoder().id(),
                    new RetrievalSettings(config.retrieval().encoder(),
                            config.retrieval().fusion().filter(f -> !f.isBlank())
                                    .map(f -> parse("switchboard.retrieval.fusion", f, RetrievalSettings::parseFusion))
                                    .orElseGet(FusionConfig::defaults),
                            parse("switchboard.retrieval.reranker", config.retrieval().reranker(), RetrievalSettings::parseReranker),
                            config.retrieval().rerankDepth(),
                            config.uploads().maxFileSize().asLongValue()),
                    new RuntimeSettings.GeneratorSettings(config.generator().kind(), openai.baseUrl(), openai.model(),
                            openai.apiKey(), openai.timeout()),
                    config.limits().maxMessageChars(),
                    config.sessions().ttl(),
                    config.sessions().maxCount());
        } catch (IllegalArgumentException e) {
            throw logged(e);
        }
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    /** One readable line before Quarkus prints the stack trace and exits. */
    private static RuntimeException logged(RuntimeException e) {
        LOG.errorf("startup failed: %s", e.getMessage());
        return e;
    }

    @Produces
    @Singleton
    Switchboard switchboard(RuntimeSettings settings, SwitchboardConfig config) {
        try {
            ModelSettings models = new ModelSettings(settings.home().resolve(config.models().dir()).normalize(),
                    config.models().pollInterval(), config.intent().shadow().filter(v -> !v.isBlank()),
                    settings.dataDir().resolve("logs"), config.decisions().enabled());
            return Switchboard.start(settings, models);
        } catch (RuntimeException e) {
            throw logged(e);
        }
    }

    void close(@Disposes Switchboard switchboard) {
        switchboard.close();
    }

    @Produces
    @Singleton
    AgentService agentService(Switchboard switchboard) {
        return new AgentService(switchboard);
    }

    @Produces
    @Singleton
    KnowledgeService knowledgeService(Switchboard switchboard) {
        return new KnowledgeService(switchboard);
    }

    @Produces
    @Singleton
    OpenAiChat openAiChat(AgentService agents) {
        return new OpenAiChat(agents);
    }

    /** Forces the eager start: injecting the service builds the whole runtime. */
    void onStart(@Observes StartupEvent event, AgentService agents) {
        agents.routes();
    }
}
