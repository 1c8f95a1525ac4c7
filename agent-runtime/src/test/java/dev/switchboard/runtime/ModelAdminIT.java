package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model admin API against the packaged app, on its own registry ({@link ModelRegistryResource}:
 * BANKING77 v1 serving, v2, and a label-shuffled v3; the BANKING77 cascade; the restaurant8k slot tagger v1
 * serving, v2, and a broken v3): a promotion under concurrent traffic, refusals, shadow mode, the decision
 * log, a route served by the cascade, and the slot tagger of an extract step hot-swapped through the admin
 * API and through the registry on disk. Runs in order: each step starts from the state the previous one left.
 */
@QuarkusIntegrationTest
@WithTestResource(value = ModelRegistryResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelAdminIT {

    private static final String ADMIN = "/v1/admin/models";
    private static final String BANKING = ADMIN + "/intent/banking77";
    private static final String MESSAGES = "/v1/agents/support/messages";
    private static final String SLOTS = ADMIN + "/slots/restaurant8k";
    private static final String BOOKINGS = "/v1/agents/booking/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ValidatableResponse post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }

    private static ValidatableResponse error(ValidatableResponse r, int status, String code) {
        return r.statusCode(status).contentType(ContentType.JSON).body("error.code", equalTo(code))
                .body("error.message", not(nullValue()));
    }

    /** One reply of {@link #underTraffic}: its status and the model of its first trace step (or the error body). */
    private record Reply(Instant sent, int status, String model) {
    }

    /** The replies of {@link #underTraffic} and when its change returned. */
    private record Traffic(List<Reply> replies, Instant changed) {
        List<Reply> after() {
            return replies.stream().filter(r -> r.sent().isAfter(changed)).toList();
        }

        /** No request failed, some were served by {@code before}, and the 6+ sent after the change all by {@code now}. */
        void assertSwapped(String before, String now) {
            assertTrue(replies.stream().allMatch(r -> r.status() == 200), "no request fails: " + replies);
            assertTrue(replies.stream().anyMatch(r -> r.model().equals(before)), "served by " + before + " before: " + replies);
            List<Reply> after = after();
            assertTrue(after.size() >= 6);
            assertTrue(after.stream().allMatch(r -> r.model().equals(now)), "served by " + now + " after: " + after);
        }
    }

    /**
     * Sends {@code texts} to {@code path} from 3 threads; once 6 replies are in, runs {@code change} (e.g. a
     * promotion), then stops when 6 more requests sent after it have replied.
     */
    private static Traffic underTraffic(String path, String[] texts, Runnable change) throws Exception {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
        // Copy-on-write: the main thread streams over it while the senders append (a synchronized list would need
        // the stream inside synchronized (replies), or it throws ConcurrentModificationException).
        List<Reply> replies = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> senders = new ArrayList<>();
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (int t = 0; t < 3; t++) {
                int thread = t;
                senders.add(pool.submit(() -> {
                    for (int i = 0; !stop.get() || i < 2; i++) {
                        Instant sent = Instant.now();
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                        Map.of("message", texts[(thread + i) % texts.length]))))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        String model = r.statusCode() == 200
                                ? JSON.readTree(r.body()).path("trace").path(0).path("model").asText() : r.body();
                        replies.add(new Reply(sent, r.statusCode(), model));
                    }
                    return null;
                }));
            }
            while (replies.size() < 6) {
                Thread.sleep(50);
            }
            change.run();
            Instant changed = Instant.now();
            while (replies.stream().filter(r -> r.sent().isAfter(changed)).count() < 6) {
                Thread.sleep(50);
            }
            stop.set(true);
            for (Future<?> f : senders) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            return new Traffic(List.copyOf(replies), changed);
        }
    }

    /** Polls {@code path} (at most 10 s) until {@code done} holds for its JSON, which it returns. */
    private static JsonPath awaitView(String path, java.util.function.Predicate<JsonPath> done) throws Exception {
        JsonPath view = null;
        for (int i = 0; i < 100; i++) {
            view = given().when().get(path).then().statusCode(200).extract().jsonPath();
            if (done.test(view)) {
                return view;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached: " + view.prettify());
    }

    @Test
    @Order(1)
    void promotesV2WhileThreadsSendMessagesWithoutAFailedRequest() throws Exception {
        given().when().get(ADMIN).then().statusCode(200)
                .body("models[0].model", equalTo("intent/banking77"))
                .body("models[0].serving_version", equalTo("v1"))
                .body("models[0].manifest.labels", equalTo(77))
                .body("models[0].versions", equalTo(List.of("v1", "v2", "v3")));

        String[] texts = {"I lost my card", "how do I top up by bank transfer?", "my card payment was declined",
                "when will my new card arrive?"};
        Traffic traffic = underTraffic(MESSAGES, texts, () ->
                post(BANKING + "/promote", "{\"version\": \"v2\", \"reason\": \"IT\"}").statusCode(200)
                        .body("serving_version", equalTo("v2"))
                        .body("registry_version", equalTo("v2"))
                        .body("last_change.action", equalTo("promote"))
                        .body("last_change.from", equalTo("v1"))
                        .body("last_change.who", equalTo("admin-api")));

        traffic.assertSwapped("banking77 v1", "banking77 v2");

        JsonPath view = given().when().get(BANKING).then().statusCode(200).extract().jsonPath();
        assertTrue(view.getLong("latency_ms.count") >= 6, "latency of the live version is recorded");
        assertTrue(view.getDouble("latency_ms.p99") >= view.getDouble("latency_ms.p50"));
    }

    @Test
    @Order(2)
    void badAdminRequestsAreRefusedWithAJsonReason() {
        error(post(BANKING + "/promote", "{\"version\": \"v9\"}"), 404, "version_not_found")
                .body("error.message", equalTo("intent/banking77 has no version 'v9' (versions: v1, v2, v3)"));
        error(post(BANKING + "/promote", "{\"version\": \"v2\"}"), 409, "registry_conflict");
        error(post(BANKING + "/promote", "{}"), 400, "missing_field");
        error(post(BANKING + "/promote", "{\"version\": \"v1\", \"colour\": 1}"), 400, "unknown_field");
        error(post(BANKING + "/promote", "not json"), 400, "invalid_json");
        error(post(ADMIN + "/intent/nope/promote", "{\"version\": \"v1\"}"), 404, "model_not_found");
        error(given().when().get(ADMIN + "/intent/nope").then(), 404, "model_not_found");
        given().when().get(BANKING).then().statusCode(200).body("serving_version", equalTo("v2"));

        post(BANKING + "/rollback", "").statusCode(200).body("serving_version", equalTo("v1"))
                .body("last_change.action", equalTo("rollback"));
        post(BANKING + "/promote", "{\"version\": \"v2\"}").statusCode(200).body("serving_version", equalTo("v2"));
    }

    @Test
    @Order(3)
    void shadowScoresLiveTrafficWithoutServingItAndLogsDisagreements() throws Exception {
        post(BANKING + "/shadow", "{\"version\": \"v3\"}").statusCode(200).body("shadow.version", equalTo("v3"))
                .body("shadow.scored", equalTo(0));
        List<String> texts = List.of("I lost my card, write to jane.doe@example.com", "how do I top up by bank transfer?",
                "my card payment was declined", "what is your exchange rate?");
        for (String t : texts) {
            post(MESSAGES, JSON.writeValueAsString(Map.of("message", t))).statusCode(200)
                    .body("trace[0].model", equalTo("banking77 v2"));
        }
        JsonPath view = null;
        for (int i = 0; i < 100; i++) {
            view = given().when().get(BANKING).then().statusCode(200).extract().jsonPath();
            if (view.getLong("shadow.scored") >= texts.size()) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(view.getLong("shadow.scored") >= texts.size(), view.prettify());
        double rate = view.getDouble("shadow.agreement_rate");
        assertTrue(rate >= 0 && rate < 1, "the label-shuffled v3 disagrees: " + rate);

        Path log = Path.of("target/it-data/logs/shadow-banking77.jsonl");
        List<String> lines = waitForLines(log, l -> l.contains("<EMAIL>"));
        assertFalse(String.join("\n", Files.readAllLines(log)).contains("jane.doe@example.com"));
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals("v2", line.get("live_version").asText());
        assertEquals("v3", line.get("shadow_version").asText());

        post(BANKING + "/shadow", "{\"version\": null}").statusCode(200).body("shadow", nullValue());
    }

    @Test
    @Order(4)
    void theDecisionLogHasOneAnonymisedLinePerMessage() throws Exception {
        String text = "zebracorn: please refund card 4111 1111 1111 1111 to IBAN GB82 WEST 1234 5698 7654 32, "
                + "call +44 20 7946 0958 or mail jane.doe@example.com";
        String session = post(MESSAGES, JSON.writeValueAsString(Map.of("message", text))).statusCode(200)
                .extract().jsonPath().getString("session_id");
        Path log = Path.of("target/it-data/logs/" + DecisionLog.fileFor(Instant.now()));
        List<String> lines = waitForLines(log, l -> l.contains(session));
        assertEquals(1, lines.size());
        JsonNode d = JSON.readTree(lines.get(0));
        assertEquals(session, d.get("session").asText());
        assertEquals("support", d.get("route").asText());
        assertEquals("banking77", d.get("model").asText());
        assertEquals("v2", d.get("version").asText());
        String logged = d.get("text").asText();
        for (String pii : List.of("4111", "GB82", "7946", "jane.doe")) {
            assertFalse(logged.contains(pii), logged);
        }
        assertTrue(logged.contains("<CARD>") && logged.contains("<IBAN>") && logged.contains("<PHONE>")
                && logged.contains("<EMAIL>"), logged);
    }

    @Test
    @Order(5)
    void aRouteServesTheCascadeFromTheRegistry() throws Exception {
        String cascadeMessages = "/v1/agents/support-cascade/messages";
        String cascade = ADMIN + "/intent/banking77-cascade";
        // the start-up warm-up has classified with it already
        JsonPath before = given().when().get(cascade).then().statusCode(200).extract().jsonPath();
        long latencies = before.getLong("latency_ms.count");
        long classified = before.getLong("cascade.classified");
        long escalated = before.getLong("cascade.escalated");
        // the n-gram member is sure of the first message (top probability ~1) and unsure of the second (~0.36)
        post(cascadeMessages, JSON.writeValueAsString(Map.of("message", "I lost my card"))).statusCode(200)
                .body("intent.label", equalTo("lost_or_stolen_card"))
                .body("trace[0].model", equalTo("banking77-cascade v1"))
                .body("trace[0].cascade_tier", equalTo("fast"));
        post(cascadeMessages, JSON.writeValueAsString(Map.of("message", "my money is gone"))).statusCode(200)
                .body("trace[0].model", equalTo("banking77-cascade v1"))
                .body("trace[0].cascade_tier", equalTo("large"));
        post(MESSAGES, JSON.writeValueAsString(Map.of("message", "I lost my card"))).statusCode(200)
                .body("trace[0].model", equalTo("banking77 v2"))
                .body("trace[0].cascade_tier", nullValue());

        JsonPath list = given().when().get(ADMIN).then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("intent/banking77", "intent/banking77-cascade", "slots/restaurant8k"), list.getList("models.model"));
        JsonPath view = given().when().get(cascade).then().statusCode(200)
                .body("serving_version", equalTo("v1"))
                .body("manifest.kind", equalTo("intent-cascade"))
                .body("manifest.labels", equalTo(77))
                .body("cascade.threshold", equalTo(0.63f))
                .extract().jsonPath();
        assertEquals(latencies + 2, view.getLong("latency_ms.count"), view.prettify());
        assertTrue(view.getDouble("latency_ms.p99") >= view.getDouble("latency_ms.p50"));
        assertEquals(classified + 2, view.getLong("cascade.classified"));
        assertEquals(escalated + 1, view.getLong("cascade.escalated"));
        assertEquals(Math.round(10_000.0 * (escalated + 1) / (classified + 2)) / 10_000.0,
                view.getDouble("cascade.escalated_share"), 1e-6);
        assertEquals(latencies + 2, list.getLong("models[1].latency_ms.count"), "the list shows the cascade's latency too");
    }

    @Test
    @Order(6)
    void anExtractStepMergesTheRegistrySlotTaggerWithThePatterns() throws Exception {
        String message = "a table for 4 people tomorrow at 7pm, my email is jo@x.io";
        JsonPath r = post("/v1/agents/booking/messages", JSON.writeValueAsString(Map.of("message", message)))
                .statusCode(200)
                .body("trace[0].step", equalTo("extract"))
                .body("trace[0].model", equalTo("restaurant8k v1 + pattern"))
                .body("trace[0].slot_model", equalTo("slots/restaurant8k"))
                .body("trace[0].slot_version", equalTo("v1"))
                .extract().jsonPath();
        List<Map<String, Object>> traced = r.getList("trace[0].entities");
        Map<String, Map<String, Object>> byType = new java.util.HashMap<>();
        traced.forEach(e -> byType.put((String) e.get("type"), e));
        for (String type : List.of("people", "date", "time")) {
            Map<String, Object> e = byType.get(type);
            assertTrue(e != null && "model".equals(e.get("source")), type + " from the model: " + traced);
            int start = (Integer) e.get("start");
            int end = (Integer) e.get("end");
            assertEquals(message.substring(start, end), e.get("text"));
            double confidence = ((Number) e.get("confidence")).doubleValue();
            assertTrue(confidence > 0 && confidence <= 1, traced.toString());
        }
        assertEquals("4 people", byType.get("people").get("text"));
        assertEquals("7pm", byType.get("time").get("text"));
        Map<String, Object> email = byType.get("email");
        assertTrue(email != null && "pattern".equals(email.get("source")), traced.toString());
        assertEquals("jo@x.io", email.get("value"));
        assertEquals(List.of(50, 57), List.of(email.get("start"), email.get("end")));
        assertEquals(traced.size(), r.getList("entities").size(), "the trace lists every entity of the reply");
    }

    @Test
    @Order(7)
    void promotesTheSlotTaggerWhileThreadsSendBookingsWithoutAFailedRequest() throws Exception {
        JsonPath before = given().when().get(SLOTS).then().statusCode(200)
                .body("serving_version", equalTo("v1"))
                .body("manifest.kind", equalTo("slot-tagger"))
                .body("manifest.labels", equalTo(11))
                .body("versions", equalTo(List.of("v1", "v2", "v3")))
                .body("shadow", nullValue())
                .body("last_error", nullValue())
                .extract().jsonPath();
        assertTrue(before.getLong("latency_ms.count") >= 2, "the warm-up and the booking above: " + before.prettify());

        String[] texts = {"a table for 4 people tomorrow at 7pm", "book for 2 on friday, jo@x.io",
                "dinner for six at 8pm please", "my name is Jo Smith, 3 people tonight"};
        Traffic traffic = underTraffic(BOOKINGS, texts, () ->
                post(SLOTS + "/promote", "{\"version\": \"v2\", \"reason\": \"IT\"}").statusCode(200)
                        .body("model", equalTo("slots/restaurant8k"))
                        .body("serving_version", equalTo("v2"))
                        .body("registry_version", equalTo("v2"))
                        .body("manifest.metrics.validation_f1", equalTo(0.5f))
                        .body("last_change.from", equalTo("v1")));

        traffic.assertSwapped("restaurant8k v1 + pattern", "restaurant8k v2 + pattern");
        post(BOOKINGS, JSON.writeValueAsString(Map.of("message", texts[0]))).statusCode(200)
                .body("trace[0].slot_model", equalTo("slots/restaurant8k"))
                .body("trace[0].slot_version", equalTo("v2"));

        JsonPath list = given().when().get(ADMIN).then().statusCode(200).extract().jsonPath();
        assertEquals("v2", list.getString("models.find { it.model == 'slots/restaurant8k' }.serving_version"));
        long count = list.getLong("models.find { it.model == 'slots/restaurant8k' }.latency_ms.count");
        assertTrue(count >= 7, "the list shows the v2 tagger's latency: " + count);
        JsonPath view = given().when().get(SLOTS).then().statusCode(200).extract().jsonPath();
        assertTrue(view.getDouble("latency_ms.p99") >= view.getDouble("latency_ms.p50"));

        error(post(SLOTS + "/shadow", "{\"version\": \"v1\"}"), 422, "shadow_unsupported")
                .body("error.message", equalTo("shadow mode scores intent models only; slots/restaurant8k is a slot tagger"));
        post(SLOTS + "/rollback", "{\"reason\": \"IT\"}").statusCode(200)
                .body("serving_version", equalTo("v1"))
                .body("last_change.action", equalTo("rollback"));
        post(BOOKINGS, JSON.writeValueAsString(Map.of("message", texts[0]))).statusCode(200)
                .body("trace[0].slot_version", equalTo("v1"));
    }

    @Test
    @Order(8)
    void theWatcherSwapsInATaggerPromotedOnDiskAndKeepsServingWhenAVersionIsBroken() throws Exception {
        ModelRegistry registry = ModelRegistry.open(Path.of(System.getProperty(ModelRegistryResource.ROOT_PROPERTY)));
        ModelId slots = ModelId.parse("slots/restaurant8k");
        registry.promote(slots, "v2", "cli", "IT, as ./switchboard models promote does");
        awaitView(SLOTS, v -> "v2".equals(v.getString("serving_version")));
        String message = JSON.writeValueAsString(Map.of("message", "a table for 4 people tomorrow at 7pm"));
        post(BOOKINGS, message).statusCode(200).body("trace[0].model", equalTo("restaurant8k v2 + pattern"));

        error(post(SLOTS + "/promote", "{\"version\": \"v3\"}"), 422, "invalid_model")
                .body("error.message", startsWith("slots/restaurant8k v3 cannot serve: corrupt weights: "));
        // a hand edit of the pointer, which the registry does not validate: the watcher tries v3 and keeps v2
        Path current = registry.dir(slots).resolve(ModelRegistry.CURRENT_FILE);
        Files.writeString(current, "v3\n");
        JsonPath view = awaitView(SLOTS, v -> v.getString("last_error") != null);
        assertEquals("v2", view.getString("serving_version"));
        assertEquals("v3", view.getString("registry_version"));
        assertTrue(view.getString("last_error").startsWith("slots/restaurant8k v3 not loaded, v2 keeps serving: "),
                view.getString("last_error"));
        post(BOOKINGS, message).statusCode(200).body("trace[0].slot_version", equalTo("v2"));

        Files.writeString(current, "v2\n");
        awaitView(SLOTS, v -> v.getString("last_error") == null);
    }

    private static List<String> waitForLines(Path file, java.util.function.Predicate<String> match) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file).stream().filter(match).toList();
                if (!lines.isEmpty()) {
                    return lines;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching line in " + file.toAbsolutePath());
    }
}
