package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatternExtractorTest {

    /** A Wednesday. */
    private static final LocalDate REFERENCE = LocalDate.of(2026, 11, 18);
    private static final PatternExtractor EXTRACTOR = PatternExtractor.all().withReferenceDate(REFERENCE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern YEARLESS_MONTH_NAME = Pattern.compile(
            "(?i)^(?!.*\\d{4})(?=.*\\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\b)");

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            It cost $20 in total                         | money | $20                | 20.00 USD
            I was charged 20 dollars twice               | money | 20 dollars         | 20.00 USD
            The fee was €15.50.                          | money | €15.50             | 15.50 EUR
            They took 15,50 EUR from my account          | money | 15,50 EUR          | 15.50 EUR
            I sent GBP 1,200 to my landlord              | money | GBP 1,200          | 1200.00 GBP
            a refund of £3.2k is pending                 | money | £3.2k              | 3200.00 GBP
            I lost 100 pounds on that transfer           | money | 100 pounds         | 100.00 GBP
            paid 40€ at the hotel                        | money | 40€                | 40.00 EUR
            top up 700£ please                           | money | 700£               | 700.00 GBP
            transfer USD 1,234.56 now                    | money | USD 1,234.56       | 1234.56 USD
            the bill was 1.200,50 EUR                    | money | 1.200,50 EUR       | 1200.50 EUR
            withdrew $ 60 at the ATM                     | money | $ 60               | 60.00 USD
            charged US$15 for nothing                    | money | US$15              | 15.00 USD
            lend me 5 bucks                              | money | 5 bucks            | 5.00 USD
            a 2m euro loan                               | money | 2m euro            | 2000000.00 EUR
            the card fee is CHF 80 a year                | money | CHF 80             | 80.00 CHF
            an app for $0.99                             | money | $0.99              | 0.99 USD
            it was 56.79 pounds                          | money | 56.79 pounds       | 56.79 GBP
            borrow a thousand pounds                     | money | a thousand pounds  | 1000.00 GBP
            send 3 thousand dollars                      | money | 3 thousand dollars | 3000.00 USD
            worth $1.5 million                           | money | $1.5 million       | 1500000.00 USD
            convert $30 CAD to euros                     | money | $30 CAD            | 30.00 CAD
            I paid on 2025-03-01.                        | date  | 2025-03-01         | 2025-03-01
            logged at 2026-11-02T10:15:00Z               | date  | 2026-11-02         | 2026-11-02
            Statement dated 22/11/2026 shows it          | date  | 22/11/2026         | 2026-11-22
            it was on 03.11.2026 I think                 | date  | 03.11.2026         | 2026-11-03
            every month since 5/1/25                     | date  | 5/1/25             | 2025-01-05
            It happened on Nov 3                         | date  | Nov 3              | 2026-11-03
            on November 3rd, 2025 I flew                 | date  | November 3rd, 2025 | 2025-11-03
            since the 3rd of March 2025                  | date  | 3rd of March 2025  | 2025-03-03
            arriving 21 June 2016                        | date  | 21 June 2016       | 2016-06-21
            for the 17th of August,2018 please           | date  | 17th of August,2018 | 2018-08-17
            from Jan the 19th                            | date  | Jan the 19th       | 2027-01-19
            due on Sept. 9                               | date  | Sept. 9            | 2026-09-09
            the deadline is May 5                        | date  | May 5              | 2027-05-05
            it happened yesterday                        | date  | yesterday          | 2026-11-17
            Can you do it today?                         | date  | today              | 2026-11-18
            Tomorrow works                               | date  | Tomorrow           | 2026-11-19
            since the day before yesterday               | date  | day before yesterday | 2026-11-16
            I got paid last Monday                       | date  | last Monday        | 2026-11-16
            back next Monday                             | date  | next Monday        | 2026-11-23
            see you next Saturday                        | date  | next Saturday      | 2026-11-28
            in a fortnight it renews                     | date  | in a fortnight     | 2026-12-02
            as of this morning                           | date  | this morning       | 2026-11-18
            since last Wednesday                         | date  | last Wednesday     | 2026-11-11
            three days ago it worked                     | date  | three days ago     | 2026-11-15
            I ordered a week ago                         | date  | a week ago         | 2026-11-11
            it should come in 7 days                     | date  | in 7 days          | 2026-11-25
            opened 2 months ago                          | date  | 2 months ago       | 2026-09-18
            my card was stolen last night                | date  | last night         | 2026-11-17
            mail me at John.Doe@Example.COM.             | email | John.Doe@Example.COM | john.doe@example.com
            (support+billing@shop.co.uk)                 | email | support+billing@shop.co.uk | support+billing@shop.co.uk
            my card ending in 4821 was declined          | card_tail | 4821           | 4821
            the visa ending 4821                         | card_tail | 4821           | 4821
            ends with 0042                               | card_tail | 0042           | 0042
            last four digits 4821                        | card_tail | 4821           | 4821
            the last 4 digits of my card are 0042        | card_tail | 0042           | 0042
            charged to **** 4821 again                   | card_tail | **** 4821      | 4821
            it shows XXXX-XXXX-XXXX-1234                 | card_tail | XXXX-XXXX-XXXX-1234 | 1234
            card 4111 1111 1111 1111 was stolen          | card_tail | 4111 1111 1111 1111 | 1111
            number 5555-5555-5555-4444                   | card_tail | 5555-5555-5555-4444 | 4444
            amex 378282246310005                         | card_tail | 378282246310005 | 0005
            where is order #A12-3456?                    | order_id | A12-3456        | A12-3456
            my order #a12-3456 is late                   | order_id | a12-3456        | A12-3456
            order number 98765432 hasn't arrived         | order_id | 98765432        | 98765432
            ORD-2024-0042 is late                        | order_id | ORD-2024-0042   | ORD-2024-0042
            order no. 5512 please                        | order_id | 5512            | 5512
            Order ID: ord-77-abc                         | order_id | ord-77-abc      | ORD-77-ABC
            booking reference AB1234                     | order_id | AB1234          | AB1234
            my order is 12345678                         | order_id | 12345678        | 12345678
            """)
    void findsOneEntityWithExactSpanAndValue(String message, String type, String spanText, String value) {
        List<Entity> entities = EXTRACTOR.extract(message);

        assertEquals(1, entities.size(), () -> "entities of '" + message + "': " + entities);
        Entity e = entities.get(0);
        assertEquals(type, e.type());
        assertEquals(spanText, e.text());
        assertEquals(message.indexOf(spanText), e.start());
        assertEquals(spanText, message.substring(e.start(), e.end()));
        assertEquals(value, e.value());
        assertEquals(Entity.PATTERN_SOURCE, e.source());
        assertTrue(e.confidence() > 0.5 && e.confidence() <= 1.0, () -> "confidence " + e.confidence());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "I have 3 cards",
            "call me at 5",
            "Pay 20 now",
            "It costs 15.5 percent more",
            "version 1.2.3 crashed",
            "We are open 24/7",
            "room 1205 on floor 12",
            "my phone is 555 123 4567",
            "card 4111 1111 1111 1112 fails the checksum",
            "the 31/02/2026 entry",
            "I want to order 1000 units",
            "I'd like to order 2 pizzas",
            "The promotion ending in 2025 was fine",
            "you may 2 times retry",
            "email me at john@ or john@localhost",
            "my order was delivered to the wrong door",
            "I waited 3 days for nothing",
            "the last four were fine",
            "transfer 5 thousand to savings",
            "a pound of flour and one euro coin",
            "the footnote **1920 x 1080 applies",
            "the ordinal 7 is fine",
    })
    void findsNothingInNegatives(String message) {
        assertEquals(List.of(), EXTRACTOR.extract(message));
    }

    @Test
    void extractsEveryTypeFromOneMessageSortedWithExactOffsets() {
        String message = "On 22/11/2026 I paid $20 with my card ending in 4821 for order #A12-3456; "
                + "write to Jane@Example.com";

        List<Entity> entities = EXTRACTOR.extract(message);

        assertEquals(List.of("date", "money", "card_tail", "order_id", "email"),
                entities.stream().map(Entity::type).toList());
        assertEquals(List.of("2026-11-22", "20.00 USD", "4821", "A12-3456", "jane@example.com"),
                entities.stream().map(Entity::value).toList());
        assertEquals(List.of("22/11/2026", "$20", "4821", "A12-3456", "Jane@Example.com"),
                entities.stream().map(Entity::text).toList());
        for (Entity e : entities) {
            assertEquals(e.text(), message.substring(e.start(), e.end()));
        }
    }

    @Test
    void fullCardNumberValueNeverContainsTheFullNumber() {
        Entity e = EXTRACTOR.extract("please refund 4539578763621486 asap").get(0);

        assertEquals("card_tail", e.type());
        assertEquals("1486", e.value());
        assertEquals("4539578763621486", e.text());
    }

    @Test
    void longestCandidateWinsOverlaps() {
        // The order recognizer also proposes "ord-2024-0042"; the e-mail address is longer.
        assertEquals(List.of("email"), types("write to ord-2024-0042@shop.com"));
        // "day before yesterday" contains "yesterday".
        List<Entity> dates = EXTRACTOR.extract("since the day before yesterday");
        assertEquals(1, dates.size());
        assertEquals("2026-11-16", dates.get(0).value());
    }

    @Test
    void equallyLongCandidatesGoToTheMoreSpecificType() {
        // Both the card recognizer (Luhn-valid number) and the order recognizer claim the same span.
        List<Entity> entities = EXTRACTOR.extract("order number 4111111111111111");

        assertEquals(1, entities.size());
        assertEquals("card_tail", entities.get(0).type());
        assertEquals("1111", entities.get(0).value());
    }

    @Test
    void resolveKeepsNonOverlappingLongestCandidates() {
        String text = "abcdefghij";
        Entity longDate = entity(text, "date", 0, 6);
        Entity shortMoney = entity(text, "money", 4, 8);
        Entity laterEmail = entity(text, "email", 7, 10);

        List<Entity> kept = PatternExtractor.resolve(List.of(shortMoney, laterEmail, longDate));

        assertEquals(List.of(longDate, laterEmail), kept);
    }

    @Test
    void ofSelectsOnlyTheRequestedRecognizers() {
        PatternExtractor moneyOnly = PatternExtractor.of(List.of("money")).withReferenceDate(REFERENCE);

        List<Entity> entities = moneyOnly.extract("On 22/11/2026 I paid $20 with card ending in 4821");

        assertEquals(Set.of("money"), moneyOnly.types());
        assertEquals(List.of("20.00 USD"), entities.stream().map(Entity::value).toList());
    }

    @Test
    void ofRejectsAnUnknownTypeNamingItAndTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PatternExtractor.of(List.of("money", "phone")));

        assertEquals("unknown entity type 'phone'; known types: [email, card_tail, order_id, money, date]",
                e.getMessage());
    }

    @Test
    void ofRejectsAnEmptySelection() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PatternExtractor.of(List.of()));

        assertEquals("at least one entity type is required; known types: [email, card_tail, order_id, money, date]",
                e.getMessage());
    }

    @Test
    void knownTypesListsAllFive() {
        assertEquals(Set.of("money", "date", "email", "card_tail", "order_id"), PatternExtractor.knownTypes());
        assertEquals(PatternExtractor.knownTypes(), PatternExtractor.all().types());
    }

    @Test
    void relativeDatesFollowTheClockIncludingItsTimeZone() {
        // 23:30 UTC on the 18th is already the 19th in Tokyo.
        ZonedDateTime instant = ZonedDateTime.of(2026, 11, 18, 23, 30, 0, 0, ZoneOffset.UTC);
        PatternExtractor utc = PatternExtractor.all().withClock(Clock.fixed(instant.toInstant(), ZoneOffset.UTC));
        PatternExtractor tokyo = PatternExtractor.all()
                .withClock(Clock.fixed(instant.toInstant(), ZoneId.of("Asia/Tokyo")));

        assertEquals("2026-11-17", utc.extract("yesterday").get(0).value());
        assertEquals("2026-11-18", tokyo.extract("yesterday").get(0).value());
    }

    @Test
    void defaultReferenceDateIsTodayInUtc() {
        LocalDate before = LocalDate.now(ZoneOffset.UTC);
        String value = PatternExtractor.all().extract("today").get(0).value();
        LocalDate after = LocalDate.now(ZoneOffset.UTC);

        assertTrue(value.equals(before.toString()) || value.equals(after.toString()), value);
    }

    @Test
    void dayAndMonthWithoutYearIsTheOccurrenceNearestToTheReferenceDate() {
        PatternExtractor earlyJanuary = PatternExtractor.all().withReferenceDate(LocalDate.of(2027, 1, 5));
        PatternExtractor lateDecember = PatternExtractor.all().withReferenceDate(LocalDate.of(2026, 12, 28));

        assertEquals("2026-12-20", earlyJanuary.extract("charged on Dec 20").get(0).value());
        assertEquals("2027-01-03", lateDecember.extract("deliver on Jan 3").get(0).value());
        assertEquals("2026-12-20", lateDecember.extract("charged on Dec 20").get(0).value());
    }

    @Test
    void nextWeekdayIsInTheFollowingWeekAndLastWeekdayIsTheLatestBefore() {
        PatternExtractor tuesday = PatternExtractor.all().withReferenceDate(LocalDate.of(2022, 3, 15));
        PatternExtractor sunday = PatternExtractor.all().withReferenceDate(LocalDate.of(2026, 11, 22));

        assertEquals("2022-03-26", tuesday.extract("next Saturday").get(0).value());
        assertEquals("2022-03-21", tuesday.extract("next Monday").get(0).value());
        assertEquals("2022-03-14", tuesday.extract("last Monday").get(0).value());
        assertEquals("2022-03-08", tuesday.extract("last Tuesday").get(0).value());
        assertEquals("2026-11-23", sunday.extract("next Monday").get(0).value());
    }

    @Test
    void rejectsNullText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EXTRACTOR.extract(null));

        assertEquals("text must not be null", e.getMessage());
    }

    @Test
    void emptyTextHasNoEntities() {
        assertEquals(List.of(), EXTRACTOR.extract(""));
    }

    /**
     * NLU++ (banking + hotels, 3,080 real support utterances, dates relative to 2022-03-15): money must
     * be found with the right value wherever the gold names a currency, and nearly every date or amount
     * we report must sit on a gold span. Every entity must satisfy the span invariants.
     */
    @Test
    void agreesWithTheNluPlusPlusGoldSpans() throws IOException {
        PatternExtractor extractor = PatternExtractor.all().withReferenceDate(LocalDate.of(2022, 3, 15));
        NluppScore score = new NluppScore();
        for (String file : List.of("banking.jsonl", "hotels.jsonl")) {
            for (String line : Files.readAllLines(datasets().resolve("nlupp").resolve(file))) {
                JsonNode row = JSON.readTree(line);
                String text = row.get("text").asText();
                List<Entity> found = extractor.extract(text);
                assertSpanInvariants(text, found);
                score.add(row.get("entities"), found);
            }
        }
        System.out.println(score);

        assertTrue(score.moneyGold > 100, score::toString);
        assertTrue(score.moneyRecall() >= 0.9, score::toString);
        assertTrue(score.moneyPrecision() >= 0.95, score::toString);
        assertTrue(score.datePrecision() >= 0.9, score::toString);
        assertTrue(score.dateValueAccuracy() >= 0.9, score::toString);
    }

    private static void assertSpanInvariants(String text, List<Entity> entities) {
        for (int i = 0; i < entities.size(); i++) {
            Entity e = entities.get(i);
            assertEquals(e.text(), text.substring(e.start(), e.end()), text);
            if (i > 0) {
                assertTrue(entities.get(i - 1).end() <= e.start(), () -> "overlap or disorder in " + entities);
            }
        }
    }

    /** Counts for {@link #agreesWithTheNluPlusPlusGoldSpans()}. */
    private static final class NluppScore {
        int moneyGold;
        int moneyFoundRight;
        int moneyPredicted;
        int moneyPredictedOnGold;
        int dateGold;
        int dateGoldFound;
        int datePredicted;
        int datePredictedOnGold;
        int dateValued;
        int dateValueRight;
        int yearlessValued;
        int yearlessRight;

        void add(JsonNode gold, List<Entity> found) {
            for (JsonNode g : gold) {
                String label = g.get("label").asText();
                int start = g.get("start").asInt();
                int end = g.get("end").asInt();
                JsonNode value = g.get("value");
                if (label.equals("amount_of_money") && !value.get("currency").asText().equals("ambiguous")) {
                    moneyGold++;
                    String expected = new BigDecimal(value.get("amount").asText()).setScale(2, RoundingMode.HALF_UP)
                            + " " + value.get("currency").asText();
                    if (found.stream().anyMatch(e -> e.type().equals("money") && overlaps(e, start, end)
                            && e.value().equals(expected))) {
                        moneyFoundRight++;
                    }
                }
                if (label.matches("date|date_from|date_to") && value.has("year")) {
                    dateGold++;
                    if (found.stream().anyMatch(e -> e.type().equals("date") && overlaps(e, start, end))) {
                        dateGoldFound++;
                    }
                }
            }
            for (Entity e : found) {
                if (e.type().equals("money")) {
                    moneyPredicted++;
                    if (onGold(gold, e, "amount_of_money")) {
                        moneyPredictedOnGold++;
                    }
                } else if (e.type().equals("date")) {
                    datePredicted++;
                    JsonNode g = goldUnder(gold, e, "date.*|time.*");
                    if (g != null) {
                        datePredictedOnGold++;
                        JsonNode v = g.get("value");
                        if (v.has("year")) {
                            boolean right = LocalDate.of(v.get("year").asInt(), v.get("month").asInt(),
                                    v.get("day").asInt()).toString().equals(e.value());
                            if (YEARLESS_MONTH_NAME.matcher(e.text()).find()) {
                                yearlessValued++;
                                yearlessRight += right ? 1 : 0;
                            } else {
                                dateValued++;
                                dateValueRight += right ? 1 : 0;
                            }
                        }
                    }
                }
            }
        }

        double moneyRecall() {
            return (double) moneyFoundRight / moneyGold;
        }

        double moneyPrecision() {
            return (double) moneyPredictedOnGold / moneyPredicted;
        }

        double datePrecision() {
            return (double) datePredictedOnGold / datePredicted;
        }

        /**
         * Among predicted dates on a gold span whose value is a single day, except day-month dates
         * without a year: NLU++ always resolves those to the future, we to the nearest occurrence.
         */
        double dateValueAccuracy() {
            return (double) dateValueRight / dateValued;
        }

        private static boolean onGold(JsonNode gold, Entity e, String label) {
            return goldUnder(gold, e, label) != null;
        }

        private static JsonNode goldUnder(JsonNode gold, Entity e, String labelRegex) {
            for (JsonNode g : gold) {
                if (g.get("label").asText().matches(labelRegex) && overlaps(e, g.get("start").asInt(), g.get("end").asInt())) {
                    return g;
                }
            }
            return null;
        }

        private static boolean overlaps(Entity e, int start, int end) {
            return e.start() < end && start < e.end();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "NLU++ money: gold %d, recall(value) %.3f, predicted %d, precision %.3f; "
                            + "date: gold(day) %d, found %d, predicted %d, precision %.3f, value accuracy %.3f (%d/%d), "
                            + "year-less month names agreeing with the gold's future convention %d/%d",
                    moneyGold, moneyRecall(), moneyPredicted, moneyPrecision(),
                    dateGold, dateGoldFound, datePredicted, datePrecision(), dateValueAccuracy(), dateValueRight, dateValued,
                    yearlessRight, yearlessValued);
        }
    }

    private static Path datasets() {
        String dir = System.getProperty("switchboard.datasets");
        assertTrue(dir != null, "system property switchboard.datasets is not set (surefire sets it)");
        return Path.of(dir);
    }

    private static List<String> types(String message) {
        return EXTRACTOR.extract(message).stream().map(Entity::type).toList();
    }

    private static Entity entity(String text, String type, int start, int end) {
        return new Entity(type, text.substring(start, end), start, end, "v", Entity.PATTERN_SOURCE, 0.9);
    }
}
