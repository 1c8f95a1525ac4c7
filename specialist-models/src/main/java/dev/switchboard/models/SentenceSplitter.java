package dev.switchboard.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits help-center text into sentences for extractive answers.
 *
 * <p>Rules: a list item (a line starting with "-", "*", "•", "1.", "1)" or "a)") is a sentence of
 * its own, without its marker; a line that starts lower-case continues the previous line (hard
 * wrap), any other line break ends a sentence; inside a line a sentence ends at '.', '!' or '?'
 * (plus closing quotes or brackets) followed by white space and a character that is not a
 * lower-case letter, unless the dot ends a known abbreviation ("e.g.", "Dr.", "approx."), an
 * initial ("J.") or a dotted acronym ("U.S."). Numbers such as "1.5" never split since no space
 * follows their dot. Sentences are trimmed; blank ones are dropped.
 */
final class SentenceSplitter {

    private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*•▪◦‣]|\\d{1,2}[.)]|[a-zA-Z]\\))\\s+");
    private static final Pattern BOUNDARY = Pattern.compile("[.!?]+[\"'”’)\\]]*(?=\\s+[^\\s\\p{Ll}])");
    private static final Pattern DOTTED_ACRONYM = Pattern.compile("(?:\\p{L}\\.){2,}");
    private static final Set<String> ABBREVIATIONS = Set.of(
            "e.g", "i.e", "cf", "vs", "approx", "incl", "excl", "min", "max", "no", "nos", "nr", "ca", "fig",
            "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "inc", "ltd", "co", "corp", "dept", "est",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "tel", "ext", "p", "pp");

    private SentenceSplitter() {
    }

    /** The sentences of {@code text}, in order. */
    static List<String> split(String text) {
        List<String> sentences = new ArrayList<>();
        for (String block : blocks(text)) {
            splitBlock(block, sentences);
        }
        return sentences;
    }

    /** Lines joined into blocks: list items alone, wrapped lines (next starts lower-case) merged. */
    private static List<String> blocks(String text) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\\R")) {
            Matcher marker = LIST_MARKER.matcher(line);
            boolean item = marker.find();
            String content = (item ? line.substring(marker.end()) : line).strip();
            boolean continuation = !item && !content.isEmpty() && Character.isLowerCase(content.charAt(0))
                    && !current.isEmpty();
            if (continuation) {
                current.append(' ').append(content);
                continue;
            }
            if (!current.isEmpty()) {
                blocks.add(current.toString());
                current.setLength(0);
            }
            current.append(content);
        }
        if (!current.isEmpty()) {
            blocks.add(current.toString());
        }
        return blocks;
    }

    private static void splitBlock(String block, List<String> out) {
        Matcher m = BOUNDARY.matcher(block);
        int start = 0;
        while (m.find()) {
            if (block.charAt(m.start()) == '.' && m.end() - m.start() == 1 && isAbbreviation(block, m.start())) {
                continue;
            }
            add(block.substring(start, m.end()), out);
            start = m.end();
        }
        add(block.substring(start), out);
    }

    /** Whether the word ending at the dot at {@code dot} is an abbreviation, an initial or an acronym. */
    private static boolean isAbbreviation(String block, int dot) {
        int begin = dot;
        while (begin > 0 && !Character.isWhitespace(block.charAt(begin - 1)) && block.charAt(begin - 1) != '(') {
            begin--;
        }
        String word = block.substring(begin, dot);
        if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
            return true;
        }
        return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT)) || DOTTED_ACRONYM.matcher(word + ".").matches();
    }

    private static void add(String sentence, List<String> out) {
        String s = sentence.strip();
        if (!s.isEmpty()) {
            out.add(s);
        }
    }
}
