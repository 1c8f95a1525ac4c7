package dev.switchboard.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Picks the sentences of a chunk that best answer a query, without highlighting.
 *
 * <p>Each sentence scores the number of distinct analysed query terms it contains. The snippet is
 * the best sentence (the first on ties; the chunk's first sentence when nothing matches), joined with
 * its next or previous sentence when the pair stays within {@value #MAX_CHARS} chars (the pair with
 * more distinct matches wins, the next one on ties). Whitespace is collapsed; a lone sentence longer
 * than the limit is cut at a word boundary and ends with "…". {@link #locate} also gives the
 * snippet's offsets in the chunk text, so a citation can point at the exact passage.
 */
final class Snippets {

    static final int MAX_CHARS = 300;

    private final Analyzer analyzer;
    private final String field;

    Snippets(Analyzer analyzer, String field) {
        this.analyzer = analyzer;
        this.field = field;
    }

    /** The distinct analysed terms of {@code text} (stemmed, stop words removed). */
    Set<String> terms(String text) {
        Set<String> terms = new HashSet<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a String
        }
        return terms;
    }

    /**
     * A snippet and where it is: {@code text} is the cleaned passage, {@code [start, end)} the range of
     * {@code chunkText} it was cut from (for a truncated snippet, up to the cut).
     */
    record Snippet(String text, int start, int end) {
    }

    String snippet(String text, Set<String> queryTerms) {
        return locate(text, queryTerms).text();
    }

    Snippet locate(String text, Set<String> queryTerms) {
        List<Span> sentences = Span.sentences(text, 0, text.length());
        if (sentences.isEmpty()) {
            return new Snippet("", 0, 0);
        }
        int[] matches = new int[sentences.size()];
        int best = 0;
        for (int i = 0; i < sentences.size(); i++) {
            Set<String> t = terms(slice(text, sentences.get(i)));
            t.retainAll(queryTerms);
            matches[i] = t.size();
            if (matches[i] > matches[best]) {
                best = i;
            }
        }
        Span chosen = sentences.get(best);
        int chosenScore = -1;
        if (best + 1 < sentences.size()) {
            Span pair = new Span(chosen.start(), sentences.get(best + 1).end());
            if (clean(slice(text, pair)).length() <= MAX_CHARS) {
                chosenScore = pairScore(text, pair, queryTerms);
                chosen = pair;
            }
        }
        if (best > 0) {
            Span pair = new Span(sentences.get(best - 1).start(), sentences.get(best).end());
            if (clean(slice(text, pair)).length() <= MAX_CHARS && pairScore(text, pair, queryTerms) > chosenScore) {
                chosen = pair;
            }
        }
        String cleaned = clean(slice(text, chosen));
        if (cleaned.length() <= MAX_CHARS) {
            return new Snippet(cleaned, chosen.start(), chosen.end());
        }
        int cut = cut(cleaned);
        return new Snippet(cleaned.substring(0, cut).strip() + "…", chosen.start(), rawOffset(text, chosen, cut));
    }

    /** Where a too-long cleaned snippet is cut: the last space before the limit, if not too early. */
    private static int cut(String s) {
        int space = s.lastIndexOf(' ', MAX_CHARS - 1);
        return space > MAX_CHARS / 2 ? space : MAX_CHARS - 1;
    }

    /** The offset in {@code text} of char {@code cleanedIndex} of {@code clean(slice(text, span))}. */
    private static int rawOffset(String text, Span span, int cleanedIndex) {
        int cleaned = 0;
        int i = span.start();
        while (i < span.end() && cleaned < cleanedIndex) {
            if (Character.isWhitespace(text.charAt(i))) {
                while (i < span.end() && Character.isWhitespace(text.charAt(i))) {
                    i++; // a whitespace run is one space once cleaned
                }
            } else {
                i++;
            }
            cleaned++;
        }
        while (i > span.start() && Character.isWhitespace(text.charAt(i - 1))) {
            i--;
        }
        return i;
    }

    private int pairScore(String text, Span pair, Set<String> queryTerms) {
        Set<String> t = terms(slice(text, pair));
        t.retainAll(queryTerms);
        return t.size();
    }

    private static String slice(String text, Span span) {
        return text.substring(span.start(), span.end());
    }

    /** Whitespace runs (as {@link Character#isWhitespace} defines it) collapsed to one space, trimmed. */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                space = !sb.isEmpty();
            } else {
                if (space) {
                    sb.append(' ');
                    space = false;
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
