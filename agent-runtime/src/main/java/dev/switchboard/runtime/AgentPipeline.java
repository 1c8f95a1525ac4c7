package dev.switchboard.runtime;

import dev.switchboard.models.ChatTurn;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.CombinedExtractor;
import dev.switchboard.models.Entity;
import dev.switchboard.models.Extractor;
import dev.switchboard.models.GeneratedAnswer;
import dev.switchboard.models.GenerationRequest;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.Passage;
import dev.switchboard.models.Prediction;
import dev.switchboard.models.ScoredLabel;
import dev.switchboard.retrieval.SearchHit;
import dev.switchboard.retrieval.SearchRequest;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one message through a route's steps, in order, stopping at the first escalation:
 * <ol>
 * <li>classify: top-1 confidence below {@code min_confidence} escalates ({@code low_confidence}),
 *     unless "previous user message + message" clears it (then the trace says "used session
 *     context" and retrieval uses that combined text too); an intent listed in
 *     {@code escalate_intents} escalates ({@code intent_policy});</li>
 * <li>extract: entities of the current message (the trace names the slot tagger's model and version);</li>
 * <li>retrieve: hits with cosine &ge; {@code min_cosine} ground the answer; none escalates
 *     ({@code no_grounding});</li>
 * <li>answer: the generator gets the grounded passages, the history and the current message as the
 *     question; an answer citing no passage escalates ({@code no_grounding}) — the route never
 *     answers without a source.</li>
 * </ol>
 * Why the question is the message alone even when session context was used: the combined text is
 * dominated by the previous message, so "asdf qwerty" after "I lost my card" classifies as
 * lost_or_stolen_card 0.96. Answering the combined text would repeat the lost-card answer to
 * anything; asking the generator about the message itself keeps such turns escalated.
 * A route never guesses: an escalated turn answers with the route's escalation message.
 */
final class AgentPipeline {

    private static final Logger LOG = Logger.getLogger(AgentPipeline.class);

    /** How many previous turns go to the generator (bounds the prompt of a long conversation). */
    static final int MAX_HISTORY_TURNS = 10;

    private AgentPipeline() {
    }

    /**
     * @param history earlier turns of the conversation, oldest first (may be empty); the last
     *                {@code user} turn is the "previous user message" used for context
     */
    static TurnResult run(Route route, String message, List<ChatTurn> history) {
        return new Run(route, message, history).execute();
    }

    /** The mutable state of one run. */
    private static final class Run {
        private final Route route;
        private final RouteDefinition def;
        private final String message;
        private final List<ChatTurn> history;
        /** The classifier of this run: a registry model's version is pinned once, so a hot swap does not split a run. */
        private final Classifier classifier;
        /** The extractor of this run: a registry slot tagger's version is pinned when the run starts, likewise. */
        private final Extractor extractor;
        private final long start = System.nanoTime();
        private final List<TraceStep> trace = new ArrayList<>();
        private TurnResult.Intent intent;
        private List<Entity> entities = List.of();
        private String query;

        Run(Route route, String message, List<ChatTurn> history) {
            this.route = route;
            this.def = route.definition();
            this.message = message;
            this.history = history.size() > MAX_HISTORY_TURNS
                    ? history.subList(history.size() - MAX_HISTORY_TURNS, history.size()) : history;
            this.query = message;
            this.classifier = route.classifier() instanceof ServedModel served ? served.pin() : route.classifier();
            this.extractor = route.extractor() instanceof ServedTagger.WithPatterns served ? served.pin() : route.extractor();
        }

        TurnResult execute() {
            List<SearchHit> grounded = List.of();
            for (RouteStep step : def.steps()) {
                Optional<TurnResult> escalated = switch (step) {
                    case RouteStep.Classify c -> classify(c);
                    case RouteStep.Extract e -> extract(e);
                    case RouteStep.Retrieve r -> {
                        grounded = retrieve(r);
                        yield grounded.isEmpty() ? Optional.of(escalate("no_grounding")) : Optional.empty();
                    }
                    case RouteStep.Answer a -> Optional.of(answer(grounded));
                };
                if (escalated.isPresent()) {
                    return escalated.get();
                }
            }
            // A route without an answer step has nothing to say: a human takes over.
            return escalate("no_answer_step");
        }

        private Optional<TurnResult> classify(RouteStep.Classify step) {
            long t0 = System.nanoTime();
            Prediction alone = classifier.classify(message);
            Prediction used = alone;
            boolean usedContext = false;
            Optional<String> previous = previousUserMessage();
            if (alone.confidence() < step.minConfidence() && previous.isPresent()) {
                String combined = previous.get() + "\n" + message;
                Prediction withContext = classifier.classify(combined);
                if (withContext.confidence() >= step.minConfidence()) {
                    used = withContext;
                    usedContext = true;
                    query = combined;
                }
            }
            intent = toIntent(used);
            String verdict = label(used) + (used.confidence() >= step.minConfidence() ? " ≥ " : " < ") + fmt(step.minConfidence());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("used_session_context", usedContext);
            details.put("out_of_scope", used.outOfScope());
            if (classifier instanceof ServedModel.Pinned pinned && pinned.escalated(used) != null) {
                details.put("cascade_tier", pinned.escalated(used) ? "large" : "fast"); // which member of a cascade answered
            }
            String decision;
            String reason = null;
            if (used.confidence() < step.minConfidence()) {
                decision = verdict + (previous.isPresent() ? " (also with the previous message)" : "") + ": escalate";
                reason = "low_confidence";
            } else if (def.escalateIntents().contains(used.label())) {
                decision = verdict + ", but " + used.label() + " is in escalate_intents: escalate";
                reason = "intent_policy";
            } else {
                decision = usedContext
                        ? verdict + " (used session context; the message alone gave " + label(alone) + ")"
                        : verdict;
            }
            ModelManifest m = classifier.manifest();
            trace.add(new TraceStep("classify", m.name() + " " + m.version(), TraceStep.millisSince(t0), decision, details));
            return reason == null ? Optional.empty() : Optional.of(escalate(reason));
        }

        private Optional<TurnResult> extract(RouteStep.Extract step) {
            long t0 = System.nanoTime();
            entities = extractor.extract(message);
            String decision = entities.isEmpty() ? "no entities"
                    : entities.size() + (entities.size() == 1 ? " entity: " : " entities: ")
                    + String.join(", ", entities.stream().map(e -> e.type() + "=" + e.value()).toList());
            String model = "pattern";
            Map<String, Object> details = new LinkedHashMap<>();
            ModelManifest tagger = null;
            String version = null;
            if (extractor instanceof ServedTagger.Pinned pinned) {
                tagger = pinned.version().manifest();
                version = pinned.version().version();
            } else if (extractor instanceof CombinedExtractor combined) {
                tagger = combined.tagger().manifest();
                version = tagger.version();
            }
            if (tagger != null) {
                model = tagger.name() + " " + version + " + pattern";
                // which slot model served, as the route names it (registry kind/name or folder), and its version
                details.put("slot_model", step.model());
                details.put("slot_version", version);
            }
            // each entity with its span and origin (source model or pattern): which extractor found what
            details.put("entities", entities.stream().map(AgentPipeline::entityTrace).toList());
            trace.add(new TraceStep("extract", model, TraceStep.millisSince(t0), decision, details));
            return Optional.empty();
        }

        private List<SearchHit> retrieve(RouteStep.Retrieve step) {
            long t0 = System.nanoTime();
            List<SearchHit> hits = route.index().search(new SearchRequest(query, step.topK(), step.mode()));
            List<SearchHit> grounded = hits.stream().filter(h -> h.cosine() >= step.minCosine()).toList();
            double best = hits.stream().mapToDouble(SearchHit::cosine).max().orElse(Double.NaN);
            String bestText = hits.isEmpty() ? "no hits" : "best cosine " + fmt(best);
            String decision = grounded.isEmpty()
                    ? "no hit with cosine ≥ " + fmt(step.minCosine()) + " (" + bestText + "): escalate"
                    : grounded.size() + " of " + hits.size() + " hits with cosine ≥ " + fmt(step.minCosine()) + " (" + bestText + ")";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", step.mode().name().toLowerCase(Locale.ROOT));
            details.put("hits", hits.stream().map(Run::hitSummary).toList());
            trace.add(new TraceStep("retrieve", step.collection(), TraceStep.millisSince(t0), decision, details));
            return grounded;
        }

        private TurnResult answer(List<SearchHit> grounded) {
            long t0 = System.nanoTime();
            List<Passage> passages = grounded.stream()
                    .map(h -> new Passage(h.chunkId(), h.title(), h.text(), h.score()))
                    .toList();
            GeneratedAnswer answer;
            try {
                answer = route.generator().generate(new GenerationRequest(message, passages, history));
            } catch (RuntimeException e) {
                // The generator may be a remote server: its failure is a handover, not a crash.
                LOG.warnf(e, "route %s: generator %s failed", def.name(), route.generator().id());
                trace.add(new TraceStep("answer", route.generator().id(), TraceStep.millisSince(t0),
                        "generator failed (" + e.getClass().getSimpleName() + "): escalate", Map.of()));
                return escalate("generator_unavailable");
            }
            TurnResult.GeneratorInfo info = new TurnResult.GeneratorInfo(answer.generatorId(), answer.extractive());
            if (answer.citedPassageIds().isEmpty()) {
                trace.add(new TraceStep("answer", answer.generatorId(), TraceStep.millisSince(t0),
                        "no passage cited: escalate", Map.of()));
                return escalate("no_grounding", info);
            }
            List<TurnResult.Citation> citations = new ArrayList<>();
            for (String id : answer.citedPassageIds()) {
                grounded.stream().filter(h -> h.chunkId().equals(id)).findFirst().ifPresent(h -> citations.add(
                        new TurnResult.Citation(citations.size() + 1, h.chunkId(), h.documentId(), h.title(),
                                h.section(), h.snippet(), round(h.score()), round(h.cosine()))));
            }
            trace.add(new TraceStep("answer", answer.generatorId(), TraceStep.millisSince(t0),
                    "cited " + citations.size() + " of " + passages.size() + " passages",
                    Map.of("extractive", answer.extractive())));
            return new TurnResult(TurnResult.ANSWERED, answer.text(), null, intent, entities, citations, info,
                    trace, TraceStep.millisSince(start));
        }

        private TurnResult escalate(String reason) {
            return escalate(reason, null);
        }

        private TurnResult escalate(String reason, TurnResult.GeneratorInfo generator) {
            return new TurnResult(TurnResult.ESCALATED, def.escalationMessage(),
                    new TurnResult.Escalation(reason, def.escalationMessage()), intent, entities, List.of(),
                    generator, trace, TraceStep.millisSince(start));
        }

        private static Map<String, Object> hitSummary(SearchHit h) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("chunk_id", h.chunkId());
            m.put("score", round(h.score()));
            m.put("cosine", round(h.cosine()));
            return m;
        }

        private Optional<String> previousUserMessage() {
            for (int i = history.size() - 1; i >= 0; i--) {
                if ("user".equals(history.get(i).role())) {
                    return Optional.of(history.get(i).content());
                }
            }
            return Optional.empty();
        }
    }

    /** An entity in the trace: type, text, start, end, value, source ({@code model}/{@code pattern}), confidence. */
    private static Map<String, Object> entityTrace(Entity e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", e.type());
        m.put("text", e.text());
        m.put("start", e.start());
        m.put("end", e.end());
        m.put("value", e.value());
        m.put("source", e.source());
        m.put("confidence", round(e.confidence()));
        return m;
    }

    private static TurnResult.Intent toIntent(Prediction p) {
        List<TurnResult.Alternative> alternatives = new ArrayList<>();
        for (ScoredLabel s : p.ranking()) {
            if (!s.label().equals(p.label())) {
                alternatives.add(new TurnResult.Alternative(s.label(), round(s.score())));
            }
        }
        return new TurnResult.Intent(p.label(), round(p.confidence()), alternatives);
    }

    private static String label(Prediction p) {
        return p.label() + " " + fmt(p.confidence());
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Rounds to 4 decimals: more precision is noise in an API response. */
    static double round(double v) {
        return Math.round(v * 10_000.0) / 10_000.0;
    }
}
