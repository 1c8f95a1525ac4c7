package dev.switchboard.models;

import java.time.LocalDate;
import java.util.List;

/**
 * One pattern recognizer of {@link PatternExtractor}: proposes candidate entities of a single type.
 * Candidates may overlap each other; {@link PatternExtractor} resolves overlaps.
 */
interface Recognizer {

    /** The {@link Entity#type()} of every candidate. */
    String type();

    /**
     * Adds the candidates found in {@code text} to {@code out}.
     *
     * @param today the reference date for relative expressions ("yesterday")
     */
    void find(String text, LocalDate today, List<Entity> out);

    /** A pattern entity over {@code text[start, end)}. */
    static Entity entity(String type, String text, int start, int end, String value, double confidence) {
        return new Entity(type, text.substring(start, end), start, end, value, Entity.PATTERN_SOURCE, confidence);
    }
}
