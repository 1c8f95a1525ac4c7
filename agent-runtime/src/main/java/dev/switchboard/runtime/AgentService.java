package dev.switchboard.runtime;

import dev.switchboard.models.ChatTurn;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The agent API's behaviour, independent of HTTP: finds the route, validates the message, keeps the
 * session, runs the pipeline. Refusals are {@link ApiException}s.
 */
final class AgentService {

    private final Switchboard switchboard;

    AgentService(Switchboard switchboard) {
        this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
    }

    /**
     * Answers {@code message} on {@code routeName}, in the session {@code sessionId} (null: a new
     * session is started). The user turn and the reply are stored together once the reply exists.
     */
    AgentReply message(String routeName, String message, String sessionId) {
        Route route = route(routeName);
        checkMessage(message, "message");
        Session session;
        if (sessionId == null) {
            session = switchboard.sessions().create(route.name());
        } else {
            session = session(route, sessionId);
        }
        Instant received = Instant.now();
        TurnResult result = AgentPipeline.run(route, message, session.history(AgentPipeline.MAX_HISTORY_TURNS));
        logDecision(route, session.id(), message, result);
        session.append(SessionTurn.user(message, received), SessionTurn.assistant(result.answer(), Instant.now(),
                result.status(), result.intent() == null ? null : result.intent().label()));
        return AgentReply.of(session.id(), route.name(), result);
    }

    /** Answers without a stored session (the OpenAI API: the client sends the history). */
    TurnResult stateless(String routeName, String message, List<ChatTurn> history, String param) {
        Route route = route(routeName, param);
        checkMessage(message, param);
        TurnResult result = AgentPipeline.run(route, message, history);
        logDecision(route, null, message, result);
        return result;
    }

    private void logDecision(Route route, String session, String message, TurnResult result) {
        DecisionLog log = switchboard.decisions();
        if (log != null) {
            log.record(route.name(), session, message, result);
        }
    }

    /** The turns of a session of {@code routeName}. */
    SessionView sessionView(String routeName, String sessionId) {
        Route route = route(routeName);
        Session s = session(route, sessionId);
        return new SessionView(s.id(), s.route(), s.created(), s.turns());
    }

    List<Route> routes() {
        return switchboard.routes().all();
    }

    Route route(String name) {
        return route(name, null);
    }

    private Route route(String name, String param) {
        return switchboard.routes().get(name).orElseThrow(() -> ApiException.notFound("route_not_found",
                "route '" + name + "' does not exist; known routes: " + String.join(", ", switchboard.routes().names()),
                param));
    }

    private Session session(Route route, String id) {
        Session s = switchboard.sessions().find(id).orElseThrow(() -> ApiException.notFound("session_not_found",
                "session '" + id + "' does not exist or has expired (sessions expire after "
                        + switchboard.settings().sessionTtl().toMinutes() + " minutes without messages)", "session_id"));
        if (!s.route().equals(route.name())) {
            throw ApiException.notFound("session_not_found",
                    "session '" + id + "' belongs to route '" + s.route() + "', not '" + route.name() + "'", "session_id");
        }
        return s;
    }

    private void checkMessage(String message, String param) {
        int limit = switchboard.settings().maxMessageChars();
        int length = message.codePointCount(0, message.length());
        if (length > limit) {
            throw ApiException.tooLarge("message_too_long",
                    "message is " + length + " characters; the limit is " + limit, param);
        }
    }

    /** The response of {@code GET /v1/agents/{route}/sessions/{id}}. */
    record SessionView(String sessionId, String route, Instant created, List<SessionTurn> turns) {
    }
}
