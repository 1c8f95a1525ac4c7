package dev.switchboard.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Splits text into sentence spans, good enough for help-center prose and Markdown lists.
 *
 * <p>A sentence ends after {@code . ! ?} (plus closing quotes or brackets) followed by whitespace,
 * unless the word before the period is an abbreviation, a single letter or a number ("e.g.",
 * "p.m.", "J.", "1."), so such a sentence continues. A line break also ends a sentence when the next line starts a list item, or the line
 * ends with {@code :}, or a blank line follows. Soft-wrapped lines stay one sentence.
 */
final class Sentences {

    private static final Set<String> ABBREVIATIONS = Set.of(
            "mr", "mrs", "ms", "dr", "vs", "approx", "incl", "fig");
    /** Letter-dot-letter abbreviations: "p.m", "u.s" (the final period is not part of the word). */
    private static final Pattern DOTTED = Pattern.compile("(\\p{L}\\.)+\\p{L}");
    private static final Pattern LIST_ITEM = Pattern.compile("^\\s*([-*+]|\\d{1,3}[.)])\\s");

    private Sentences() {
    }

    /** The trimmed, non-empty sentence spans of {@code text[from, to)}, in order. */
    static List<Span> split(String text, int from, int to) {
        List<Span> out = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            int boundary = -1;
            if (c == '.' || c == '!' || c == '?') {
                int j = i + 1;
                while (j < to && "\"')]’”".indexOf(text.charAt(j)) >= 0) {
                    j++;
                }
                if ((j == to || Character.isWhitespace(text.charAt(j))) && (c != '.' || !abbreviation(text, from, i))) {
                    boundary = j;
                }
            } else if (c == '\n' && lineBreakEndsSentence(text, from, i, to)) {
                boundary = i;
            }
            if (boundary >= 0) {
                add(out, text, start, boundary);
                start = boundary;
                i = Math.max(i, boundary - 1);
            }
        }
        add(out, text, start, to);
        return out;
    }

    private static boolean abbreviation(String text, int from, int period) {
        int w = period;
        while (w > from && !Character.isWhitespace(text.charAt(w - 1))) {
            w--;
        }
        String word = text.substring(w, period).toLowerCase(java.util.Locale.ROOT);
        while (!word.isEmpty() && "\"'([“‘".indexOf(word.charAt(0)) >= 0) {
            word = word.substring(1);
        }
        return word.length() == 1 || word.chars().allMatch(Character::isDigit) || ABBREVIATIONS.contains(word)
                || DOTTED.matcher(word).matches();
    }

    private static boolean lineBreakEndsSentence(String text, int from, int newline, int to) {
        int prev = newline - 1;
        while (prev >= from && Character.isWhitespace(text.charAt(prev)) && text.charAt(prev) != '\n') {
            prev--;
        }
        if (prev < from || text.charAt(prev) == '\n' || text.charAt(prev) == ':') {
            return true;
        }
        int lineEnd = text.indexOf('\n', newline + 1);
        String next = text.substring(newline + 1, lineEnd < 0 || lineEnd > to ? to : lineEnd);
        return next.isBlank() || LIST_ITEM.matcher(next).find();
    }

    private static void add(List<Span> out, String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end > start) {
            out.add(new Span(start, end));
        }
    }
}
