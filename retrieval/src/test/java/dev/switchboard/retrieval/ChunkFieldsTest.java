package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexableField;
import org.junit.jupiter.api.Test;

class ChunkFieldsTest {

    @Test
    void contentHashIgnoresCaseAndWhitespaceButNothingElse() {
        String h = ChunkFields.contentHash("Cards arrive in 5 days.");

        assertEquals(64, h.length());
        assertEquals(h, ChunkFields.contentHash("  CARDS arrive\n\tin 5   days. "));
        assertNotEquals(h, ChunkFields.contentHash("Cards arrive in 6 days."));
        assertNotEquals(h, ChunkFields.contentHash("Cards arrive in 5 days"));
        assertNotEquals(h, ChunkFields.contentHash("Cardsarrive in 5 days."));
        // sha256("cards arrive in 5 days.")
        assertEquals(sha256Hex("cards arrive in 5 days."), h);
    }

    @Test
    void whatIsStoredReadsBackAsTheDocumentAndChunk() {
        Document d = new Document("doc/1", "Title", "# Title\n\nIntro.\n\n## Part\n\nBody text here.", "src.md",
                Map.of("lang", "en", "long", "y".repeat(ChunkFields.MAX_KEYWORD_CHARS + 5)), List.of("a", "b"),
                Instant.parse("2024-05-06T07:08:09.123Z"));
        Chunk chunk = new Chunker().chunk(d.text()).get(1);
        var lucene = ChunkFields.of(d, chunk, "hash", "t/c", new float[] {1, 0});

        ChunkFields.Stored back = ChunkFields.read(storedOnly(lucene));

        assertEquals("doc/1#1", back.chunkId());
        assertEquals(chunk, back.chunk());
        assertEquals("hash", back.hash());
        assertEquals(new Document(d.id(), d.title(), chunk.text(), d.source(), d.metadata(), d.tags(), d.updatedAt()),
                back.document());
    }

    /** What a searcher's stored fields would give back for the document. */
    private static org.apache.lucene.document.Document storedOnly(org.apache.lucene.document.Document d) {
        var out = new org.apache.lucene.document.Document();
        for (IndexableField f : d.getFields()) {
            if (f.fieldType().stored()) {
                out.add(f.numericValue() != null ? new StoredField(f.name(), f.numericValue().longValue())
                        : new StoredField(f.name(), f.stringValue()));
            }
        }
        return out;
    }

    private static String sha256Hex(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
