package dev.switchboard.distill;

import java.util.List;
import java.util.Objects;

/**
 * One text with its set of intents, as in a JSONL line {@code {"text": ..., "intents": [...]}} (NLU++).
 *
 * @param text    the user message; never blank
 * @param intents its intents, possibly empty (a message expressing none of them); a repeated intent is kept
 *                once (NLU++ banking has such a line), in first-seen order
 */
public record MultiLabelExample(String text, List<String> intents) {

    public MultiLabelExample {
        Objects.requireNonNull(text, "text");
        intents = Objects.requireNonNull(intents, "intents").stream().distinct().toList();
        if (text.isBlank()) {
            throw new IllegalArgumentException("empty \"text\"");
        }
        if (intents.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("empty intent in \"intents\"");
        }
    }
}
