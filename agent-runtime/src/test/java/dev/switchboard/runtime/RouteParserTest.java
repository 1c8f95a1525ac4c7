package dev.switchboard.runtime;

import dev.switchboard.retrieval.SearchMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteParserTest {

    /** A valid route; tests replace one line of it to break it. */
    private static final String VALID = """
            name: demo
            description: A demo route
            steps:
              - classify: { model: models/intent/x/v1, min_confidence: 0.6 }
              - extract:  { types: [money, date] }
              - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }
              - answer:   { generator: extractive }
            escalate_intents: [card_swallowed]
            escalation:
              message: "A human will help."
            """;

    private static RouteDefinition parse(String yaml) {
        return RouteParser.parse("routes/demo.yaml", "demo", yaml);
    }

    private static String error(String yaml) {
        return assertThrows(RouteConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void parsesTheShippedSupportRoute() {
        Path file = Path.of(System.getProperty("switchboard.home", ".."), "routes", "support.yaml");
        RouteDefinition route = RouteParser.parse(file);

        assertEquals("support", route.name());
        assertEquals(List.of("classify", "extract", "retrieve", "answer"), route.stepTypes());
        RouteStep.Classify classify = route.step(RouteStep.Classify.class).orElseThrow();
        assertEquals("intent/banking77", classify.model());
        assertEquals(0.5, classify.minConfidence());
        assertEquals(List.of("money", "date", "email", "card_tail", "order_id"),
                route.step(RouteStep.Extract.class).orElseThrow().types());
        assertEquals(new RouteStep.Retrieve("bank-help", 4, SearchMode.HYBRID, 0.6),
                route.step(RouteStep.Retrieve.class).orElseThrow());
        assertEquals("default", route.step(RouteStep.Answer.class).orElseThrow().generator());
        assertTrue(route.escalationMessage().startsWith("I'm passing you to a member of our support team"));
        assertEquals(file.toString(), route.source());
    }

    @Test
    void parsesEveryFieldOfAValidRoute() {
        RouteDefinition route = parse(VALID);

        assertEquals("demo", route.name());
        assertEquals("A demo route", route.description());
        assertEquals(new RouteStep.Classify("models/intent/x/v1", 0.6), route.steps().get(0));
        assertEquals(new RouteStep.Extract(List.of("money", "date")), route.steps().get(1));
        assertEquals(new RouteStep.Retrieve("help", 3, SearchMode.BM25, 0.25), route.steps().get(2));
        assertEquals(new RouteStep.Answer("extractive"), route.steps().get(3));
        assertEquals(List.of("card_swallowed"), route.escalateIntents());
        assertEquals("A human will help.", route.escalationMessage());
        assertEquals("steps[2].retrieve", route.fieldOf(route.steps().get(2)));
    }

    @Test
    void appliesDocumentedDefaults() {
        RouteDefinition route = parse("""
                steps:
                  - classify: { model: m/v1 }
                  - retrieve: { collection: help }
                  - answer:
                escalation: { message: Bye }
                """);

        assertEquals("demo", route.name(), "name defaults to the file name");
        assertEquals("", route.description());
        assertEquals(0.5, ((RouteStep.Classify) route.steps().get(0)).minConfidence());
        assertEquals(new RouteStep.Retrieve("help", 4, SearchMode.HYBRID, RouteStep.Retrieve.DEFAULT_MIN_COSINE), route.steps().get(1));
        assertEquals("default", ((RouteStep.Retrieve) route.steps().get(1)).tenant());
        assertEquals("default", ((RouteStep.Answer) route.steps().get(2)).generator());
        assertEquals(List.of(), route.escalateIntents());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown step type       | '  - classify: { model: models/intent/x/v1, min_confidence: 0.6 }' | '  - clasify: { model: m }'                                     | 'routes/demo.yaml: steps[0]: unknown step type ''clasify''; expected one of classify, extract, retrieve, answer'
            missing model           | '  - classify: { model: models/intent/x/v1, min_confidence: 0.6 }' | '  - classify: { min_confidence: 0.6 }'                         | 'routes/demo.yaml: steps[0].classify.model is required (a model folder such as models/intent/banking77/v1)'
            threshold above 1       | '  - classify: { model: models/intent/x/v1, min_confidence: 0.6 }' | '  - classify: { model: m, min_confidence: 1.5 }'               | 'routes/demo.yaml: steps[0].classify.min_confidence must be between 0 and 1, got 1.5'
            threshold not a number  | '  - classify: { model: models/intent/x/v1, min_confidence: 0.6 }' | '  - classify: { model: m, min_confidence: high }'              | 'routes/demo.yaml: steps[0].classify.min_confidence: must be a number, got text ''high'''
            unknown step field      | '  - classify: { model: models/intent/x/v1, min_confidence: 0.6 }' | '  - classify: { model: m, min_confidance: 0.6 }'              | 'routes/demo.yaml: steps[0].classify.min_confidance: unknown field; expected one of min_confidence, model'
            top_k zero              | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { collection: help, top_k: 0 }'        | 'routes/demo.yaml: steps[2].retrieve.top_k must be between 1 and 50, got 0'
            top_k fractional        | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { collection: help, top_k: 2.5 }'      | 'routes/demo.yaml: steps[2].retrieve.top_k: must be a whole number, got number 2.5'
            bad mode                | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { collection: help, mode: fuzzy }'     | 'routes/demo.yaml: steps[2].retrieve.mode: must be one of hybrid, bm25, dense, got ''fuzzy'''
            min_cosine out of range | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { collection: help, min_cosine: 2 }'   | 'routes/demo.yaml: steps[2].retrieve.min_cosine must be between -1 and 1, got 2.0'
            missing collection      | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { top_k: 3 }'                          | 'routes/demo.yaml: steps[2].retrieve.collection is required (a folder name under the knowledge directory, or a collection created through the API)'
            bad tenant              | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { collection: help, tenant: Acme }'    | 'routes/demo.yaml: steps[2].retrieve.tenant ''Acme'' is invalid: use 1-64 lower-case letters, digits, ''-'' or ''_'', starting with a letter or digit'
            bad collection name     | '  - retrieve: { collection: help, top_k: 3, mode: bm25, min_cosine: 0.25 }' | '  - retrieve: { collection: ../help }'               | 'routes/demo.yaml: steps[2].retrieve.collection name ''../help'' is invalid: use 1-64 lower-case letters, digits, ''-'' or ''_'', starting with a letter or digit'
            unknown generator       | '  - answer:   { generator: extractive }'                                    | '  - answer: { generator: gpt }'                      | 'routes/demo.yaml: steps[3].answer.generator must be one of default, extractive, openai, got ''gpt'''
            extract types not list  | '  - extract:  { types: [money, date] }'                                     | '  - extract: { types: money }'                       | 'routes/demo.yaml: steps[1].extract.types: must be a list, got text ''money'''
            step with two types     | '  - extract:  { types: [money, date] }'                                     | '  - { extract: { types: [money] }, answer: {} }'     | 'routes/demo.yaml: steps[1]: must be a mapping with exactly one step type (classify, extract, retrieve, answer), got 2 keys'
            bad route name          | 'name: demo'                                                                 | 'name: Demo Route'                                    | 'routes/demo.yaml: name must match [a-z0-9][a-z0-9_-]*, got ''Demo Route'''
            unknown top-level field | 'name: demo'                                                                 | 'nmae: demo'                                          | 'routes/demo.yaml: nmae: unknown field; expected one of description, escalate_intents, escalation, name, steps'
            escalate_intents type   | 'escalate_intents: [card_swallowed]'                                         | 'escalate_intents: card_swallowed'                    | 'routes/demo.yaml: escalate_intents: must be a list, got text ''card_swallowed'''
            """)
    void reportsTheFileAndFieldOfEachProblem(String what, String line, String replacement, String expected) {
        assertTrue(VALID.contains(line + "\n"), "test setup: line not found: " + line);
        assertEquals(expected, error(VALID.replace(line + "\n", replacement + "\n")));
    }

    @Test
    void readsTheSlotTaggerOfAnExtractStep() {
        RouteDefinition route = parse("""
                steps:
                  - extract: { model: slots/restaurant8k }
                escalation: { message: Bye }
                """);
        assertEquals(new RouteStep.Extract(List.of(), "slots/restaurant8k"), route.steps().get(0));

        RouteDefinition both = parse("""
                steps:
                  - extract: { model: models/slots/restaurant8k/v1, types: [email] }
                escalation: { message: Bye }
                """);
        assertEquals(new RouteStep.Extract(List.of("email"), "models/slots/restaurant8k/v1"), both.steps().get(0));
        assertEquals(new RouteStep.Extract(List.of("money")), parse(VALID.replace("[money, date]", "[money]")).steps().get(1));

        assertEquals("routes/demo.yaml: steps[1].extract.types: is required (e.g. [money, date, email]) unless a slot tagger model is given",
                error(VALID.replace("{ types: [money, date] }", "{}")));
        assertEquals("routes/demo.yaml: steps[1].extract.model: must be text, got number 3",
                error(VALID.replace("{ types: [money, date] }", "{ model: 3 }")));
        assertEquals("routes/demo.yaml: steps[1].extract.modle: unknown field; expected one of model, types",
                error(VALID.replace("{ types: [money, date] }", "{ modle: slots/x }")));
    }

    @Test
    void readsTheTenantOwningTheCollection() {
        RouteDefinition route = parse("""
                steps:
                  - retrieve: { tenant: acme, collection: faq }
                escalation: { message: Bye }
                """);

        RouteStep.Retrieve retrieve = (RouteStep.Retrieve) route.steps().get(0);
        assertEquals(new RouteStep.Retrieve("acme", "faq", 4, SearchMode.HYBRID, RouteStep.Retrieve.DEFAULT_MIN_COSINE), retrieve);
        assertEquals("acme/faq", retrieve.collectionId().toString());
    }

    @Test
    void rejectsStructuralMistakes() {
        assertEquals("routes/demo.yaml: steps: 'extract' appears more than once",
                error(VALID.replace("  - answer:", "  - extract: { types: [email] }\n  - answer:")));
        assertEquals("routes/demo.yaml: steps: 'answer' needs a 'retrieve' step before it", error("""
                steps:
                  - answer: { generator: extractive }
                  - retrieve: { collection: help }
                escalation: { message: Bye }
                """));
        assertEquals("routes/demo.yaml: escalate_intents needs a 'classify' step", error("""
                steps:
                  - retrieve: { collection: help }
                escalate_intents: [x]
                escalation: { message: Bye }
                """));
        assertEquals("routes/demo.yaml: steps must contain at least one step", error("""
                steps: []
                escalation: { message: Bye }
                """));
        assertEquals("routes/demo.yaml: steps: is required (a list such as '- classify: {...}')",
                error("escalation: { message: Bye }\n"));
        assertEquals("routes/demo.yaml: escalation: is required (escalation: { message: \"...\" })",
                error("steps:\n  - retrieve: { collection: help }\n"));
        assertEquals("routes/demo.yaml: escalation.message: must be text, got nothing",
                error("steps:\n  - retrieve: { collection: help }\nescalation: { message: }\n"));
        assertEquals("routes/demo.yaml: (top level): must be a mapping, got a list", error("- a\n- b\n"));
        assertEquals("routes/demo.yaml: file is empty", error(""));
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirLine() {
        String message = error("steps:\n  - classify: { model: m\nescalation: { message: Bye }\n");
        assertTrue(message.startsWith("routes/demo.yaml: invalid YAML at line "), message);
    }

    @Test
    void rejectsDuplicateKeys() {
        String message = error("name: a\nname: b\nsteps:\n  - retrieve: { collection: h }\nescalation: { message: m }\n");
        assertTrue(message.startsWith("routes/demo.yaml: invalid YAML") && message.contains("name"), message);
    }

    @Test
    void loadsAFolderAndRejectsDuplicateNames(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "steps:\n  - retrieve: { collection: h }\nescalation: { message: m }\n");
        Files.writeString(dir.resolve("b.yml"), "steps:\n  - retrieve: { collection: h }\nescalation: { message: m }\n");
        Files.writeString(dir.resolve("notes.txt"), "not a route");

        assertEquals(List.of("a", "b"), RouteParser.loadAll(dir).stream().map(RouteDefinition::name).toList());

        Files.writeString(dir.resolve("c.yaml"), "name: a\nsteps:\n  - retrieve: { collection: h }\nescalation: { message: m }\n");
        String message = assertThrows(RouteConfigException.class, () -> RouteParser.loadAll(dir)).getMessage();
        assertEquals(dir.resolve("c.yaml") + ": name: route 'a' is already defined in " + dir.resolve("a.yaml"), message);
    }

    @Test
    void refusesAMissingOrEmptyRoutesFolder(@TempDir Path dir) {
        assertEquals("routes folder " + dir.resolve("nope") + " does not exist (config switchboard.routes.dir)",
                assertThrows(RouteConfigException.class, () -> RouteParser.loadAll(dir.resolve("nope"))).getMessage());
        assertEquals("routes folder " + dir + " contains no route file (*.yaml or *.yml)",
                assertThrows(RouteConfigException.class, () -> RouteParser.loadAll(dir)).getMessage());
    }
}
