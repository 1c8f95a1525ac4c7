package dev.switchboard.retrieval;

import java.util.List;
import java.util.Objects;

/**
 * What {@link KnowledgeIndex#ingest(java.nio.file.Path)} did.
 *
 * @param documents documents indexed (added or replaced)
 * @param chunks    chunks written for them
 * @param skipped   files ignored because of their extension or because they are hidden, relative to
 *                  the ingested folder, sorted
 * @param failures  files that could not be indexed; the others were indexed regardless
 */
public record IngestReport(int documents, int chunks, List<String> skipped, List<IngestFailure> failures) {

    public IngestReport {
        Objects.requireNonNull(skipped, "skipped must not be null");
        Objects.requireNonNull(failures, "failures must not be null");
        if (documents < 0 || chunks < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got documents=" + documents + " chunks=" + chunks);
        }
        skipped = List.copyOf(skipped);
        failures = List.copyOf(failures);
    }

    /** True when no file failed. */
    public boolean ok() {
        return failures.isEmpty();
    }
}
