package dev.switchboard.retrieval;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cuts Markdown (or plain text) into chunks of bounded size that keep their place in the document.
 *
 * <ul>
 *   <li>ATX headings ({@code #} to {@code ######}) start sections. The first level-1 heading is the
 *       document's title: it is in no section path. Other headings form the path, e.g.
 *       {@code "Cards > Lost card"} for a {@code ###} under a {@code ##}. Heading lines are not in
 *       chunk text; no chunk spans two sections. Lines inside {@code ```} / {@code ~~~} fences are
 *       never headings, and blank lines inside fences do not split.</li>
 *   <li>Blank lines separate paragraphs. Consecutive paragraphs of one section are merged while the
 *       chunk stays within {@code maxChars} (default {@value #DEFAULT_MAX_CHARS}).</li>
 *   <li>A longer paragraph is split at sentence ends ({@link dev.switchboard.models.SentenceSplitter}) into pieces of at most
 *       {@code maxChars}; each piece repeats the trailing sentences of the previous one that fit in
 *       {@code overlapChars} (default {@value #DEFAULT_OVERLAP_CHARS}). A single sentence longer than
 *       {@code maxChars} is cut at whitespace with the same overlap.</li>
 *   <li>Chunk text is always {@code text.substring(start, end)}, trimmed of surrounding whitespace.</li>
 * </ul>
 */
final class Chunker {

    static final int DEFAULT_MAX_CHARS = 800;
    static final int DEFAULT_OVERLAP_CHARS = 120;

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    private final int maxChars;
    private final int overlapChars;

    Chunker() {
        this(DEFAULT_MAX_CHARS, DEFAULT_OVERLAP_CHARS);
    }

    Chunker(int maxChars, int overlapChars) {
        if (maxChars < 50) {
            throw new IllegalArgumentException("maxChars must be >= 50, got " + maxChars);
        }
        if (overlapChars < 0 || overlapChars > maxChars / 2) {
            throw new IllegalArgumentException("overlapChars must be in 0..maxChars/2, got " + overlapChars);
        }
        this.maxChars = maxChars;
        this.overlapChars = overlapChars;
    }

    /** The text of the first level-1 heading, if any (the document title). */
    static Optional<String> title(String text) {
        boolean inFence = false;
        for (String line : text.split("\r?\n", -1)) {
            if (FENCE.matcher(line).find()) {
                inFence = !inFence;
            } else if (!inFence) {
                Matcher m = HEADING.matcher(line);
                if (m.matches() && m.group(1).length() == 1 && m.group(2) != null && !m.group(2).isBlank()) {
                    return Optional.of(m.group(2).strip());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The chunks of {@code text}, in document order, indexed from 0.
     *
     * @throws IllegalArgumentException if the text has no content besides headings
     */
    List<Chunk> chunk(String text) {
        List<Block> blocks = blocks(text);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no text besides headings");
        }
        List<Chunk> out = new ArrayList<>();
        String section = null;
        int start = -1;
        int end = -1;
        for (Block block : blocks) {
            boolean fits = start >= 0 && block.section.equals(section) && block.span.end() - start <= maxChars;
            if (start >= 0 && !fits) {
                add(out, text, section, new Span(start, end));
                start = -1;
            }
            if (block.span.length() > maxChars) {
                for (Span piece : splitLong(text, block.span)) {
                    add(out, text, block.section, piece);
                }
                continue;
            }
            if (start < 0) {
                start = block.span.start();
                section = block.section;
            }
            end = block.span.end();
        }
        if (start >= 0) {
            add(out, text, section, new Span(start, end));
        }
        return out;
    }

    private record Block(String section, Span span) {
    }

    private static List<Block> blocks(String text) {
        List<Block> blocks = new ArrayList<>();
        Deque<String[]> path = new ArrayDeque<>(); // {level, heading text}, deepest last
        boolean titleSeen = false;
        boolean inFence = false;
        int blockStart = -1;
        int blockEnd = -1;
        int pos = 0;
        while (pos <= text.length()) {
            int nl = text.indexOf('\n', pos);
            int lineEnd = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, lineEnd > pos && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd);
            Matcher heading = HEADING.matcher(line);
            boolean fence = FENCE.matcher(line).find();
            if (!inFence && !fence && heading.matches()) {
                blockStart = flush(blocks, text, path, blockStart, blockEnd);
                int level = heading.group(1).length();
                String name = heading.group(2) == null ? "" : heading.group(2).strip();
                if (level == 1 && !titleSeen) {
                    titleSeen = true;
                } else {
                    while (!path.isEmpty() && Integer.parseInt(path.peekLast()[0]) >= level) {
                        path.removeLast();
                    }
                    path.addLast(new String[] {Integer.toString(level), name});
                }
            } else if (!inFence && !fence && line.isBlank()) {
                blockStart = flush(blocks, text, path, blockStart, blockEnd);
            } else {
                if (fence) {
                    inFence = !inFence;
                }
                if (blockStart < 0) {
                    blockStart = pos;
                }
                blockEnd = lineEnd;
            }
            if (nl < 0) {
                break;
            }
            pos = nl + 1;
        }
        flush(blocks, text, path, blockStart, blockEnd);
        return blocks;
    }

    /** Adds the open block (if any, trimmed) under the current section path; returns -1 (no open block). */
    private static int flush(List<Block> blocks, String text, Deque<String[]> path, int start, int end) {
        if (start >= 0) {
            Span span = trim(text, start, end);
            if (span.length() > 0) {
                String section = path.stream().map(p -> p[1]).filter(s -> !s.isEmpty())
                        .collect(Collectors.joining(" > "));
                blocks.add(new Block(section, span));
            }
        }
        return -1;
    }

    private List<Span> splitLong(String text, Span paragraph) {
        List<Span> sentences = Span.sentences(text, paragraph.start(), paragraph.end());
        List<Span> pieces = new ArrayList<>();
        int i = 0;
        while (i < sentences.size()) {
            Span first = sentences.get(i);
            if (first.length() > maxChars) {
                pieces.addAll(hardSplit(text, first));
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < sentences.size() && sentences.get(j + 1).end() - first.start() <= maxChars) {
                j++;
            }
            pieces.add(new Span(first.start(), sentences.get(j).end()));
            if (j + 1 >= sentences.size()) {
                break;
            }
            // Step back over trailing sentences that fit in the overlap, as long as the next piece can
            // still take the following sentence (so every piece adds new text).
            int end = sentences.get(j).end();
            int nextEnd = sentences.get(j + 1).end();
            int k = j + 1;
            while (k - 1 > i && end - sentences.get(k - 1).start() <= overlapChars
                    && nextEnd - sentences.get(k - 1).start() <= maxChars) {
                k--;
            }
            i = k;
        }
        return pieces;
    }

    /** Windows of at most maxChars over one over-long sentence, cut at whitespace, overlapping. */
    private List<Span> hardSplit(String text, Span sentence) {
        List<Span> out = new ArrayList<>();
        int start = sentence.start();
        while (sentence.end() - start > maxChars) {
            int end = start + maxChars;
            for (int b = end; b > start + maxChars / 2; b--) {
                if (Character.isWhitespace(text.charAt(b))) {
                    end = b;
                    break;
                }
            }
            out.add(trim(text, start, end));
            int next = Math.max(end - overlapChars, start + 1);
            while (next < end && !Character.isWhitespace(text.charAt(next - 1))) {
                next++;
            }
            start = trim(text, next, sentence.end()).start();
        }
        out.add(trim(text, start, sentence.end()));
        return out;
    }

    private static Span trim(String text, int start, int end) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return new Span(start, end);
    }

    private static void add(List<Chunk> out, String text, String section, Span span) {
        out.add(new Chunk(out.size(), section, span.start(), span.end(), text.substring(span.start(), span.end())));
    }
}
