package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static final String ARTICLE = """
            # Cards

            Intro paragraph.

            ## Lost card

            Freeze it.

            Report it.

            ### Abroad

            Call us.

            ## Delivery

            Takes 5 days.
            """;

    @Test
    void sectionsFollowTheHeadingHierarchyAndOffsetsPointIntoTheText() {
        List<Chunk> chunks = new Chunker().chunk(ARTICLE);

        assertEquals(4, chunks.size());
        assertChunk(ARTICLE, chunks.get(0), 0, "", "Intro paragraph.");
        assertChunk(ARTICLE, chunks.get(1), 1, "Lost card", "Freeze it.\n\nReport it.");
        assertChunk(ARTICLE, chunks.get(2), 2, "Lost card > Abroad", "Call us.");
        assertChunk(ARTICLE, chunks.get(3), 3, "Delivery", "Takes 5 days.");
    }

    @Test
    void windowsLineEndsKeepExactOffsets() {
        String crlf = ARTICLE.replace("\n", "\r\n");
        List<Chunk> chunks = new Chunker().chunk(crlf);

        assertEquals(4, chunks.size());
        assertChunk(crlf, chunks.get(1), 1, "Lost card", "Freeze it.\r\n\r\nReport it.");
        assertChunk(crlf, chunks.get(2), 2, "Lost card > Abroad", "Call us.");
    }

    @Test
    void titleIsTheFirstLevelOneHeadingOutsideCodeFences() {
        assertEquals(Optional.of("Cards"), Chunker.title(ARTICLE));
        assertEquals(Optional.empty(), Chunker.title("Just text.\n\n## A section\n\nMore."));
        assertEquals(Optional.of("Real"), Chunker.title("```\n# not a title\n```\n\n# Real  #\n\nText."));
    }

    @Test
    void aSecondLevelOneHeadingIsASection() {
        String text = "# Title\n\nA.\n\n# Part two\n\nB.\n\n## Sub\n\nC.";
        List<Chunk> chunks = new Chunker().chunk(text);

        assertEquals(List.of("", "Part two", "Part two > Sub"), chunks.stream().map(Chunk::section).toList());
    }

    @Test
    void fencedCodeIsNeverSplitAndItsHashLinesAreNotHeadings() {
        String text = "## Setup\n\n```\n# install\n\nrun it\n```\n\nDone.";
        List<Chunk> chunks = new Chunker().chunk(text);

        assertEquals(1, chunks.size());
        assertChunk(text, chunks.get(0), 0, "Setup", "```\n# install\n\nrun it\n```\n\nDone.");
    }

    @Test
    void paragraphsAreMergedOnlyWhileTheChunkFits() {
        String a = "A".repeat(59) + ".";
        String b = "B".repeat(59) + ".";
        String text = a + "\n\n" + b + "\n\n" + a;
        List<Chunk> chunks = new Chunker(130, 20).chunk(text);

        assertEquals(2, chunks.size());
        assertEquals(a + "\n\n" + b, chunks.get(0).text());
        assertEquals(a, chunks.get(1).text());
        assertEquals(text.length() - a.length(), chunks.get(1).start());
    }

    @Test
    void longParagraphsSplitAtSentencesWithOverlap() {
        StringBuilder sb = new StringBuilder("## Long\n\n");
        for (int i = 0; i < 30; i++) {
            sb.append("Sentence number ").append(i).append(" says something useful here. ");
        }
        String text = sb.toString().strip();
        int max = 200;
        int overlap = 60;
        List<Chunk> chunks = new Chunker(max, overlap).chunk(text);

        assertTrue(chunks.size() > 5, "chunks: " + chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertEquals(i, c.index());
            assertEquals("Long", c.section());
            assertEquals(text.substring(c.start(), c.end()), c.text());
            assertTrue(c.text().length() <= max, "too long: " + c.text().length());
            assertTrue(c.text().startsWith("Sentence number "), "starts mid-sentence: " + c.text());
            assertTrue(c.text().endsWith("."), "ends mid-sentence: " + c.text());
            if (i > 0) {
                Chunk prev = chunks.get(i - 1);
                assertTrue(c.start() > prev.start() && c.end() > prev.end(), "no progress at " + i);
                assertTrue(c.start() < prev.end(), "no overlap at " + i);
                assertTrue(prev.end() - c.start() <= overlap, "overlap too long at " + i);
            }
        }
        assertEquals(text.indexOf("Sentence number 0 "), chunks.get(0).start());
        assertEquals(text.length(), chunks.get(chunks.size() - 1).end());
    }

    @Test
    void aSentenceLongerThanTheLimitIsCutAtWhitespace() {
        String text = "word ".repeat(100).strip(); // 499 chars, no sentence end
        List<Chunk> chunks = new Chunker(100, 20).chunk(text);

        assertTrue(chunks.size() >= 5);
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            assertTrue(c.text().length() <= 100);
            assertTrue(c.text().startsWith("word") && c.text().endsWith("word"), c.text());
            assertEquals(text.substring(c.start(), c.end()), c.text());
            if (i > 0) {
                assertTrue(c.start() < chunks.get(i - 1).end() && c.end() > chunks.get(i - 1).end());
            }
        }
        assertEquals(0, chunks.get(0).start());
        assertEquals(text.length(), chunks.get(chunks.size() - 1).end());
    }

    @Test
    void textWithOnlyHeadingsIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Chunker().chunk("# Title\n\n## Section\n"));
        assertEquals("no text besides headings", e.getMessage());
    }

    @Test
    void badSettingsAreRejected() {
        assertEquals("maxChars must be >= 50, got 10",
                assertThrows(IllegalArgumentException.class, () -> new Chunker(10, 0)).getMessage());
        assertEquals("overlapChars must be in 0..maxChars/2, got 60",
                assertThrows(IllegalArgumentException.class, () -> new Chunker(100, 60)).getMessage());
    }

    private static void assertChunk(String text, Chunk chunk, int index, String section, String body) {
        assertEquals(index, chunk.index());
        assertEquals(section, chunk.section());
        assertEquals(body, chunk.text());
        assertEquals(text.indexOf(body), chunk.start());
        assertEquals(text.indexOf(body) + body.length(), chunk.end());
    }
}
