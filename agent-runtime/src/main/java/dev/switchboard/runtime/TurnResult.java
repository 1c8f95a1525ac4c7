package dev.switchboard.runtime;

import dev.switchboard.models.Entity;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of running one message through a route.
 *
 * @param status     {@code answered} or {@code escalated}
 * @param answer     the text shown to the customer (the escalation message when escalated)
 * @param escalation why and how the route escalated; null when answered
 * @param intent     the classification the route acted on; null if the route does not classify
 * @param entities   entities found in the message (empty if none or no extract step ran)
 * @param citations  the passages the answer cites, {@code index} n matching "[n]" in the answer
 * @param generator  the generator that wrote the answer; null if no answer step ran
 * @param trace      one entry per step that ran, in order
 * @param latencyMs  wall time of the whole turn, rounded to 0.1 ms
 */
record TurnResult(String status, String answer, Escalation escalation, Intent intent, List<Entity> entities,
                  List<Citation> citations, GeneratorInfo generator, List<TraceStep> trace, double latencyMs) {

    static final String ANSWERED = "answered";
    static final String ESCALATED = "escalated";

    TurnResult {
        if (!ANSWERED.equals(status) && !ESCALATED.equals(status)) {
            throw new IllegalArgumentException("status must be answered or escalated, got " + status);
        }
        Objects.requireNonNull(answer, "answer");
        if (ESCALATED.equals(status) != (escalation != null)) {
            throw new IllegalArgumentException("escalation must be set exactly when status is escalated");
        }
        entities = List.copyOf(entities);
        citations = List.copyOf(citations);
        trace = List.copyOf(trace);
    }

    /**
     * @param reason  {@code low_confidence}, {@code intent_policy}, {@code no_grounding} or
     *                {@code generator_unavailable}
     * @param message the route's escalation message
     */
    record Escalation(String reason, String message) {
        Escalation {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * @param label        the top intent
     * @param confidence   its probability (after temperature scaling)
     * @param alternatives the next best labels with their probabilities, best first
     */
    record Intent(String label, double confidence, List<Alternative> alternatives) {
        Intent {
            Objects.requireNonNull(label, "label");
            alternatives = List.copyOf(alternatives);
        }
    }

    record Alternative(String label, double score) {
    }

    /**
     * A cited passage.
     *
     * @param index  n of the "[n]" marker in the answer (1-based)
     * @param score  the retrieval score that ranked the chunk (RRF score in hybrid mode)
     * @param cosine cosine similarity of the query and the chunk
     */
    record Citation(int index, String chunkId, String documentId, String title, String section, String snippet,
                    double score, double cosine) {
    }

    record GeneratorInfo(String id, boolean extractive) {
    }
}
