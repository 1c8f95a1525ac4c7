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
 * than the limit is cut at a word boundary and ends with "…".
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

    String snippet(String text, Set<String> queryTerms) {
        List<Span> sentences = Sentences.split(text, 0, text.length());
        if (sentences.isEmpty()) {
            return "";
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
        return truncate(clean(slice(text, chosen)));
    }

    private int pairScore(String text, Span pair, Set<String> queryTerms) {
        Set<String> t = terms(slice(text, pair));
        t.retainAll(queryTerms);
        return t.size();
    }

    private static String slice(String text, Span span) {
        return text.substring(span.start(), span.end());
    }

    private static String clean(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static String truncate(String s) {
        if (s.length() <= MAX_CHARS) {
            return s;
        }
        int cut = s.lastIndexOf(' ', MAX_CHARS - 1);
        return s.substring(0, cut > MAX_CHARS / 2 ? cut : MAX_CHARS - 1).strip() + "…";
    }
}
