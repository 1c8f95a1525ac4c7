package dev.switchboard.runtime;

import dev.switchboard.models.Classifier;
import dev.switchboard.models.Extractor;
import dev.switchboard.models.Generator;
import dev.switchboard.retrieval.KnowledgeIndex;

import java.util.Objects;

/**
 * A route ready to run: its definition plus the loaded component of each of its steps. A component
 * is null exactly when the route has no such step.
 */
record Route(RouteDefinition definition, Classifier classifier, Extractor extractor, KnowledgeIndex index,
             Generator generator) {

    Route {
        Objects.requireNonNull(definition, "definition");
        check(definition, RouteStep.Classify.class, classifier, "classifier");
        check(definition, RouteStep.Extract.class, extractor, "extractor");
        check(definition, RouteStep.Retrieve.class, index, "index");
        check(definition, RouteStep.Answer.class, generator, "generator");
    }

    private static void check(RouteDefinition d, Class<? extends RouteStep> step, Object component, String what) {
        if (d.step(step).isPresent() != (component != null)) {
            throw new IllegalArgumentException("route " + d.name() + ": " + what
                    + (component == null ? " is missing" : " given but the route has no such step"));
        }
    }

    String name() {
        return definition.name();
    }
}
