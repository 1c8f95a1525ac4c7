package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * A piece of a document, as cut by {@link Chunker}.
 *
 * @param index   position among the document's chunks, from 0; the chunk id is {@code <documentId>#<index>}
 * @param section heading path ({@code "Cards > Lost card"}), empty before the first section heading
 * @param start   offset of the first char in the document text
 * @param end     offset after the last char
 * @param text    {@code documentText.substring(start, end)}
 */
record Chunk(int index, String section, int start, int end, String text) {

    Chunk {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(text, "text");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        if (start < 0 || end <= start || text.length() != end - start) {
            throw new IllegalArgumentException("bad chunk range [" + start + ", " + end + ") for " + text.length() + " chars");
        }
    }

    static String id(String documentId, int index) {
        return documentId + "#" + index;
    }
}
