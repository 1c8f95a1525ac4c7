package dev.switchboard.distill;

import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.TokenEncoding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns character spans into BIO tags over an encoder's word pieces. Every piece is tagged: the
 * first piece that overlaps a span gets {@code B-x}, the following overlapping pieces {@code I-x},
 * all others {@code O}. Before that, each span is trimmed of surrounding whitespace, and where gold
 * spans overlap each other (BIO cannot express that) the longest is kept, then the earliest.
 * Counts of everything changed are kept in {@link Stats} so the trainer can report them.
 */
final class SlotAlignment {

    /** What alignment did to the gold spans of a data split. */
    static final class Stats {
        int spans;
        int trimmed;
        int overlapping;
        int unaligned;
        int uncovered;

        /** One line for stderr. */
        String line(String split) {
            return String.format(Locale.ROOT, "%s: %d spans; %d trimmed of whitespace, %d dropped as overlapping another, "
                    + "%d covering no word piece, %d not on word-piece boundaries (tagged by the pieces they touch)",
                    split, spans, trimmed, overlapping, uncovered, unaligned);
        }
    }

    private SlotAlignment() {
    }

    static TaggedSequence align(TokenEncoding encoding, List<SlotSpan> spans, BioTagSet tagSet, Stats stats) {
        int[] pieces = encoding.contentPieces();
        int n = pieces.length;
        float[][] states = encoding.states(pieces);
        boolean[] continues = encoding.continuesWord(pieces);
        int[] tags = new int[n];
        for (SlotSpan span : resolve(encoding.text(), spans, stats)) {
            int first = -1;
            int last = -1;
            for (int t = 0; t < n; t++) {
                int i = pieces[t];
                if (encoding.starts()[i] < span.end() && encoding.ends()[i] > span.start()) {
                    if (first < 0) {
                        first = t;
                    }
                    last = t;
                }
            }
            if (first < 0) {
                stats.uncovered++;
                continue;
            }
            if (encoding.starts()[pieces[first]] != span.start() || encoding.ends()[pieces[last]] != span.end()) {
                stats.unaligned++;
            }
            boolean free = true;
            for (int t = first; t <= last; t++) {
                free &= tags[t] == 0;
            }
            if (!free) {
                // Two spans touch the same piece (e.g. "8pm-9pm" split inside a piece): keep the first.
                stats.overlapping++;
                continue;
            }
            tags[first] = tagSet.begin(span.label());
            for (int t = first + 1; t <= last; t++) {
                tags[t] = tagSet.inside(span.label());
            }
        }
        return new TaggedSequence(states, continues, tags);
    }

    /** Trims whitespace, then keeps a non-overlapping subset: longest first, then earliest. */
    static List<SlotSpan> resolve(String text, List<SlotSpan> spans, Stats stats) {
        List<SlotSpan> trimmed = new ArrayList<>();
        for (SlotSpan s : spans) {
            stats.spans++;
            int start = s.start();
            int end = s.end();
            while (start < end && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
                end--;
            }
            if (start == end) {
                stats.uncovered++;
                continue;
            }
            if (start != s.start() || end != s.end()) {
                stats.trimmed++;
            }
            trimmed.add(new SlotSpan(start, end, s.label()));
        }
        trimmed.sort(Comparator.comparingInt(SlotSpan::length).reversed().thenComparingInt(SlotSpan::start));
        List<SlotSpan> kept = new ArrayList<>();
        for (SlotSpan s : trimmed) {
            if (kept.stream().anyMatch(s::overlaps)) {
                stats.overlapping++;
            } else {
                kept.add(s);
            }
        }
        kept.sort(Comparator.comparingInt(SlotSpan::start));
        return kept;
    }
}
