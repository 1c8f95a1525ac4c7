package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonBodiesTest {

    private static ApiException refused(Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals(400, e.status());
        return e;
    }

    @Test
    void readsFields() {
        JsonNode body = JsonBodies.object("{\"message\": \"hi\", \"session_id\": null}");
        assertEquals("hi", JsonBodies.requiredText(body, "message"));
        assertNull(JsonBodies.optionalText(body, "session_id"));
        assertNull(JsonBodies.optionalText(body, "absent"));
    }

    @Test
    void namesWhereTheJsonIsBroken() {
        ApiException e = refused(() -> JsonBodies.object("{\n  \"message\": \"hi\",\n}"));
        assertEquals("invalid_json", e.toError().error().code());
        assertTrue(e.getMessage().startsWith("request body is not valid JSON at line 3, column 1: "), e.getMessage());

        ApiException trailing = refused(() -> JsonBodies.object("{\"message\": \"hi\"} {}"));
        assertTrue(trailing.getMessage().contains("line 1, column"), trailing.getMessage());
    }

    @Test
    void refusesWhatIsNotAnObjectWithAStringMessage() {
        assertEquals("request body is empty; expected a JSON object", refused(() -> JsonBodies.object(" ")).getMessage());
        assertEquals("request body must be a JSON object, got an array", refused(() -> JsonBodies.object("[1]")).getMessage());
        JsonNode body = JsonBodies.object("{\"message\": 42, \"blank\": \"  \"}");
        assertEquals("'message' must be a string, got a number", refused(() -> JsonBodies.requiredText(body, "message")).getMessage());
        assertEquals("'blank' must not be empty", refused(() -> JsonBodies.requiredText(body, "blank")).getMessage());
        ApiException missing = refused(() -> JsonBodies.requiredText(body, "text"));
        assertEquals("'text' is required", missing.getMessage());
        assertEquals("text", missing.toError().error().param());
    }
}
