package dev.switchboard.models;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rule-based extractor for the entities whose form is regular enough that patterns beat a model:
 * amounts, dates, e-mail addresses, card tails and order ids. Immutable and thread-safe.
 *
 * <p>Normalised values ({@link Entity#value()}):
 * <ul>
 *   <li>{@code money}: {@code "<amount> <ISO 4217>"}, two decimals, no grouping: "$20" → {@code 20.00 USD},
 *       "15,50 EUR" → {@code 15.50 EUR}, "GBP 1,200" → {@code 1200.00 GBP}, "£3.2k" → {@code 3200.00 GBP},
 *       "100 pounds" → {@code 100.00 GBP}. Bare numbers are never money. Separator rules on
 *       {@code MoneyRecognizer};</li>
 *   <li>{@code date}: {@code yyyy-MM-dd}. Numeric dates are read day first ("03/11/2026" is 3 November);
 *       relative ones ("yesterday", "last Monday", "3 days ago") are resolved against the reference
 *       date, which is today in the extractor's clock (UTC by default, see {@link #withClock}); a
 *       day and month without a year ("Nov 3") is the occurrence nearest to the reference date. Forms
 *       on {@code DateRecognizer};</li>
 *   <li>{@code email}: the address lower-cased;</li>
 *   <li>{@code card_tail}: four digits; for a full card number only its last four;</li>
 *   <li>{@code order_id}: the id upper-cased ("order #a12-3456" → {@code A12-3456}).</li>
 * </ul>
 *
 * <p>Overlaps: every recognizer proposes candidates; the longest candidate wins, ties go to the more
 * specific type in the order email, card_tail, order_id, money, date, then to the earlier one.
 */
public final class PatternExtractor implements Extractor {

    /** Most specific first: breaks ties between equally long overlapping candidates. */
    private static final List<String> TYPES_BY_SPECIFICITY =
            List.of(Entity.EMAIL, Entity.CARD_TAIL, Entity.ORDER_ID, Entity.MONEY, Entity.DATE);
    private static final Map<String, Recognizer> RECOGNIZERS = List.of(
                    new EmailRecognizer(), new CardTailRecognizer(), new OrderIdRecognizer(),
                    new MoneyRecognizer(), new DateRecognizer())
            .stream().collect(Collectors.toUnmodifiableMap(Recognizer::type, Function.identity()));

    private final List<Recognizer> recognizers;
    private final Clock clock;

    private PatternExtractor(List<Recognizer> recognizers, Clock clock) {
        this.recognizers = recognizers;
        this.clock = clock;
    }

    /** An extractor with every recognizer, relative dates against today in UTC. */
    public static PatternExtractor all() {
        return of(TYPES_BY_SPECIFICITY);
    }

    /**
     * An extractor with the recognizers of {@code types} only.
     *
     * @throws IllegalArgumentException if {@code types} is empty or names an unknown type
     */
    public static PatternExtractor of(Collection<String> types) {
        Objects.requireNonNull(types, "types");
        if (types.isEmpty()) {
            throw new IllegalArgumentException("at least one entity type is required; known types: " + knownTypes());
        }
        for (String type : types) {
            if (!RECOGNIZERS.containsKey(type)) {
                throw new IllegalArgumentException("unknown entity type '" + type + "'; known types: " + knownTypes());
            }
        }
        List<Recognizer> chosen = TYPES_BY_SPECIFICITY.stream().filter(types::contains).map(RECOGNIZERS::get).toList();
        return new PatternExtractor(chosen, Clock.systemUTC());
    }

    /** The types this class can extract: email, card_tail, order_id, money, date. */
    public static Set<String> knownTypes() {
        return Collections.unmodifiableSet(new LinkedHashSet<String>(TYPES_BY_SPECIFICITY));
    }

    /** The types this extractor extracts, most specific first. */
    public Set<String> types() {
        Set<String> types = new LinkedHashSet<>();
        recognizers.forEach(r -> types.add(r.type()));
        return Collections.unmodifiableSet(types);
    }

    /** The same extractor with relative dates resolved against today in {@code clock}'s time zone. */
    public PatternExtractor withClock(Clock clock) {
        return new PatternExtractor(recognizers, Objects.requireNonNull(clock, "clock"));
    }

    /** The same extractor with relative dates resolved against the fixed day {@code today}. */
    public PatternExtractor withReferenceDate(LocalDate today) {
        Objects.requireNonNull(today, "today");
        return withClock(Clock.fixed(today.atStartOfDay(ZoneOffset.UTC).toInstant(), ZoneOffset.UTC));
    }

    @Override
    public List<Entity> extract(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        LocalDate today = LocalDate.now(clock);
        List<Entity> candidates = new ArrayList<>();
        for (Recognizer recognizer : recognizers) {
            recognizer.find(text, today, candidates);
        }
        return resolve(candidates);
    }

    /** Keeps a non-overlapping subset, greedily: longest first, then most specific, then earliest. */
    static List<Entity> resolve(List<Entity> candidates) {
        List<Entity> ordered = new ArrayList<>(candidates);
        ordered.sort(Comparator.comparingInt(Entity::length).reversed()
                .thenComparingInt(e -> specificity(e.type()))
                .thenComparingInt(Entity::start));
        List<Entity> kept = new ArrayList<>();
        for (Entity candidate : ordered) {
            if (kept.stream().noneMatch(candidate::overlaps)) {
                kept.add(candidate);
            }
        }
        kept.sort(Comparator.comparingInt(Entity::start));
        return List.copyOf(kept);
    }

    private static int specificity(String type) {
        int index = TYPES_BY_SPECIFICITY.indexOf(type);
        return index < 0 ? TYPES_BY_SPECIFICITY.size() : index;
    }

    @Override
    public String toString() {
        return "PatternExtractor" + types();
    }
}
