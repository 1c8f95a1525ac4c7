package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExtractiveGeneratorTest {

    private static final Passage RETURNS = new Passage("returns-1", "Returns and refunds",
            "You can return most items within 30 days of delivery. To start a return, open Orders, select the "
                    + "item and tap Return item. Once we receive the parcel, refunds are issued to the original "
                    + "payment method within 5-10 business days. Gift cards and personalised items cannot be returned.",
            12.1);
    private static final Passage PASSWORD = new Passage("password-1", "Resetting your password",
            "If you forgot your password, tap Forgot password? on the sign-in screen. We will email you a reset "
                    + "link, e.g. to the address on your account. The link expires after 30 minutes. For security "
                    + "reasons, support agents cannot reset a password on your behalf.",
            9.4);
    private static final Passage SHIPPING = new Passage("shipping-1", "Delivery times and costs",
            "Standard delivery takes 3-5 business days.\n"
                    + "- Express delivery arrives the next business day if you order before 2 p.m.\n"
                    + "- We ship to the U.S. and Canada only.\n"
                    + "Delivery costs $4.99, and orders over $50 ship free.",
            7.0);

    private static Encoder encoder;
    private static Generator generator;

    @BeforeAll
    static void loadEncoder() {
        encoder = Encoders.load(Encoders.DEFAULT_ID);
        generator = Generators.extractive(encoder);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    @Test
    void quotesTheAnsweringSentenceAndCitesOnlyItsPassage() {
        GeneratedAnswer answer = generator.generate(
                new GenerationRequest("How long does it take to get my refund?", List.of(PASSWORD, RETURNS, SHIPPING)));

        assertEquals(List.of("returns-1"), answer.citedPassageIds());
        assertTrue(answer.text().contains(
                "refunds are issued to the original payment method within 5-10 business days. [1]"), answer.text());
        assertFalse(answer.text().contains("Forgot password"), answer.text());
    }

    @Test
    void picksThePasswordPassageForAPasswordQuestion() {
        GeneratedAnswer answer = generator.generate(
                new GenerationRequest("I forgot my password, how do I reset it?", List.of(SHIPPING, RETURNS, PASSWORD)));

        assertEquals(List.of("password-1"), answer.citedPassageIds());
        assertTrue(answer.text().startsWith("If you forgot your password, tap Forgot password? on the sign-in screen."),
                answer.text());
    }

    @Test
    void saysItIsExtractive() {
        GeneratedAnswer answer = generator.generate(
                new GenerationRequest("Do you ship to Canada?", List.of(SHIPPING, RETURNS)));

        assertTrue(answer.extractive());
        assertEquals("extractive", answer.generatorId());
        assertEquals("extractive", generator.id());
        assertTrue(answer.text().endsWith("\n\n(Extractive answer: quoted from the help center; no language model was used.)"),
                answer.text());
        assertTrue(answer.text().contains("We ship to the U.S. and Canada only."), answer.text());
        assertEquals("shipping-1", answer.citedPassageIds().get(0));
    }

    @Test
    void returnsNothingFoundForAnOffTopicQuestion() {
        GeneratedAnswer answer = generator.generate(
                new GenerationRequest("What is the capital of Mongolia?", List.of(RETURNS, PASSWORD, SHIPPING)));

        assertEquals(List.of(), answer.citedPassageIds());
        assertFalse(answer.grounded());
        assertEquals(ExtractiveGenerator.NOTHING_FOUND, answer.text());
    }

    @Test
    void returnsNothingFoundWithoutPassages() {
        GeneratedAnswer answer = generator.generate(new GenerationRequest("How long does a refund take?", List.of()));

        assertEquals(List.of(), answer.citedPassageIds());
        assertEquals(ExtractiveGenerator.NOTHING_FOUND, answer.text());
        assertTrue(answer.extractive());
    }

    @Test
    void ordersQuotesByPassageRankAndNumbersCitationsInThatOrder() {
        Generator lenient = Generators.extractive(encoder, 4, 0.2);
        String question = "How long does delivery take, and how long until my refund arrives?";

        GeneratedAnswer answer = lenient.generate(new GenerationRequest(question, List.of(SHIPPING, RETURNS)));

        assertEquals(List.of("shipping-1", "returns-1"), answer.citedPassageIds());
        int delivery = answer.text().indexOf("Standard delivery takes 3-5 business days.");
        int refund = answer.text().indexOf("refunds are issued");
        assertTrue(delivery >= 0 && refund > delivery, answer.text());
        assertTrue(answer.text().indexOf("[1]") > delivery && answer.text().indexOf("[1]") < refund, answer.text());
        assertTrue(answer.text().indexOf("[2]") > refund, answer.text());
    }

    @Test
    void skipsNearDuplicateSentencesFromAnotherPassage() {
        Passage copy = new Passage("returns-copy", "Refunds (old article)", RETURNS.text(), 11.0);

        GeneratedAnswer answer = Generators.extractive(encoder, 3, 0.2).generate(
                new GenerationRequest("How long does it take to get my refund?", List.of(RETURNS, copy)));

        assertEquals(List.of("returns-1"), answer.citedPassageIds());
    }

    @Test
    void quotesAtMostMaxSentences() {
        GeneratedAnswer answer = Generators.extractive(encoder, 1, 0.0).generate(
                new GenerationRequest("How do returns and refunds work?", List.of(RETURNS)));

        String body = answer.text().substring(0, answer.text().indexOf(" [1]"));
        assertEquals(1, SentenceSplitter.split(body).size(), body);
    }

    @Test
    void marksAGapBetweenNonAdjacentSentencesOfOnePassage() {
        GeneratedAnswer answer = Generators.extractive(encoder, 2, 0.0).generate(
                new GenerationRequest("Can I return a gift card, and within how many days can I return items?",
                        List.of(RETURNS)));

        assertTrue(answer.text().startsWith("You can return most items within 30 days of delivery. … "
                + "Gift cards and personalised items cannot be returned. [1]"), answer.text());
    }

    /** Real FAQ entries (covid_faq): the surfaces question is answered by faq131, not by two other CDC answers. */
    @Test
    void citesTheRightFaqEntryOnRealData() throws IOException {
        Map<String, JsonNode> corpus = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(datasets().resolve("covid_faq").resolve("corpus.jsonl"))) {
            JsonNode row = json.readTree(line);
            corpus.put(row.get("id").asText(), row);
        }
        List<Passage> passages = List.of("faq30", "faq131", "faq167").stream()
                .map(id -> new Passage(id, corpus.get(id).get("title").asText(), corpus.get(id).get("text").asText(), 1.0))
                .toList();

        GeneratedAnswer answer = generator.generate(
                new GenerationRequest("How long can the virus survive on surfaces?", passages));

        assertEquals(List.of("faq131"), answer.citedPassageIds());
        assertTrue(answer.text().contains("may persist on surfaces for a few hours or up to several days"), answer.text());
    }

    @Test
    void rejectsInvalidSettings() {
        assertEquals("maxSentences must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> Generators.extractive(encoder, 0, 0.4)).getMessage());
        assertEquals("minSimilarity must be in [-1, 1], got 1.5", assertThrows(IllegalArgumentException.class,
                () -> Generators.extractive(encoder, 3, 1.5)).getMessage());
    }

    private static Path datasets() {
        String dir = System.getProperty("switchboard.datasets");
        assertTrue(dir != null, "system property switchboard.datasets is not set (surefire sets it)");
        return Path.of(dir);
    }
}
