package dev.switchboard.evaluation;

import java.util.Locale;

/**
 * Writes well-formed XHTML (and the SVG inside it) into a string: every element is closed, text and
 * attribute values are escaped, so the output parses with any XML parser.
 */
final class Xhtml {

    private final StringBuilder s = new StringBuilder();

    /** {@code <tag a="v" ...>}; {@code attributes} alternate names and values. */
    Xhtml open(String tag, String... attributes) {
        return start(tag, attributes, ">");
    }

    Xhtml close(String tag) {
        s.append("</").append(tag).append(">\n");
        return this;
    }

    /** {@code <tag ...>text</tag>}. */
    Xhtml element(String tag, String text, String... attributes) {
        open(tag, attributes).text(text);
        s.append("</").append(tag).append('>');
        return this;
    }

    /** {@code <tag .../>}. */
    Xhtml empty(String tag, String... attributes) {
        return start(tag, attributes, "/>");
    }

    Xhtml text(String text) {
        s.append(escape(text));
        return this;
    }

    /** Appends markup this class (or {@link Svg}) produced, unescaped. */
    Xhtml raw(String markup) {
        s.append(markup);
        return this;
    }

    /** A table row of cells ({@code td}, or {@code th} when {@code header}). */
    Xhtml row(boolean header, Object... cells) {
        open("tr");
        for (Object c : cells) {
            String text = c instanceof Double d ? num(d) : String.valueOf(c);
            if (header) {
                element("th", text);
            } else if (c instanceof Number) {
                element("td", text, "class", "n");
            } else {
                element("td", text);
            }
        }
        return close("tr");
    }

    @Override
    public String toString() {
        return s.toString();
    }

    /** Four decimals, dot separator. */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Escapes the five XML special characters. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Characters XML 1.0 forbids (control characters other than tab, LF, CR) are dropped.
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private Xhtml start(String tag, String[] attributes, String end) {
        s.append('<').append(tag);
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes must come in name/value pairs");
        }
        for (int i = 0; i < attributes.length; i += 2) {
            s.append(' ').append(attributes[i]).append("=\"").append(escape(attributes[i + 1])).append('"');
        }
        s.append(end);
        return this;
    }
}
