package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Generators#openAiCompatible} against a real HTTP server on loopback that answers like the
 * OpenAI Chat Completions API (bodies under src/test/resources/openai/).
 */
class GeneratorsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Passage RECOVERY = new Passage("kb-7#1", "Account recovery",
            "If you cannot access the email address on your account, contact support. We will verify your identity "
                    + "before changing the address.", 8.0);
    private static final Passage RESET = new Passage("kb-12#0", "Resetting your password",
            "Tap Forgot password? on the sign-in screen and follow the link we email you. The link expires after "
                    + "30 minutes.", 9.5);
    private static final Passage REFUNDS = new Passage("kb-3#4", "Refunds",
            "Refunds reach the original payment method within 5-10 business days.", 2.0);
    private static final GenerationRequest REQUEST = new GenerationRequest("How do I reset my password?",
            List.of(RECOVERY, RESET, REFUNDS),
            List.of(ChatTurn.user("Hi, I can't log in"), ChatTurn.assistant("Sorry to hear that! What happens when you try?")));

    private HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile String responseResource = "openai/chat-completion-password-reset.json";
    private volatile boolean hang;
    private volatile boolean hangEnded;

    private record Recorded(String method, String path, String authorization, String contentType, JsonNode body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), JSON.readTree(body)));
            if (hang) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hangEnded = true;
                return;
            }
            byte[] response = resource(responseResource);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, response.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        }
    }

    private String baseUrl() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort() + "/v1";
    }

    @Test
    void sendsAGroundedChatCompletionRequest() {
        Generator generator = Generators.openAiCompatible(baseUrl(), "gpt-4o-mini", "sk-test", Duration.ofSeconds(20));

        generator.generate(REQUEST);

        assertEquals(1, requests.size());
        Recorded request = requests.get(0);
        assertEquals("POST", request.method());
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("Bearer sk-test", request.authorization());
        assertTrue(request.contentType().startsWith("application/json"), request.contentType());
        assertEquals("gpt-4o-mini", request.body().get("model").asText());
        assertFalse(request.body().has("temperature"), "the server's default temperature: " + request.body());
        JsonNode messages = request.body().get("messages");
        assertEquals(List.of("system", "user", "assistant", "user"),
                List.of(role(messages, 0), role(messages, 1), role(messages, 2), role(messages, 3)));
        assertEquals(ChatModelGenerator.SYSTEM_PROMPT, messages.get(0).get("content").asText());
        assertEquals("Hi, I can't log in", messages.get(1).get("content").asText());
        String last = messages.get(3).get("content").asText();
        assertTrue(last.contains("[1] Account recovery\nIf you cannot access the email address"), last);
        assertTrue(last.contains("[2] Resetting your password\nTap Forgot password?"), last);
        assertTrue(last.contains("[3] Refunds\nRefunds reach the original payment method"), last);
        assertTrue(last.endsWith("Question: How do I reset my password?"), last);
    }

    @Test
    void parsesTheReplyAndItsCitations() {
        Generator generator = Generators.openAiCompatible(baseUrl(), "gpt-4o-mini", "sk-test", Duration.ofSeconds(20));

        GeneratedAnswer answer = generator.generate(REQUEST);

        // The model cited [2] (reset) first, then [1] (recovery): renumbered in order of appearance.
        assertEquals(List.of("kb-12#0", "kb-7#1"), answer.citedPassageIds());
        assertEquals("You can reset your password from the sign-in page: tap **Forgot password?** and follow the "
                + "link we email you [1]. The link expires after 30 minutes, so use it right away [1]. If you no "
                + "longer have access to that email address, contact support so we can verify your identity [2].",
                answer.text());
        assertFalse(answer.extractive());
        assertEquals("openai:gpt-4o-mini", answer.generatorId());
        assertEquals("openai:gpt-4o-mini", generator.id());
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAKey() {
        Generators.openAiCompatible(baseUrl(), "local-model", null, Duration.ofSeconds(20)).generate(REQUEST);
        Generators.openAiCompatible(baseUrl(), "local-model", " ", Duration.ofSeconds(20)).generate(REQUEST);

        assertEquals(2, requests.size());
        assertNull(requests.get(0).authorization());
        assertNull(requests.get(1).authorization());
    }

    @Test
    void doesNotCallTheModelWithoutPassages() {
        Generator generator = Generators.openAiCompatible(baseUrl(), "gpt-4o-mini", "sk-test", Duration.ofSeconds(20));

        GeneratedAnswer answer = generator.generate(new GenerationRequest("How do I reset my password?", List.of()));

        assertEquals(0, requests.size());
        assertEquals(List.of(), answer.citedPassageIds());
        assertFalse(answer.extractive());
    }

    @Test
    void anHttpErrorFailsOnceWithoutRetrying() {
        status = 401;
        responseResource = "openai/error-invalid-api-key.json";
        Generator generator = Generators.openAiCompatible(baseUrl(), "gpt-4o-mini", "sk-wrong", Duration.ofSeconds(20));

        AuthenticationException e = assertThrows(AuthenticationException.class, () -> generator.generate(REQUEST));

        assertTrue(String.valueOf(e.getMessage()).contains("Incorrect API key provided"), String.valueOf(e.getMessage()));
        assertEquals(1, requests.size());
    }

    @Test
    void aServerThatNeverAnswersFailsAtTheTimeout() {
        hang = true;
        Generator generator = Generators.openAiCompatible(baseUrl(), "gpt-4o-mini", "sk-test", Duration.ofMillis(300));

        assertThrows(TimeoutException.class, () -> generator.generate(REQUEST));

        // The client gave up while the server was still holding the request: the timeout, not the server, ended it.
        assertFalse(hangEnded);
        assertEquals(1, requests.size());

    }

    @Test
    void fromChatModelKeepsTheGivenId() {
        Generator generator = Generators.fromChatModel("local:qwen", OpenAiChatModel.builder()
                .baseUrl(baseUrl()).modelName("qwen").maxRetries(0).build());

        GeneratedAnswer answer = generator.generate(REQUEST);

        assertEquals("local:qwen", generator.id());
        assertEquals("local:qwen", answer.generatorId());
        assertEquals("qwen", requests.get(0).body().get("model").asText());
    }

    @Test
    void rejectsInvalidSettings() {
        assertEquals("baseUrl must be an absolute http(s) URL, got 'localhost:8080/v1'",
                assertThrows(IllegalArgumentException.class, () -> Generators.openAiCompatible(
                        "localhost:8080/v1", "m", null, Duration.ofSeconds(1))).getMessage());
        assertEquals("model must not be blank", assertThrows(IllegalArgumentException.class,
                () -> Generators.openAiCompatible(baseUrl(), " ", null, Duration.ofSeconds(1))).getMessage());
        assertEquals("timeout must be positive, got PT0S", assertThrows(IllegalArgumentException.class,
                () -> Generators.openAiCompatible(baseUrl(), "m", null, Duration.ZERO)).getMessage());
        assertEquals("generator id must not be blank", assertThrows(IllegalArgumentException.class,
                () -> Generators.fromChatModel("", OpenAiChatModel.builder()
                        .baseUrl(baseUrl()).modelName("m").build())).getMessage());
    }

    private static String role(JsonNode messages, int i) {
        return messages.get(i).get("role").asText();
    }

    private static byte[] resource(String name) {
        try (InputStream in = GeneratorsTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource missing: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
