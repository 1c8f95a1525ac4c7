package dev.switchboard.distill;

import java.util.Objects;

/**
 * One labelled text, as in a JSONL line {@code {"text": ..., "label": ..., "domain": ...}}.
 *
 * @param text   the user message; never blank
 * @param label  its intent; never blank
 * @param domain the intent's domain when the data names one (CLINC150 does), else {@code null}; used to
 *               pick synthetic out-of-scope pairs from different domains
 */
public record IntentExample(String text, String label, String domain) {

    public IntentExample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(label, "label");
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty \"text\"");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("empty \"label\"");
        }
        if (domain != null && domain.isBlank()) {
            throw new IllegalArgumentException("empty \"domain\"");
        }
    }

    /** An example without a domain. */
    public IntentExample(String text, String label) {
        this(text, label, null);
    }
}
