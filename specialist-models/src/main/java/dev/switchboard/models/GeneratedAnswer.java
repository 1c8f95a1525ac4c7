package dev.switchboard.models;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A generator's answer.
 *
 * @param text            the answer shown to the customer. A marker {@code [k]} in it refers to
 *                        {@code citedPassageIds.get(k - 1)}
 * @param citedPassageIds the {@link Passage#id()}s the answer is grounded on, in marker order,
 *                        distinct. Empty means nothing relevant was found: the caller should escalate
 * @param extractive      true when the text is quoted from the passages with no language model
 * @param generatorId     the {@link Generator#id()} that produced it
 */
public record GeneratedAnswer(String text, List<String> citedPassageIds, boolean extractive, String generatorId) {

    public GeneratedAnswer {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(citedPassageIds, "citedPassageIds");
        Objects.requireNonNull(generatorId, "generatorId");
        if (text.isBlank()) {
            throw new IllegalArgumentException("answer text must not be blank");
        }
        if (generatorId.isBlank()) {
            throw new IllegalArgumentException("generator id must not be blank");
        }
        Set<String> seen = new HashSet<>();
        for (String id : citedPassageIds) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("cited passage ids must not be null or blank: " + citedPassageIds);
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException("passage '" + id + "' is cited twice: " + citedPassageIds);
            }
        }
        citedPassageIds = List.copyOf(citedPassageIds);
    }

    /** Whether the answer cites at least one passage (false: nothing relevant was found). */
    public boolean grounded() {
        return !citedPassageIds.isEmpty();
    }
}
