package dev.switchboard.models;

import java.util.Objects;

/**
 * A retrieved help-center passage handed to a {@link Generator}.
 *
 * @param id    the chunk id; answers cite passages by this id ({@link GeneratedAnswer#citedPassageIds()})
 * @param title the article or section title; may be empty
 * @param text  the passage text, not blank
 * @param score the retrieval score (higher is better); informative only, generators keep the
 *              order of {@link GenerationRequest#passages()} as the rank
 */
public record Passage(String id, String title, String text, double score) {

    public Passage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        if (id.isBlank()) {
            throw new IllegalArgumentException("passage id must not be blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("passage '" + id + "' has a blank text");
        }
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("passage '" + id + "' has a non-finite score " + score);
        }
    }
}
