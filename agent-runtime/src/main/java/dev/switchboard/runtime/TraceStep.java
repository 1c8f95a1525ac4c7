package dev.switchboard.runtime;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one step did and why, for the response's {@code trace}. Serialised flat as
 * {@code {"step", "model", "latency_ms", "decision", ...details}}.
 *
 * @param step      the step type ({@code classify}, {@code extract}, {@code retrieve}, {@code answer})
 * @param model     the component that ran: model name and version, collection, generator id
 * @param latencyMs wall time of the step in milliseconds, rounded to 0.1 ms
 * @param decision  one human-readable sentence, e.g. {@code lost_or_stolen_card 0.94 ≥ 0.50}
 * @param details   extra step-specific fields (snake_case keys), in insertion order
 */
record TraceStep(String step, String model, double latencyMs, String decision, Map<String, Object> details) {

    TraceStep {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(decision, "decision");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    @JsonValue
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step);
        m.put("model", model);
        m.put("latency_ms", latencyMs);
        m.put("decision", decision);
        m.putAll(details);
        return m;
    }

    /** Milliseconds since {@code nanoStart}, rounded to 0.1 ms. */
    static double millisSince(long nanoStart) {
        return Math.round((System.nanoTime() - nanoStart) / 100_000.0) / 10.0;
    }
}
