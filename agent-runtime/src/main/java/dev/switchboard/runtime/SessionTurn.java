package dev.switchboard.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored turn of a session.
 *
 * @param role    {@code user} or {@code assistant}
 * @param content what was said (for the assistant: the answer or the escalation message)
 * @param at      when the turn was stored
 * @param status  assistant turns only: {@code answered} or {@code escalated}; null for user turns
 * @param intent  assistant turns only: the intent the route acted on, if it classified; else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record SessionTurn(String role, String content, Instant at, String status, String intent) {

    SessionTurn {
        if (!"user".equals(role) && !"assistant".equals(role)) {
            throw new IllegalArgumentException("role must be user or assistant, got " + role);
        }
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(at, "at");
    }

    static SessionTurn user(String content, Instant at) {
        return new SessionTurn("user", content, at, null, null);
    }

    static SessionTurn assistant(String content, Instant at, String status, String intent) {
        return new SessionTurn("assistant", content, at, Objects.requireNonNull(status, "status"), intent);
    }
}
