package dev.switchboard.retrieval;

import java.time.Instant;
import java.util.Objects;

/**
 * A collection of a {@link KnowledgeBase}, as listed.
 *
 * @param id        tenant and name
 * @param encoder   id of the encoder its chunks were embedded with
 * @param documents documents in it
 * @param chunks    searchable chunks in it (duplicates not counted)
 * @param created   when it was created
 */
public record CollectionInfo(CollectionId id, String encoder, int documents, int chunks, Instant created) {

    public CollectionInfo {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(encoder, "encoder must not be null");
        Objects.requireNonNull(created, "created must not be null");
        if (documents < 0 || chunks < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got documents=" + documents + " chunks=" + chunks);
        }
    }
}
