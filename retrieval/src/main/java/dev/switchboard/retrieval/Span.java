package dev.switchboard.retrieval;

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
}
