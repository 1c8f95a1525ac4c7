package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.models.ChatTurn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The OpenAI-compatible chat API mapped onto routes: {@code model} names the route, the last user
 * message is the message and the messages before it are the history (system messages are ignored:
 * the route, not the client, decides how to answer). Non-streaming only.
 */
final class OpenAiChat {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    private final AgentService agents;

    OpenAiChat(AgentService agents) {
        this.agents = agents;
    }

    /** Handles a {@code POST /v1/chat/completions} body. */
    ChatCompletion complete(JsonNode body) {
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiException.invalid("invalid_type", "'stream' must be a boolean, got " + JsonBodies.kind(stream), "stream");
        }
        if (stream != null && stream.asBoolean(false)) {
            throw ApiException.invalid("streaming_unsupported", "streaming is not supported yet; send \"stream\": false", "stream");
        }
        String model = JsonBodies.requiredText(body, "model");
        List<Msg> turns = messages(body.get("messages"));
        int last = -1;
        for (int i = turns.size() - 1; i >= 0 && last < 0; i--) {
            if ("user".equals(turns.get(i).role())) {
                last = i;
            }
        }
        if (last < 0) {
            throw ApiException.invalid("missing_user_message", "'messages' must contain a message with role 'user'", "messages");
        }
        String message = turns.get(last).content();
        if (message.isBlank()) {
            throw ApiException.invalid("empty_field", "the last user message must not be empty", "messages[" + last + "].content");
        }
        List<ChatTurn> history = turns.subList(0, last).stream()
                .filter(t -> "user".equals(t.role()) || "assistant".equals(t.role()))
                .map(t -> new ChatTurn(t.role(), t.content()))
                .toList();
        TurnResult r = agents.stateless(model, message, history, "model");
        int prompt = turns.stream().mapToInt(t -> whitespaceTokens(t.content())).sum();
        int completion = whitespaceTokens(r.answer());
        return new ChatCompletion("chatcmpl-" + randomId(), "chat.completion", Instant.now().getEpochSecond(), model,
                List.of(new ChatCompletion.Choice(0, new ChatCompletion.Message("assistant", r.answer()), "stop")),
                new ChatCompletion.Usage(prompt, completion, prompt + completion),
                new ChatCompletion.Extension(r.status(), r.escalation(), r.intent(), r.entities(), r.citations(),
                        r.generator(), r.trace(), r.latencyMs()));
    }

    /** Reads {@code messages}: roles as OpenAI defines them; content a string or a list of text parts. */
    private static List<Msg> messages(JsonNode node) {
        if (node == null || node.isNull()) {
            throw ApiException.invalid("missing_field", "'messages' is required", "messages");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.invalid("invalid_type", "'messages' must be a non-empty array, got "
                    + (node.isArray() ? "an empty array" : JsonBodies.kind(node)), "messages");
        }
        List<Msg> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "messages[" + i + "]";
            JsonNode m = node.get(i);
            if (!m.isObject()) {
                throw ApiException.invalid("invalid_type", at + " must be an object, got " + JsonBodies.kind(m), at);
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiException.invalid("invalid_value", at + ".role must be one of " + String.join(", ", ROLES.stream().sorted().toList())
                        + ", got " + (role != null && role.isTextual() ? "'" + role.asText() + "'" : JsonBodies.kind(role)), at + ".role");
            }
            out.add(new Msg(role.asText(), content(m.get("content"), at + ".content")));
        }
        return out;
    }

    /** One request message; only user and assistant messages become history. */
    private record Msg(String role, String content) {
    }

    private static String content(JsonNode c, String at) {
        if (c == null || c.isNull()) {
            return ""; // assistant messages with tool calls have no content
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (part.isObject() && "text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    sb.append(sb.isEmpty() ? "" : "\n").append(part.get("text").asText());
                } else {
                    throw ApiException.invalid("unsupported_content", at + " may only contain text parts", at);
                }
            }
            return sb.toString();
        }
        throw ApiException.invalid("invalid_type", at + " must be a string or an array of text parts, got " + JsonBodies.kind(c), at);
    }

    /**
     * Token counts in {@code usage} are whitespace-separated words, not model tokens: no generator
     * tokenizer is involved on the extractive path, and the numbers only need to be consistent.
     */
    static int whitespaceTokens(String s) {
        String t = s.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** Completion ids only need to be unique, not reproducible, so no seed is involved. */
    private static String randomId() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
