package dev.switchboard.retrieval;

import java.util.List;
import java.util.Objects;

/**
 * What {@link KnowledgeIndex#ingest(java.nio.file.Path)} or {@link KnowledgeIndex#upsertAll(List)} did.
 *
 * @param documents       documents indexed (added or replaced)
 * @param chunks          searchable chunks written for them
 * @param duplicateChunks chunks not made searchable because another document of the collection (or
 *                        an earlier chunk of the same batch) already holds the same normalised text
 * @param skipped         files ignored because of their extension or because they are hidden,
 *                        relative to the ingested folder, sorted (empty for upserts)
 * @param failures        files that could not be indexed; the others were indexed regardless
 */
public record IngestReport(int documents, int chunks, int duplicateChunks, List<String> skipped,
                           List<IngestFailure> failures) {

    public IngestReport {
        Objects.requireNonNull(skipped, "skipped must not be null");
        Objects.requireNonNull(failures, "failures must not be null");
        if (documents < 0 || chunks < 0 || duplicateChunks < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got documents=" + documents + " chunks=" + chunks
                    + " duplicateChunks=" + duplicateChunks);
        }
        skipped = List.copyOf(skipped);
        failures = List.copyOf(failures);
    }

    /** A report without duplicates. */
    public IngestReport(int documents, int chunks, List<String> skipped, List<IngestFailure> failures) {
        this(documents, chunks, 0, skipped, failures);
    }

    /** True when no file failed. */
    public boolean ok() {
        return failures.isEmpty();
    }
}
