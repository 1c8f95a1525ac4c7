package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.TokenEncoding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotAlignmentTest {

    private static final BioTagSet TAGS = BioTagSet.ofLabels(List.of("date", "people", "time"));
    private static final Encoder encoder = SharedEncoder.minilm();


    /** "piece=TAG" for every word piece. */
    private static List<String> tagged(TokenEncoding encoding, TaggedSequence s) {
        List<String> out = new ArrayList<>();
        int t = 0;
        for (int i = 0; i < encoding.size(); i++) {
            if (!encoding.isSpecial(i)) {
                out.add(encoding.tokens().get(i) + "=" + TAGS.tags().get(s.tags()[t++]));
            }
        }
        return out;
    }

    @Test
    void tagsEveryPieceOfASpanAndMarksWordContinuations() {
        String text = "Salerno party of 12 at 7:30pm";
        TokenEncoding encoding = encoder.encodeTokens(text);
        var stats = new SlotAlignment.Stats();
        TaggedSequence s = SlotAlignment.align(encoding, List.of(new SlotSpan(0, 7, "people"), new SlotSpan(23, 29, "time")), TAGS, stats);
        assertEquals(List.of("sale=B-people", "##rno=I-people", "party=O", "of=O", "12=O", "at=O", "7=B-time", ":=I-time",
                "30=I-time", "##pm=I-time"), tagged(encoding, s));
        assertEquals(List.of(false, true, false, false, false, false, false, false, false, true),
                toList(s.continues()));
        assertEquals(2, stats.spans);
        assertEquals(0, stats.unaligned + stats.trimmed + stats.overlapping + stats.uncovered);
        assertEquals(encoding.size() - 2, s.states().length);
    }

    @Test
    void trimsWhitespaceKeepsTheLongestOfOverlappingSpansAndCountsOffBoundarySpans() {
        String text = "tables free in an hour or 8pm";
        TokenEncoding encoding = encoder.encodeTokens(text);
        var stats = new SlotAlignment.Stats();
        List<SlotSpan> spans = List.of(
                new SlotSpan(11, 22, "time"),   // " in an hour": leading space trimmed
                new SlotSpan(12, 22, "date"),   // "in an hour" as date: as long as the trimmed one; ties keep input order
                new SlotSpan(26, 27, "time"));  // "8" of "8pm" ("8" + "##pm"): ends on a piece boundary
        TaggedSequence s = SlotAlignment.align(encoding, spans, TAGS, stats);
        assertEquals(List.of("tables=O", "free=O", "in=B-time", "an=I-time", "hour=I-time", "or=O", "8=B-time", "##pm=O"),
                tagged(encoding, s));
        assertEquals(3, stats.spans);
        assertEquals(1, stats.trimmed);
        assertEquals(1, stats.overlapping);
        assertEquals(0, stats.unaligned, "\"8\" ends exactly where the piece \"8\" ends");

        var second = new SlotAlignment.Stats();
        SlotAlignment.align(encoding, List.of(new SlotSpan(26, 28, "time")), TAGS, second); // "8p": inside "##pm"
        assertEquals(1, second.unaligned);
    }

    private static List<Boolean> toList(boolean[] values) {
        List<Boolean> out = new ArrayList<>();
        for (boolean v : values) {
            out.add(v);
        }
        return out;
    }
}
