package dev.switchboard.retrieval;

import dev.switchboard.models.SentenceSplitter;
import java.util.List;

/** A half-open char range {@code [start, end)} of some text. */
record Span(int start, int end) {

    Span {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("need 0 <= start <= end, got [" + start + ", " + end + ")");
        }
    }

    int length() {
        return end - start;
    }

    /** The sentences of {@code text[from, to)} ({@link SentenceSplitter}), offsets in {@code text}. */
    static List<Span> sentences(String text, int from, int to) {
        return SentenceSplitter.spans(text, from, to).stream().map(s -> new Span(s.start(), s.end())).toList();
    }
}
