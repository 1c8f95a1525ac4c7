package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Paraphraser#openAiCompatible} against a loopback HTTP server answering like OpenAI's chat completions. */
class ParaphraserTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", exchange -> {
            try (exchange) {
                requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                byte[] body;
                try (InputStream in = getClass().getResourceAsStream("/openai/chat-completion-paraphrases.json")) {
                    body = in.readAllBytes();
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void sendsThePromptAndParsesOneParaphraseALine() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
        Paraphraser p = Paraphraser.openAiCompatible(base, "gpt-4o-mini", "sk-test", Duration.ofSeconds(10));
        assertEquals("openai:gpt-4o-mini", p.id());
        List<String> out = p.paraphrase("Where is my card?", 3);
        // Markers and quotes removed; the line equal to the original dropped; at most 3 kept.
        assertEquals(List.of("My card still hasn't shown up, where is it?", "I'm still waiting for my card to arrive.",
                "When will my new card get here?"), out);
        JsonNode request = requests.getFirst();
        assertEquals("gpt-4o-mini", request.get("model").asText());
        assertEquals("system", request.get("messages").get(0).get("role").asText());
        assertEquals(Paraphraser.SYSTEM_PROMPT, request.get("messages").get(0).get("content").asText());
        assertEquals("Write 3 paraphrases of this customer message:\nWhere is my card?",
                request.get("messages").get(1).get("content").asText());
        assertEquals("Bearer sk-test", authorizations.getFirst());
        assertEquals(List.of("one"), Paraphraser.parse("one\n1) one\n\n", "other", 5), "repeats are dropped");
    }

    @Test
    void badSettingsAreClearErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Paraphraser.openAiCompatible("localhost:8080", "m", null,
                Duration.ofSeconds(1))).getMessage().startsWith("--paraphrase must be an absolute http(s) URL"));
        assertEquals("--paraphrase needs --paraphrase-model", assertThrows(IllegalArgumentException.class,
                () -> Paraphraser.openAiCompatible("http://127.0.0.1:1/v1", null, null, Duration.ofSeconds(1))).getMessage());
    }
}
