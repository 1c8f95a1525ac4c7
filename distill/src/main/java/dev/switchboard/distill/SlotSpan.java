package dev.switchboard.distill;

import java.util.Objects;

/**
 * A labelled character span of a text: {@code text.substring(start, end)} is the slot value.
 *
 * @param start first char, inclusive, {@code >= 0}
 * @param end   last char, exclusive, {@code > start}
 * @param label the slot type, non-blank without whitespace
 */
public record SlotSpan(int start, int end, String label) {

    public SlotSpan {
        Objects.requireNonNull(label, "label");
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("span must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
        }
        if (label.isBlank() || label.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("label '" + label + "' must be non-blank without whitespace");
        }
    }

    /** Whether the two spans share at least one char. */
    public boolean overlaps(SlotSpan other) {
        return start < other.end() && other.start() < end;
    }

    public int length() {
        return end - start;
    }
}
