package dev.switchboard.runtime;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route as written in its YAML file: an ordered list of steps and what to say when the route
 * escalates to a human.
 *
 * <p>Rules (checked here, in one place): the name matches {@code [a-z0-9][a-z0-9_-]*}; there is at
 * least one step and each step type appears at most once; an {@code answer} step needs a
 * {@code retrieve} step before it; {@code escalate_intents} needs a {@code classify} step; the
 * escalation message is not blank.
 *
 * @param name              route name, used in URLs and as the OpenAI "model"
 * @param description       free text shown by {@code GET /v1/routes} (may be empty)
 * @param steps             the steps in execution order
 * @param escalationMessage what the customer is told when the route escalates
 * @param escalateIntents   intents that always escalate (reason {@code intent_policy}); may be empty
 * @param source            where the route was read from (a file path), for error messages
 */
record RouteDefinition(String name, String description, List<RouteStep> steps, String escalationMessage,
                       List<String> escalateIntents, String source) {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");

    RouteDefinition {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must match " + NAME.pattern() + ", got "
                    + (name == null ? "nothing" : "'" + name + "'"));
        }
        description = description == null ? "" : description;
        Objects.requireNonNull(steps, "steps");
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps must contain at least one step");
        }
        Set<String> seen = new HashSet<>();
        for (RouteStep step : steps) {
            if (!seen.add(step.type())) {
                throw new IllegalArgumentException("steps: '" + step.type() + "' appears more than once");
            }
            if (step instanceof RouteStep.Answer && !seen.contains("retrieve")) {
                throw new IllegalArgumentException("steps: 'answer' needs a 'retrieve' step before it");
            }
        }
        steps = List.copyOf(steps);
        if (escalationMessage == null || escalationMessage.isBlank()) {
            throw new IllegalArgumentException("escalation.message is required");
        }
        escalateIntents = escalateIntents == null ? List.of() : List.copyOf(escalateIntents);
        if (!escalateIntents.isEmpty() && !seen.contains("classify")) {
            throw new IllegalArgumentException("escalate_intents needs a 'classify' step");
        }
        source = source == null ? "(unknown)" : source;
    }

    /** Position of {@code step} in {@link #steps()}, for error messages such as {@code steps[2].retrieve}. */
    String fieldOf(RouteStep step) {
        return "steps[" + steps.indexOf(step) + "]." + step.type();
    }

    /** The first step of the given type, if the route has one. */
    <T extends RouteStep> Optional<T> step(Class<T> type) {
        return steps.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    /** The step types in order, e.g. {@code [classify, extract, retrieve, answer]}. */
    List<String> stepTypes() {
        return steps.stream().map(RouteStep::type).toList();
    }
}
