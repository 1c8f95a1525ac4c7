package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LlmTeacher#openAiCompatible} against a loopback HTTP server that replays OpenAI Chat Completions
 * responses (bodies under src/test/resources/openai/, in the API's exact response format).
 */
class LlmTeacherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LABELS = List.of("activate_my_card", "card_arrival", "card_delivery_estimate",
            "exchange_rate");
    private static final List<String> TEXTS = List.of("my card still hasn't come", "how do I activate my card",
            "what exchange rate do you use");

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private volatile String resource;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            byte[] body;
            try (InputStream in = getClass().getResourceAsStream("/" + resource)) {
                body = in.readAllBytes();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private LlmTeacher teacher() {
        return LlmTeacher.openAiCompatible("http://127.0.0.1:" + server.getAddress().getPort() + "/v1", "gpt-4o-mini",
                "test-key", Duration.ofSeconds(10), LABELS);
    }

    @Test
    void turnsTheRecordedReplyIntoSoftLabels() {
        resource = "openai/chat-completion-labels.json";
        double[][] p = teacher().probabilities(TEXTS);
        // Named labels get their probability; the rest (1 - sum) is spread over the other labels.
        assertArrayEquals(new double[] {0, 0.85, 0.15, 0}, p[0], 1e-9);
        assertArrayEquals(new double[] {0.95, 0.05 / 3, 0.05 / 3, 0.05 / 3}, p[1], 1e-9);
        assertArrayEquals(new double[] {0, 0, 0, 1}, p[2], 1e-9);
        assertArrayEquals(new int[] {1, 0, 3}, teacher().predict(TEXTS));

        JsonNode request = requests.get(0);
        assertEquals("gpt-4o-mini", request.get("model").asText());
        assertEquals(0.0, request.get("temperature").asDouble());
        String system = request.get("messages").get(0).get("content").asText();
        assertTrue(system.contains("card_delivery_estimate\nexchange_rate"), system);
        String user = request.get("messages").get(1).get("content").asText();
        assertTrue(user.contains("1. my card still hasn't come\n2. how do I activate my card\n3. what exchange rate"), user);
        assertEquals("openai:gpt-4o-mini", teacher().id());
    }

    @Test
    void rejectsAReplyThatIsNotJson() {
        resource = "openai/chat-completion-labels-prose.json";
        var e = assertThrows(IllegalStateException.class, () -> teacher().probabilities(TEXTS));
        assertTrue(e.getMessage().startsWith("LLM teacher openai:gpt-4o-mini: the reply is not JSON"), e.getMessage());
        assertTrue(e.getMessage().endsWith("it starts: 'Sure! 1. card_arrival (very likely) 2. activate_my_card 3. exchange_rate'"),
                e.getMessage());
    }

    @Test
    void rejectsAnUnknownLabel() {
        resource = "openai/chat-completion-labels-unknown.json";
        var e = assertThrows(IllegalStateException.class, () -> teacher().probabilities(TEXTS));
        assertEquals("LLM teacher openai:gpt-4o-mini: result 1 names unknown label 'lost_card'", e.getMessage());
    }

    @Test
    void rejectsMissingAndOutOfRangeResults() {
        LlmTeacher t = teacher();
        assertEquals("LLM teacher openai:gpt-4o-mini: the reply has no result for message(s) [2]",
                assertThrows(IllegalStateException.class, () -> t.parse(
                        "{\"results\":[{\"id\":1,\"labels\":{\"card_arrival\":1}}]}", 2)).getMessage());
        assertEquals("LLM teacher openai:gpt-4o-mini: result 1 gives 'card_arrival' the probability 1.5, not a number in [0, 1]",
                assertThrows(IllegalStateException.class, () -> t.parse(
                        "{\"results\":[{\"id\":1,\"labels\":{\"card_arrival\":1.5}}]}", 1)).getMessage());
    }
}
