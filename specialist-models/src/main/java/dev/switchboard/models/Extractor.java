package dev.switchboard.models;

import java.util.List;

/** Finds entities (amounts, dates, e-mails, card tails, order ids, ...) in one message. */
public interface Extractor {

    /**
     * Extracts the entities of {@code text}.
     *
     * @return entities sorted by {@link Entity#start()}, pairwise non-overlapping (where candidates
     *         overlap the longest wins, then the most specific type); empty when there are none
     * @throws IllegalArgumentException if {@code text} is null
     */
    List<Entity> extract(String text);
}
