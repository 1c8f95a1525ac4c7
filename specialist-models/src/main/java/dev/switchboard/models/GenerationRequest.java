package dev.switchboard.models;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link Generator} answers: the customer's question, the retrieved passages (best first)
 * and the earlier turns of the conversation (oldest first).
 *
 * @param question the current customer message, not blank
 * @param passages retrieved passages in rank order; may be empty; ids must be distinct
 * @param history  earlier turns, oldest first; may be empty
 */
public record GenerationRequest(String question, List<Passage> passages, List<ChatTurn> history) {

    public GenerationRequest {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(passages, "passages");
        Objects.requireNonNull(history, "history");
        if (question.isBlank()) {
            throw new IllegalArgumentException("question must not be blank");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < passages.size(); i++) {
            Passage p = passages.get(i);
            if (p == null) {
                throw new IllegalArgumentException("passages[" + i + "] must not be null");
            }
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("duplicate passage id '" + p.id() + "' at passages[" + i + "]");
            }
        }
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i) == null) {
                throw new IllegalArgumentException("history[" + i + "] must not be null");
            }
        }
        passages = List.copyOf(passages);
        history = List.copyOf(history);
    }

    /** A request without conversation history. */
    public GenerationRequest(String question, List<Passage> passages) {
        this(question, passages, List.of());
    }
}
