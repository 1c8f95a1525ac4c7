package dev.switchboard.runtime;

import dev.switchboard.retrieval.FusionConfig;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.Rerankers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RuntimeSettingsTest {

    private static RuntimeSettings.GeneratorSettings generator(String kind, String baseUrl, String model) {
        return new RuntimeSettings.GeneratorSettings(kind, Optional.ofNullable(baseUrl), Optional.ofNullable(model),
                Optional.empty(), Duration.ofSeconds(30));
    }

    private static String refused(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void theOpenAiGeneratorNeedsItsServerAndModel() {
        generator("openai", "http://localhost:8000/v1", "qwen");
        assertEquals("the openai generator needs switchboard.generator.openai.base-url",
                refused(() -> generator("openai", null, "qwen")));
        assertEquals("the openai generator needs switchboard.generator.openai.model",
                refused(() -> generator("openai", "http://localhost:8000/v1", " ")));
        assertEquals("switchboard.generator.kind must be extractive or openai, got 'gpt'",
                refused(() -> generator("gpt", null, null)));
    }

    @Test
    void parsesTheRetrievalSettings() {
        assertEquals(FusionConfig.rrf(60), RetrievalSettings.parseFusion("rrf"));
        assertEquals(FusionConfig.rrf(20), RetrievalSettings.parseFusion("rrf:20"));
        assertEquals(FusionConfig.weighted(0.7), RetrievalSettings.parseFusion("weighted:0.7"));
        assertTrue(refused(() -> RetrievalSettings.parseFusion("magic")).startsWith("unknown fusion 'magic'"));
        assertEquals(RetrievalSettings.Reranking.NONE, RetrievalSettings.Reranking.parse("none"));
        assertEquals(RetrievalSettings.Reranking.SAME, RetrievalSettings.Reranking.parse("same"));
        assertEquals(RetrievalSettings.Reranking.embedding("bge-small-en-v1.5"),
                RetrievalSettings.Reranking.parse("embedding:bge-small-en-v1.5"));
        assertEquals("reranker must be same, none or embedding:<encoder id> (e.g. embedding:bge-small-en-v1.5), got 'cross'",
                refused(() -> RetrievalSettings.Reranking.parse("cross")));
        assertEquals("reranker must be same, none or embedding:<encoder id> (e.g. embedding:bge-small-en-v1.5), got 'embedding: '",
                refused(() -> RetrievalSettings.Reranking.parse("embedding: ")));
        assertEquals("switchboard.retrieval.rerank-depth must be >= 1, got 0",
                refused(() -> new RetrievalSettings("enc", FusionConfig.defaults(), RetrievalSettings.Reranking.NONE, 0, 1)));
        assertEquals("switchboard.uploads.max-file-size must be > 0, got 0",
                refused(() -> new RetrievalSettings("enc", FusionConfig.defaults(), RetrievalSettings.Reranking.NONE, 20, 0)));
    }

    @Test
    void theRetrievalDefaultsAreTheMeasuredConfiguration() {
        RetrievalSettings d = RetrievalSettings.defaults();
        assertEquals(new RetrievalSettings(KnowledgeIndex.DEFAULT_ENCODER_ID, FusionConfig.defaults(),
                RetrievalSettings.Reranking.SAME, Rerankers.DEFAULT_DEPTH, 20L * 1024 * 1024), d);
        assertEquals("bge-small-en-v1.5-q", d.encoderId());
        assertEquals(30, d.rerankDepth());
        assertEquals(d.reranker(), RetrievalSettings.Reranking.parse(RetrievalSettings.Reranking.DEFAULT));
    }

    @Test
    void limitsMustBePositive() {
        Path p = Path.of("x");
        RuntimeSettings.GeneratorSettings g = RuntimeSettings.GeneratorSettings.extractive();
        assertEquals("switchboard.limits.max-message-chars must be > 0, got 0",
                refused(() -> new RuntimeSettings(p, p, p, p, "enc", RetrievalSettings.defaults(), g, 0, Duration.ofMinutes(1), 1)));
        assertEquals("switchboard.sessions.ttl must be > 0, got PT0S",
                refused(() -> new RuntimeSettings(p, p, p, p, "enc", RetrievalSettings.defaults(), g, 10, Duration.ZERO, 1)));
        assertEquals("switchboard.sessions.max-count must be > 0, got -1",
                refused(() -> new RuntimeSettings(p, p, p, p, "enc", RetrievalSettings.defaults(), g, 10, Duration.ofMinutes(1), -1)));
    }
}
