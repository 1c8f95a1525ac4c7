package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionLogTest {

    @TempDir
    Path dir;

    private static TurnResult escalated() {
        var trace = List.of(new TraceStep("classify", "banking77 v2", 1.2, "card_arrival 0.42 < 0.50: escalate",
                Map.of("used_session_context", false, "out_of_scope", false)));
        return new TurnResult(TurnResult.ESCALATED, "handover", new TurnResult.Escalation("low_confidence", "handover"),
                new TurnResult.Intent("card_arrival", 0.42, List.of()), List.of(), List.of(), null, trace, 3.0);
    }

    @Test
    void everyMessageIsOneAnonymisedLineWrittenByClose() throws Exception {
        String text = "mail me at jane.doe@example.com or call +44 20 7946 0958, card 4111 1111 1111 1111, "
                + "IBAN GB82 WEST 1234 5698 7654 32 - where is my card?";
        DecisionLog log = new DecisionLog(dir);
        for (int i = 0; i < 200; i++) {
            log.record("support", "s-" + i, text, escalated());
        }
        log.close(); // no flush before: close must write everything accepted

        List<String> lines = Files.readAllLines(dir.resolve(DecisionLog.fileFor(Instant.now())));
        assertEquals(200, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(List.of("ts", "route", "session", "text", "intent", "confidence", "out_of_scope", "model", "version",
                "decision", "escalated"), iterate(first));
        String logged = first.get("text").asText();
        for (String pii : List.of("jane.doe@example.com", "7946", "4111", "GB82", "WEST")) {
            assertFalse(logged.contains(pii), pii + " must not be logged: " + logged);
        }
        assertTrue(logged.contains("<EMAIL>") && logged.contains("<PHONE>") && logged.contains("<CARD>")
                && logged.contains("<IBAN>") && logged.endsWith("where is my card?"), logged);
        assertEquals("banking77", first.get("model").asText());
        assertEquals("v2", first.get("version").asText());
        assertEquals("low_confidence", first.get("decision").asText());
        assertTrue(first.get("escalated").asBoolean());
        assertEquals(0.42, first.get("confidence").asDouble());
        assertEquals("s-0", first.get("session").asText());
    }

    private static List<String> iterate(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
