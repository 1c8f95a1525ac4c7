package dev.switchboard.distill;

import java.util.Objects;

/**
 * One labelled text, as in a JSONL line {@code {"text": ..., "label": ...}}.
 *
 * @param text  the user message; never blank
 * @param label its intent; never blank
 */
public record IntentExample(String text, String label) {

    public IntentExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty \"text\"");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("empty \"label\"");
        }
    }
}
