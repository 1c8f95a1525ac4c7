package dev.switchboard.runtime;

import dev.switchboard.models.Entity;

import java.util.List;

/**
 * OpenAI's {@code chat.completion} object, plus the {@code switchboard} extension field that says
 * how the route handled the message (OpenAI clients ignore unknown fields).
 */
record ChatCompletion(String id, String object, long created, String model, List<Choice> choices, Usage usage,
                      Extension switchboard) {

    record Choice(int index, Message message, String finishReason) {
    }

    record Message(String role, String content) {
    }

    record Usage(int promptTokens, int completionTokens, int totalTokens) {
    }

    record Extension(String status, TurnResult.Escalation escalation, TurnResult.Intent intent, List<Entity> entities,
                     List<TurnResult.Citation> citations, TurnResult.GeneratorInfo generator, List<TraceStep> trace,
                     double latencyMs) {
    }
}
