package dev.switchboard.runtime;

import dev.switchboard.models.ChatTurn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A conversation with one route: its turns, in order. Thread-safe: two requests on the same session
 * may run at once; each appends its user and assistant turns together.
 */
final class Session {

    private final String id;
    private final String route;
    private final Instant created;
    private final List<SessionTurn> turns = new ArrayList<>();
    private volatile long lastAccessMillis;

    Session(String id, String route, Instant created) {
        this.id = Objects.requireNonNull(id, "id");
        this.route = Objects.requireNonNull(route, "route");
        this.created = Objects.requireNonNull(created, "created");
        this.lastAccessMillis = created.toEpochMilli();
    }

    String id() {
        return id;
    }

    String route() {
        return route;
    }

    Instant created() {
        return created;
    }

    long lastAccessMillis() {
        return lastAccessMillis;
    }

    void touch(Instant now) {
        lastAccessMillis = now.toEpochMilli();
    }

    /** Stores a user turn and the assistant's reply to it, atomically. */
    synchronized void append(SessionTurn user, SessionTurn assistant) {
        turns.add(user);
        turns.add(assistant);
    }

    /** A copy of the turns, oldest first. */
    synchronized List<SessionTurn> turns() {
        return List.copyOf(turns);
    }

    /** The most recent user message, if any. */
    synchronized Optional<String> lastUserMessage() {
        for (int i = turns.size() - 1; i >= 0; i--) {
            if ("user".equals(turns.get(i).role())) {
                return Optional.of(turns.get(i).content());
            }
        }
        return Optional.empty();
    }

    /** The last {@code max} turns as generator history, oldest first. */
    synchronized List<ChatTurn> history(int max) {
        int from = Math.max(0, turns.size() - max);
        return turns.subList(from, turns.size()).stream().map(t -> new ChatTurn(t.role(), t.content())).toList();
    }
}
