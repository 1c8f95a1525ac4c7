package dev.switchboard.retrieval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML events Tika emits for HTML, DOCX and PDF into Markdown-like text that the
 * {@link Chunker} understands: {@code h1}..{@code h6} become {@code #}..{@code ######} headings,
 * paragraphs and other blocks are separated by a blank line, list items become {@code - item} /
 * {@code 1. item} lines (nested lists indented by two spaces), table rows become {@code a | b}
 * lines, {@code pre} becomes a fenced block, and a block that starts with a bullet glyph
 * ({@code •}, {@code ▪}, ...: Word lists in body styles come out so) becomes a list item. Inline
 * markup is reduced to its text; runs of whitespace collapse to one space (except in {@code pre}
 * and at {@code br}).
 *
 * <p>A text line that would read as a heading or a fence ({@code #…}, {@code ```}, {@code ~~~}) is
 * escaped with a backslash so that only real headings start sections. One instance per document.
 */
final class XhtmlToMarkdown extends DefaultHandler {

    private static final Set<String> BLOCKS = Set.of("p", "div", "blockquote", "address", "dl", "dt", "dd", "section",
            "article", "main", "header", "footer", "aside", "figure", "figcaption", "caption", "body", "center", "form",
            "fieldset", "hr", "table", "details", "summary");
    private static final Set<String> SKIPPED = Set.of("head", "title", "script", "style", "meta", "noscript", "template");
    /** Bullet glyphs Word list numbering renders as (Tika writes them before the item text). */
    private static final Pattern DOCX_BULLET = Pattern.compile("^[\\u00B7\\u2022\\u25AA\\u25CF\\u25E6\\u2013\\u2014\\uF0B7\\uF0A7o§-]\\s+");
    private static final Pattern DOCX_NUMBER = Pattern.compile("^(\\(?[0-9]{1,3}|\\(?[a-zA-Z]|\\(?[ivxlcIVXLC]{1,6})[.)]\\s+");
    /** Unambiguous bullet glyphs that start a paragraph (e.g. a Word list paragraph in a body style). */
    private static final Pattern GLYPH_BULLET = Pattern.compile("^[\\u2022\\u00B7\\u25AA\\u25CF\\u25E6\\uF0B7\\uF0A7]\\s+");
    private static final Pattern NEEDS_ESCAPE = Pattern.compile("^ {0,3}(#|```|~~~)");

    private final StringBuilder out = new StringBuilder();
    /** Text of the current block; whitespace already collapsed, {@code \n} only from {@code br}. */
    private final StringBuilder block = new StringBuilder();
    private final StringBuilder pre = new StringBuilder();
    private final Deque<Boolean> lists = new ArrayDeque<>(); // true = ordered
    private final Deque<int[]> counters = new ArrayDeque<>();
    private final List<String> cells = new ArrayList<>();
    private String linePrefix = ""; // "- " / "1. " while inside a list item
    private boolean lastWasLine; // the previous emitted block was a list line or table row
    private int skipDepth;
    private int preDepth;
    private int cellDepth;
    private int headingLevel;
    private boolean docxListParagraph;

    /** The Markdown text so far (complete after the end of the document). */
    String markdown() {
        flush();
        return out.toString().strip();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) {
        String name = name(localName, qName);
        if (skipDepth > 0 || SKIPPED.contains(name)) {
            skipDepth++;
            return;
        }
        if (preDepth > 0) {
            if (name.equals("pre")) {
                preDepth++;
            } else if (name.equals("br")) {
                pre.append('\n');
            }
            return;
        }
        if (cellDepth > 0) { // inside a table cell everything is inline text
            if (name.equals("td") || name.equals("th")) {
                cellDepth++;
            } else {
                space();
            }
            return;
        }
        int level = headingLevel(name);
        if (level > 0 && lists.isEmpty()) {
            flush();
            headingLevel = level;
        } else if (name.equals("p") && isDocxList(atts)) {
            flush();
            docxListParagraph = true;
            linePrefix = "  ".repeat(lists.size()) + "- ";
        } else if (name.equals("ul") || name.equals("ol")) {
            flush();
            lists.push(name.equals("ol"));
            counters.push(new int[1]);
        } else if (name.equals("li")) {
            flush();
            int depth = Math.max(0, lists.size() - 1);
            boolean ordered = !lists.isEmpty() && lists.peek();
            linePrefix = "  ".repeat(depth) + (ordered ? (++counters.peek()[0]) + ". " : "- ");
        } else if (name.equals("tr")) {
            flush();
            cells.clear();
        } else if (name.equals("td") || name.equals("th")) {
            cellDepth = 1;
        } else if (name.equals("pre")) {
            flush();
            preDepth = 1;
            pre.setLength(0);
        } else if (name.equals("br")) {
            trimTrailingSpace();
            block.append('\n');
        } else if (BLOCKS.contains(name) || level > 0) {
            flush();
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) {
        String name = name(localName, qName);
        if (skipDepth > 0) {
            skipDepth--;
            return;
        }
        if (preDepth > 0) {
            if (name.equals("pre") && --preDepth == 0) {
                String code = pre.toString().replaceAll("\\s+$", "").replaceAll("^\\n+", "");
                if (!code.isBlank()) {
                    paragraph("```\n" + code + "\n```");
                }
            }
            return;
        }
        if (cellDepth > 0) {
            if ((name.equals("td") || name.equals("th")) && --cellDepth == 0) {
                cells.add(block.toString().replace('\n', ' ').strip());
                block.setLength(0);
            } else {
                space();
            }
            return;
        }
        int level = headingLevel(name);
        if (level > 0 && headingLevel > 0) {
            String text = block.toString().replace('\n', ' ').strip();
            block.setLength(0);
            headingLevel = 0;
            if (!text.isEmpty()) {
                paragraph("#".repeat(level) + " " + text);
            }
        } else if (name.equals("p") && docxListParagraph) {
            String text = block.toString().strip();
            block.setLength(0);
            text = DOCX_BULLET.matcher(text).replaceFirst("");
            var number = DOCX_NUMBER.matcher(text);
            if (number.find()) { // keep Word's own numbering ("1.", "a)") as the marker
                linePrefix = linePrefix.substring(0, linePrefix.length() - 2) + number.group().strip() + " ";
                text = text.substring(number.end());
            }
            if (!text.isEmpty()) {
                line(linePrefix + text);
            }
            docxListParagraph = false;
            linePrefix = "";
        } else if (name.equals("ul") || name.equals("ol")) {
            flush();
            if (!lists.isEmpty()) {
                lists.pop();
                counters.pop();
            }
        } else if (name.equals("li")) {
            flush();
            linePrefix = "";
        } else if (name.equals("tr")) {
            List<String> row = cells.stream().filter(c -> !c.isEmpty()).toList();
            if (!row.isEmpty()) {
                line(String.join(" | ", row));
            }
            cells.clear();
        } else if (BLOCKS.contains(name) || level > 0) {
            flush();
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) {
        if (skipDepth > 0) {
            return;
        }
        if (preDepth > 0) {
            for (int i = start; i < start + length; i++) {
                char c = ch[i];
                if (c == '\n' || c == '\t' || c >= ' ') {
                    pre.append(c == '\u00A0' ? ' ' : c);
                }
            }
            return;
        }
        for (int i = start; i < start + length; i++) {
            char c = ch[i];
            if (isSpace(c)) {
                space();
            } else if (c >= ' ' && c != '\u00AD' && c != '\u200B' && c != '\uFEFF') { // drop controls, soft hyphens, zero-width
                block.append(c);
            }
        }
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) {
        characters(ch, start, length);
    }

    /** Emits the pending block text: a list line inside a list item, else a paragraph. */
    private void flush() {
        String text = block.toString().strip();
        block.setLength(0);
        if (text.isEmpty()) {
            return;
        }
        Matcher glyph = GLYPH_BULLET.matcher(text);
        if (linePrefix.isEmpty() && glyph.find()) { // "• item" outside a list: a list item all the same
            item("- ", text.substring(glyph.end()));
        } else if (!linePrefix.isEmpty()) {
            item(linePrefix, text);
            linePrefix = " ".repeat(linePrefix.length()); // later text of the same item continues it
        } else {
            StringBuilder para = new StringBuilder();
            for (String l : text.split("\n")) {
                if (!l.isBlank()) {
                    para.append(para.isEmpty() ? "" : "\n").append(escape(l.strip()));
                }
            }
            paragraph(para.toString());
        }
    }

    /** A list line: {@code prefix} + the first line of {@code text}, its other lines indented under it. */
    private void item(String prefix, String text) {
        String continuation = " ".repeat(prefix.length());
        String[] lines = text.split("\n");
        StringBuilder item = new StringBuilder(prefix).append(lines[0].strip());
        for (int i = 1; i < lines.length; i++) {
            item.append('\n').append(continuation).append(lines[i].strip());
        }
        line(item.toString());
    }

    /** A block separated from what precedes it by a blank line. */
    private void paragraph(String text) {
        separate("\n\n");
        out.append(text);
        lastWasLine = false;
    }

    /** A list line or table row: follows a previous line directly, anything else after a blank line. */
    private void line(String text) {
        separate(lastWasLine ? "\n" : "\n\n");
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? "" : "\n").append(escape(lines[i]));
        }
        lastWasLine = true;
    }

    private void separate(String separator) {
        if (!out.isEmpty()) {
            out.append(separator);
        }
    }

    private void space() {
        if (!block.isEmpty() && block.charAt(block.length() - 1) != ' ' && block.charAt(block.length() - 1) != '\n') {
            block.append(' ');
        }
    }

    private void trimTrailingSpace() {
        while (!block.isEmpty() && block.charAt(block.length() - 1) == ' ') {
            block.setLength(block.length() - 1);
        }
    }

    private static String escape(String line) {
        return NEEDS_ESCAPE.matcher(line).find() ? "\\" + line : line;
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\u2007' || c == '\u202F';
    }

    private static int headingLevel(String name) {
        return name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6'
                ? name.charAt(1) - '0' : 0;
    }

    /** Tika writes a Word list paragraph as {@code <p class="list_Paragraph">} (style "List Paragraph", "List Bullet", ...). */
    private static boolean isDocxList(Attributes atts) {
        String cls = atts.getValue("class");
        return cls != null && cls.toLowerCase(Locale.ROOT).startsWith("list");
    }

    private static String name(String localName, String qName) {
        String n = localName == null || localName.isEmpty() ? qName : localName;
        return n.toLowerCase(Locale.ROOT);
    }
}
