package dev.switchboard.models;

import java.util.Objects;

/**
 * One entity found in a message.
 *
 * <p>Offsets are UTF-16 char offsets into the text that was extracted from, end exclusive:
 * {@code text.equals(message.substring(start, end))}. The span covers the value-bearing part only
 * ({@code "4821"} in "card ending in 4821", {@code "A12-3456"} in "order #A12-3456"); trigger words
 * are context, not part of the entity.
 *
 * <p>{@code text} is the raw substring and may contain personal data (a full card number):
 * {@code value} never does, so log values, not texts.
 *
 * @param type       what was found: {@link #MONEY}, {@link #DATE}, {@link #EMAIL}, {@link #CARD_TAIL},
 *                   {@link #ORDER_ID}, or a label of a learned extractor
 * @param text       the exact substring {@code message.substring(start, end)}
 * @param start      first char, inclusive, {@code >= 0}
 * @param end        last char, exclusive, {@code > start}
 * @param value      the normalised value; its format per type is documented on {@link PatternExtractor}
 * @param source     what produced it: {@code "pattern"} for the recognizers of {@link PatternExtractor}
 * @param confidence in [0, 1]; for patterns a fixed per-pattern heuristic, not a calibrated probability
 */
public record Entity(String type, String text, int start, int end, String value, String source, double confidence) {

    /** An amount with its currency; value {@code "1200.00 GBP"}. */
    public static final String MONEY = "money";
    /** A calendar day; value {@code "2026-11-22"}. */
    public static final String DATE = "date";
    /** An e-mail address; value lower-cased. */
    public static final String EMAIL = "email";
    /** The last four digits of a payment card; value {@code "4821"}. */
    public static final String CARD_TAIL = "card_tail";
    /** An order identifier; value upper-cased. */
    public static final String ORDER_ID = "order_id";
    /** {@link #source()} of every entity found by {@link PatternExtractor}. */
    public static final String PATTERN_SOURCE = "pattern";

    public Entity {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        if (type.isBlank()) {
            throw new IllegalArgumentException("entity type must not be blank");
        }
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException(
                    "entity span must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
        }
        if (text.length() != end - start) {
            throw new IllegalArgumentException("entity text '" + text + "' has length " + text.length()
                    + " but its span [" + start + ", " + end + ") has length " + (end - start));
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("entity value must not be blank (type " + type + ")");
        }
        if (source.isBlank()) {
            throw new IllegalArgumentException("entity source must not be blank");
        }
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("entity confidence must be in [0, 1], got " + confidence);
        }
    }

    /** Number of chars covered, {@code end - start}. */
    public int length() {
        return end - start;
    }

    /** Whether the two spans share at least one char. */
    public boolean overlaps(Entity other) {
        return start < other.end && other.start < end;
    }
}
