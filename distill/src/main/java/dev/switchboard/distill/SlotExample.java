package dev.switchboard.distill;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One text with its gold slot spans, read from either JSONL shape {@link SlotDataset} accepts.
 *
 * @param text    the message; never blank
 * @param spans   gold spans inside the text, sorted by start then end (may overlap: some datasets
 *                label one phrase twice)
 * @param context the dialogue context, here the slots the system had just asked for
 *                ({@code requested_slots}); empty when the data has none
 */
public record SlotExample(String text, List<SlotSpan> spans, List<String> context) {

    public SlotExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(spans, "spans");
        Objects.requireNonNull(context, "context");
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty text");
        }
        for (SlotSpan s : spans) {
            if (s.end() > text.length()) {
                throw new IllegalArgumentException("span [" + s.start() + ", " + s.end() + ") ends after the text (length "
                        + text.length() + ")");
            }
        }
        spans = spans.stream().sorted(Comparator.comparingInt(SlotSpan::start).thenComparingInt(SlotSpan::end)).toList();
        context = List.copyOf(context);
    }

    /** The text of a span. */
    public String textOf(SlotSpan span) {
        return text.substring(span.start(), span.end());
    }
}
