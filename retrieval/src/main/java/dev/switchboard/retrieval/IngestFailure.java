package dev.switchboard.retrieval;

import java.util.Objects;

/**
 * A file that could not be ingested.
 *
 * @param source the file, relative to the ingested folder
 * @param reason why, in one sentence (e.g. {@code empty file})
 */
public record IngestFailure(String source, String reason) {

    public IngestFailure {
        Objects.requireNonNull(source, "source must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
    }
}
