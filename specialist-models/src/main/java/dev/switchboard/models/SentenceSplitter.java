package dev.switchboard.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits help-center text (plain or Markdown) into sentences, as character spans of the text, so
 * that a citation can point at the exact passage. Used by the extractive generator and by
 * retrieval's chunker and snippets.
 *
 * <p>Rules: a list item (a line starting with "-", "*", "•", "1.", "1)" or "a)") starts a sentence;
 * a line that starts lower-case continues the previous line (hard wrap), any other line break — and
 * a blank line — ends a sentence; inside a line a sentence ends at '.', '!' or '?' (plus closing
 * quotes or brackets) followed by white space and a character that is not a lower-case letter,
 * unless the dot ends a known abbreviation ("e.g.", "Dr.", "approx."), an initial ("J.") or a dotted
 * acronym ("U.S."). Numbers such as "1.5" never split since no space follows their dot. Spans are
 * trimmed of white space; empty ones are dropped. A list item's span includes its marker;
 * {@link #split(String)} gives the sentences as text, without markers and with each line break (and
 * the white space around it) turned into one space.
 */
public final class SentenceSplitter {

    private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*•▪◦‣]|\\d{1,2}[.)]|[a-zA-Z]\\))\\s+");
    private static final Pattern BOUNDARY = Pattern.compile("[.!?]+[\"'”’)\\]]*(?=\\s+[^\\s\\p{Ll}])");
    private static final Pattern DOTTED_ACRONYM = Pattern.compile("(?:\\p{L}\\.){2,}");
    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\R\\s*");
    private static final Set<String> ABBREVIATIONS = Set.of(
            "e.g", "i.e", "cf", "vs", "approx", "incl", "excl", "min", "max", "no", "nos", "nr", "ca", "fig",
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "est",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tel", "ext", "p", "pp");

    /**
     * A sentence: the chars {@code [start, end)} of the split text.
     *
     * @param start offset of the first char (not white space)
     * @param end   offset after the last char (not white space)
     */
    public record Span(int start, int end) {

        public Span {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("need 0 <= start < end, got [" + start + ", " + end + ")");
            }
        }

        /** {@code text.substring(start, end)}. */
        public String of(String text) {
            return text.substring(start, end);
        }
    }

    /** A sentence span and where its words begin (after a list marker, for the first sentence of an item). */
    private record Found(Span span, int wordsStart) {
    }

    private SentenceSplitter() {
    }

    /** The sentences of {@code text}, in order, as text (see the class comment). */
    public static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (Found f : find(text, 0, text.length())) {
            sentences.add(LINE_BREAK.matcher(text.substring(f.wordsStart(), f.span().end())).replaceAll(" "));
        }
        return sentences;
    }

    /** The sentence spans of {@code text}, in order. */
    public static List<Span> spans(String text) {
        return spans(text, 0, text.length());
    }

    /**
     * The sentence spans of {@code text[from, to)}, in order, with offsets in {@code text}; the range
     * is split as if it were the whole text.
     *
     * @throws IndexOutOfBoundsException if the range is not within the text
     */
    public static List<Span> spans(String text, int from, int to) {
        return find(text, from, to).stream().map(Found::span).toList();
    }

    private static List<Found> find(String text, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, text.length());
        List<Found> out = new ArrayList<>();
        int blockStart = -1; // first char of the current block (its list marker, for an item)
        int wordsStart = -1; // first char after the marker
        int blockEnd = -1;
        int pos = from;
        while (pos <= to) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 || nl >= to ? to : nl;
            Matcher marker = LIST_MARKER.matcher(text).region(pos, lineEnd);
            boolean item = marker.lookingAt();
            int contentStart = skipSpace(text, item ? marker.end() : pos, lineEnd);
            int contentEnd = trimEnd(text, contentStart, lineEnd);
            boolean empty = contentStart == contentEnd;
            if (!item && !empty && blockStart >= 0 && Character.isLowerCase(text.charAt(contentStart))) {
                blockEnd = contentEnd; // a hard-wrapped line continues the block
            } else {
                if (blockStart >= 0) {
                    splitBlock(text, blockStart, wordsStart, blockEnd, out);
                    blockStart = -1;
                }
                if (!empty) {
                    blockStart = item ? skipSpace(text, pos, lineEnd) : contentStart;
                    wordsStart = contentStart;
                    blockEnd = contentEnd;
                }
            }
            if (lineEnd == to) {
                break;
            }
            pos = lineEnd + 1;
        }
        if (blockStart >= 0) {
            splitBlock(text, blockStart, wordsStart, blockEnd, out);
        }
        return out;
    }

    private static void splitBlock(String text, int blockStart, int wordsStart, int blockEnd, List<Found> out) {
        Matcher m = BOUNDARY.matcher(text).region(wordsStart, blockEnd);
        int start = blockStart;
        int words = wordsStart;
        while (m.find()) {
            if (text.charAt(m.start()) == '.' && m.end() - m.start() == 1 && isAbbreviation(text, wordsStart, m.start())) {
                continue;
            }
            add(text, start, words, m.end(), out);
            start = m.end();
            words = m.end();
        }
        add(text, start, words, blockEnd, out);
    }

    /** Whether the word ending at the dot at {@code dot} is an abbreviation, an initial or an acronym. */
    private static boolean isAbbreviation(String text, int blockStart, int dot) {
        int begin = dot;
        while (begin > blockStart && !Character.isWhitespace(text.charAt(begin - 1)) && text.charAt(begin - 1) != '(') {
            begin--;
        }
        String word = text.substring(begin, dot);
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            return true;
        }
        return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT)) || DOTTED_ACRONYM.matcher(word + ".").matches();
    }

    private static void add(String text, int start, int wordsStart, int end, List<Found> out) {
        int s = skipSpace(text, start, end);
        int e = trimEnd(text, s, end);
        if (e > s) {
            out.add(new Found(new Span(s, e), Math.max(s, skipSpace(text, wordsStart, e))));
        }
    }

    private static int skipSpace(String text, int from, int to) {
        while (from < to && Character.isWhitespace(text.charAt(from))) {
            from++;
        }
        return from;
    }

    private static int trimEnd(String text, int from, int to) {
        while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
            to--;
        }
        return to;
    }
}
