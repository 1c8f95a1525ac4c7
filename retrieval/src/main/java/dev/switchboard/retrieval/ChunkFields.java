package dev.switchboard.retrieval;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The Lucene schema: one Lucene document per chunk.
 *
 * <p>{@link #TITLE}, {@link #SECTION} and {@link #TEXT} are stored and indexed with the English
 * analyzer; BM25 scores them together as BM25F, one {@code CombinedFieldQuery} per query term over
 * the three fields (see {@link #BM25_FIELDS} and {@code IndexSearch}). {@link #VECTOR} holds the
 * L2-normalised embedding with DOT_PRODUCT similarity (equal to cosine on unit vectors). Filters read
 * keyword fields: {@link #DOCUMENT_ID}, {@link #SOURCE}, {@link #TAGS} (one value per tag),
 * {@link #COLLECTION}, {@code meta.<key>} per metadata entry, and {@link #UPDATED_AT} as a
 * {@code LongPoint} of epoch milliseconds. Keyword values longer than {@value #MAX_KEYWORD_CHARS}
 * chars are stored but not indexed (Lucene's term limit), so an exact filter never matches them.
 *
 * <p>Every chunk has a {@link #KIND}: {@code chunk} (searchable, with a vector), or {@code duplicate}
 * — a chunk whose normalised text ({@link #contentHash}) a searchable chunk of another document
 * already holds. Duplicates carry every field but the vector, are excluded from BM25 by the search and
 * never reached by the vector search, and are promoted to {@code chunk} when the chunk they duplicate
 * goes away, so no accepted content is lost.
 */
final class ChunkFields {

    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = Document.DOCUMENT_ID;
    /** "1" on chunk 0 only (searchable or duplicate), so that counting documents is counting these. */
    static final String FIRST = "first_chunk";
    static final String KIND = "kind";
    static final String KIND_CHUNK = "chunk";
    static final String KIND_DUPLICATE = "duplicate";
    /** sha256 of the chunk's normalised text, see {@link #contentHash}. */
    static final String HASH = "content_hash";
    static final String COLLECTION = Document.COLLECTION;
    static final String TITLE = "title";
    static final String SECTION = "section";
    static final String TEXT = "text";
    static final String SOURCE = Document.SOURCE;
    static final String TAGS = Document.TAGS;
    static final String UPDATED_AT = Document.UPDATED_AT;
    static final String START = "start";
    static final String END = "end";
    /** Indexed (not stored) keyword of a metadata entry: {@code meta.<key>}. */
    static final String META_PREFIX = "meta.";
    /** Stored copy of every keyword value, indexed or not: {@code stored.<field>}. */
    private static final String STORED_PREFIX = "stored.";
    static final String VECTOR = "vector";
    /** Longer keyword values are stored only: a Lucene term holds at most 32766 UTF-8 bytes. */
    static final int MAX_KEYWORD_CHARS = 1000;
    /**
     * The fields BM25F combines, equally weighted: a term's frequencies are added over them and
     * normalised by their summed lengths, as if they were one field with separate statistics. Summing
     * per-field BM25 scores instead let a one-word title outscore the passage that answers (emanual_qa
     * nDCG@10 0.611 → 0.673); title weights 2 and 3 inside BM25F moved the hybrid dev nDCG@10 by under
     * 0.01 (docs/benchmarks.md, "Retrieval quality").
     */
    static final List<String> BM25_FIELDS = List.of(TITLE, SECTION, TEXT);

    private ChunkFields() {
    }

    /**
     * The Lucene document of one chunk of {@code document}; a {@code duplicate} when {@code vector} is
     * null.
     */
    static org.apache.lucene.document.Document of(Document document, Chunk chunk, String hash, String collection,
                                                  float[] vector) {
        var d = new org.apache.lucene.document.Document();
        d.add(new StringField(CHUNK_ID, Chunk.id(document.id(), chunk.index()), Field.Store.YES));
        d.add(new StringField(DOCUMENT_ID, document.id(), Field.Store.YES));
        if (chunk.index() == 0) {
            d.add(new StringField(FIRST, "1", Field.Store.NO));
        }
        d.add(new StringField(KIND, vector == null ? KIND_DUPLICATE : KIND_CHUNK, Field.Store.NO));
        d.add(new StringField(HASH, hash, Field.Store.YES));
        keyword(d, COLLECTION, collection);
        d.add(new TextField(TITLE, document.title(), Field.Store.YES));
        d.add(new TextField(SECTION, chunk.section(), Field.Store.YES));
        d.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        keyword(d, SOURCE, document.source());
        for (String tag : document.tags()) {
            keyword(d, TAGS, tag);
        }
        long millis = document.updatedAt().toEpochMilli();
        d.add(new LongPoint(UPDATED_AT, millis));
        d.add(new StoredField(UPDATED_AT, millis));
        d.add(new StoredField(START, chunk.start()));
        d.add(new StoredField(END, chunk.end()));
        for (Map.Entry<String, String> e : document.metadata().entrySet()) {
            keyword(d, META_PREFIX + e.getKey(), e.getValue());
        }
        if (vector != null) {
            d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        }
        return d;
    }

    /** Indexed under {@code field} when short enough, always stored under {@code stored.<field>}. */
    private static void keyword(org.apache.lucene.document.Document d, String field, String value) {
        if (value.length() <= MAX_KEYWORD_CHARS) {
            d.add(new StringField(field, value, Field.Store.NO));
        }
        d.add(new StoredField(STORED_PREFIX + field, value));
    }

    /** A stored chunk read back: its document's fields (text = the chunk text) and the chunk. */
    record Stored(Document document, Chunk chunk, String hash) {

        String chunkId() {
            return Chunk.id(document.id(), chunk.index());
        }
    }

    /** Rebuilds what {@link #of} stored. */
    static Stored read(org.apache.lucene.document.Document d) {
        String chunkId = d.get(CHUNK_ID);
        String documentId = d.get(DOCUMENT_ID);
        int index = Integer.parseInt(chunkId.substring(documentId.length() + 1));
        Map<String, String> metadata = new HashMap<>();
        String storedMeta = STORED_PREFIX + META_PREFIX;
        for (IndexableField f : d.getFields()) {
            if (f.name().startsWith(storedMeta)) {
                metadata.put(f.name().substring(storedMeta.length()), f.stringValue());
            }
        }
        List<String> tags = new ArrayList<>(List.of(d.getValues(STORED_PREFIX + TAGS)));
        String text = d.get(TEXT);
        Instant updatedAt = Instant.ofEpochMilli(d.getField(UPDATED_AT).numericValue().longValue());
        Document document = new Document(documentId, d.get(TITLE), text, d.get(STORED_PREFIX + SOURCE), metadata, tags,
                updatedAt);
        int start = d.getField(START).numericValue().intValue();
        int end = d.getField(END).numericValue().intValue();
        return new Stored(document, new Chunk(index, d.get(SECTION), start, end, text), d.get(HASH));
    }

    /**
     * What the encoder embeds for a chunk: "title. section. text", skipping empty parts and not
     * doubling a part's own final punctuation ("Why?" + text gives "Why? text").
     */
    static String embeddingText(String title, String section, String text) {
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] {title.strip(), section.strip()}) {
            if (!part.isEmpty()) {
                sb.append(part);
                sb.append(".!?:".indexOf(part.charAt(part.length() - 1)) >= 0 ? " " : ". ");
            }
        }
        return sb.append(text).toString();
    }

    /**
     * The identity of a chunk's content: hex sha256 of its text lower-cased (root locale) with every
     * whitespace run collapsed to one space and the ends trimmed. Two chunks with the same hash count
     * as the same content, whatever their title or section.
     */
    static String contentHash(String text) {
        StringBuilder normalised = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = !normalised.isEmpty();
            } else {
                if (space) {
                    normalised.append(' ');
                    space = false;
                }
                normalised.append(c);
            }
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest(normalised.toString().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every JVM has it
        }
    }
}
