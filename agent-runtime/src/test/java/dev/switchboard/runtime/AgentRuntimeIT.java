package dev.switchboard.runtime;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real HTTP against the packaged app (started by Quarkus as a separate process, with the project's
 * routes, knowledge and models; see the failsafe configuration in agent-runtime/pom.xml).
 */
@QuarkusIntegrationTest
class AgentRuntimeIT {

    private static final String MESSAGES = "/v1/agents/support/messages";
    private static final String ESCALATION = "I'm passing you to a member of our support team who can help with this.";

    private static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    /** Every error is OpenAI's envelope with a type, a code and a message. */
    private static ValidatableResponse error(ValidatableResponse r, int status, String type, String code) {
        return r.statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo(type))
                .body("error.code", equalTo(code))
                .body("error.message", not(nullValue()));
    }

    @Test
    void answersALostCardQuestionFromTheHelpCenter() {
        JsonPath json = post(MESSAGES, Map.of("message", "I lost my card, what do I do?"))
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("status", equalTo("answered"))
                .body("route", equalTo("support"))
                .body("escalation", nullValue())
                .body("intent.label", equalTo("lost_or_stolen_card"))
                .body("generator.id", equalTo("extractive"))
                .body("generator.extractive", equalTo(true))
                .body("answer", containsString("[1]"))
                .body("trace.step", equalTo(List.of("classify", "extract", "retrieve", "answer")))
                .body("trace[0].decision", containsString("lost_or_stolen_card"))
                .body("trace[0].decision", containsString("≥ 0.50"))
                .extract().jsonPath();

        assertTrue(json.getDouble("intent.confidence") >= 0.5);
        assertTrue(json.getDouble("latency_ms") > 0);
        List<Map<String, Object>> citations = json.getList("citations");
        assertFalse(citations.isEmpty(), "at least one citation");
        for (int i = 0; i < citations.size(); i++) {
            Map<String, Object> c = citations.get(i);
            assertEquals(i + 1, c.get("index"));
            String doc = (String) c.get("document_id");
            assertTrue(Files.isRegularFile(home().resolve("knowledge/bank-help/" + doc + ".md")),
                    "cited document " + doc + " is a bank-help article");
            assertTrue(((String) c.get("chunk_id")).startsWith(doc + "#"));
            assertTrue(json.getString("answer").contains("[" + (i + 1) + "]"), "citation " + (i + 1) + " is marked in the answer");
        }
        assertTrue(citations.stream().anyMatch(c -> "lost-or-stolen-card".equals(c.get("document_id"))),
                "the lost-or-stolen-card article is cited: " + citations);
        assertNotNull(json.getString("session_id"));
    }

    @Test
    void escalatesGibberishInsteadOfGuessing() {
        post(MESSAGES, Map.of("message", "asdf qwerty"))
                .statusCode(200)
                .body("status", equalTo("escalated"))
                .body("answer", equalTo(ESCALATION))
                .body("escalation.reason", equalTo("low_confidence"))
                .body("escalation.message", equalTo(ESCALATION))
                .body("citations", equalTo(List.of()))
                .body("trace.step", equalTo(List.of("classify")))
                .body("trace[0].decision", containsString("< 0.50"));
    }

    @Test
    void extractsEntitiesFromTheMessage() {
        post(MESSAGES, Map.of("message", "I was charged $20 twice on my card ending in 4821"))
                .statusCode(200)
                .body("entities.type", hasItem("money"))
                .body("entities.find { it.type == 'money' }.value", equalTo("20.00 USD"))
                .body("entities.find { it.type == 'card_tail' }.value", equalTo("4821"));
    }

    @Test
    void continuesASessionAndStoresEveryTurn() {
        String session = post(MESSAGES, Map.of("message", "I lost my card, what do I do?"))
                .statusCode(200).extract().path("session_id");

        // Unclear alone; classified together with the previous user message.
        post(MESSAGES, Map.of("message", "what should I do now?", "session_id", session))
                .statusCode(200)
                .body("intent.label", equalTo("lost_or_stolen_card"))
                .body("trace[0].decision", containsString("used session context"))
                .body("trace[0].used_session_context", equalTo(true));

        post(MESSAGES, Map.of("message", "How long will the new card take to arrive?", "session_id", session))
                .statusCode(200)
                .body("session_id", equalTo(session))
                .body("status", equalTo("answered"));

        given().when().get("/v1/agents/support/sessions/" + session).then()
                .statusCode(200)
                .body("session_id", equalTo(session))
                .body("route", equalTo("support"))
                .body("turns.role", equalTo(List.of("user", "assistant", "user", "assistant", "user", "assistant")))
                .body("turns[0].content", equalTo("I lost my card, what do I do?"))
                .body("turns[2].content", equalTo("what should I do now?"))
                .body("turns[4].content", equalTo("How long will the new card take to arrive?"))
                .body("turns[1].status", equalTo("answered"));
    }

    @Test
    void listsRoutesAndModels() {
        given().when().get("/v1/routes").then()
                .statusCode(200)
                .body("routes.name", hasItem("support"))
                .body("routes.find { it.name == 'support' }.steps", equalTo(List.of("classify", "extract", "retrieve", "answer")));
        given().when().get("/v1/models").then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.id", hasItem("support"))
                .body("data.object", everyItem(equalTo("model")));
    }

    @Test
    void speaksTheOpenAiChatCompletionsProtocol() {
        Map<String, Object> body = Map.of("model", "support", "messages", List.of(
                Map.of("role", "system", "content", "You are helpful."),
                Map.of("role", "user", "content", "I lost my card, what do I do?")));
        JsonPath json = post("/v1/chat/completions", body)
                .statusCode(200)
                .body("id", startsWith("chatcmpl-"))
                .body("object", equalTo("chat.completion"))
                .body("created", greaterThan(1_700_000_000))
                .body("model", equalTo("support"))
                .body("choices.size()", equalTo(1))
                .body("choices[0].index", equalTo(0))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", containsString("[1]"))
                .body("choices[0].finish_reason", equalTo("stop"))
                .body("switchboard.status", equalTo("answered"))
                .body("switchboard.intent.label", equalTo("lost_or_stolen_card"))
                .body("switchboard.trace.step", hasItem("retrieve"))
                .extract().jsonPath();

        assertFalse(json.getList("switchboard.citations").isEmpty());
        int prompt = json.getInt("usage.prompt_tokens");
        int completion = json.getInt("usage.completion_tokens");
        assertEquals(3 + 8, prompt, "whitespace tokens of both messages");
        assertEquals(json.getString("choices[0].message.content").strip().split("\\s+").length, completion);
        assertEquals(prompt + completion, json.getInt("usage.total_tokens"));
    }

    @Test
    void refusesStreamingAndUnknownModelsTheOpenAiWay() {
        error(post("/v1/chat/completions", Map.of("model", "support", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi")))), 400, "invalid_request_error", "streaming_unsupported")
                .body("error.message", containsString("streaming is not supported yet"))
                .body("error.param", equalTo("stream"));
        error(post("/v1/chat/completions", Map.of("model", "gpt-4", "messages", List.of(Map.of("role", "user", "content", "hi")))),
                404, "not_found_error", "route_not_found")
                .body("error.message", containsString("'gpt-4'"))
                .body("error.message", containsString("support"));
        error(post("/v1/chat/completions", Map.of("model", "support", "messages", List.of())),
                400, "invalid_request_error", "invalid_type")
                .body("error.param", equalTo("messages"));
    }

    @Test
    void reportsMalformedJsonWithItsPosition() {
        error(post(MESSAGES, "{\"message\": \"hi\",}"), 400, "invalid_request_error", "invalid_json")
                .body("error.message", matchesPattern(".*at line 1, column \\d+.*"));
    }

    @Test
    void reportsMissingAndEmptyMessages() {
        error(post(MESSAGES, Map.of("session_id", "x")), 400, "invalid_request_error", "missing_field")
                .body("error.param", equalTo("message"));
        error(post(MESSAGES, Map.of("message", "  ")), 400, "invalid_request_error", "empty_field")
                .body("error.param", equalTo("message"));
        error(post(MESSAGES, Map.of("message", 42)), 400, "invalid_request_error", "invalid_type");
    }

    @Test
    void refusesMessagesOverTheLimit() {
        error(post(MESSAGES, Map.of("message", "a".repeat(4001))), 413, "invalid_request_error", "message_too_long")
                .body("error.message", equalTo("message is 4001 characters; the limit is 4000"))
                .body("error.param", equalTo("message"));
    }

    @Test
    void refusesAOneMegabyteBodyWithJson() {
        String big = "{\"message\": \"" + "a".repeat(1024 * 1024) + "\"}";
        error(post(MESSAGES, big), 413, "invalid_request_error", "body_too_large")
                .body("error.message", containsString("the limit is 524288 bytes"));
    }

    @Test
    void refusesAOneMegabyteChunkedBodyWithJson() throws Exception {
        byte[] big = ("{\"message\": \"" + "a".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + MESSAGES))
                .header("Content-Type", "application/json")
                // An InputStream publisher has no length: the body is sent chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode());
            JsonPath json = new JsonPath(response.body());
            assertEquals("body_too_large", json.getString("error.code"));
        }
    }

    @Test
    void namesUnknownRoutesAndSessions() {
        error(post("/v1/agents/nope/messages", Map.of("message", "hi")), 404, "not_found_error", "route_not_found")
                .body("error.message", equalTo("route 'nope' does not exist; known routes: support"));
        error(post(MESSAGES, Map.of("message", "hi", "session_id", "no-such-session")), 404, "not_found_error", "session_not_found")
                .body("error.message", containsString("'no-such-session'"))
                .body("error.param", equalTo("session_id"));
        error(given().when().get("/v1/agents/support/sessions/no-such-session").then(), 404, "not_found_error", "session_not_found");
    }

    @Test
    void answersWrongContentTypesMethodsAndPathsWithJson() {
        error(given().contentType(ContentType.TEXT).body("hello").when().post(MESSAGES).then(),
                415, "invalid_request_error", "unsupported_media_type")
                .body("error.message", containsString("text/plain"));
        error(given().when().delete("/v1/routes").then(), 405, "invalid_request_error", "method_not_allowed");
        error(given().when().get("/v1/nothing-here").then(), 404, "not_found_error", "not_found")
                .body("error.message", equalTo("no endpoint GET /v1/nothing-here"));
    }

    private static Path home() {
        return Path.of(System.getProperty("switchboard.home", ".."));
    }
}
