package dev.switchboard.runtime;

import dev.switchboard.models.Entity;

import java.util.List;

/**
 * The response of {@code POST /v1/agents/{route}/messages} (serialised in snake_case). The fields
 * are those of {@link TurnResult} plus the session and route.
 */
record AgentReply(String sessionId, String route, String status, String answer, TurnResult.Escalation escalation,
                  TurnResult.Intent intent, List<Entity> entities, List<TurnResult.Citation> citations,
                  TurnResult.GeneratorInfo generator, List<TraceStep> trace, double latencyMs) {

    static AgentReply of(String sessionId, String route, TurnResult r) {
        return new AgentReply(sessionId, route, r.status(), r.answer(), r.escalation(), r.intent(), r.entities(),
                r.citations(), r.generator(), r.trace(), r.latencyMs());
    }
}
