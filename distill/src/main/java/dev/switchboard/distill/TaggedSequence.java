package dev.switchboard.distill;

import java.util.Objects;

/**
 * One training sequence for {@link SlotTrainer}: the word pieces of a text (special tokens removed).
 *
 * @param states    {@code states[t]} = the encoder's hidden state of piece t
 * @param continues {@code continues[t]} = piece t belongs to the same word as piece t-1
 * @param tags      gold BIO tag index of each piece (see {@link dev.switchboard.models.BioTagSet})
 */
public record TaggedSequence(float[][] states, boolean[] continues, int[] tags) {

    public TaggedSequence {
        Objects.requireNonNull(states, "states");
        Objects.requireNonNull(continues, "continues");
        Objects.requireNonNull(tags, "tags");
        if (continues.length != states.length || tags.length != states.length) {
            throw new IllegalArgumentException("states, continues and tags differ in length: " + states.length + ", "
                    + continues.length + ", " + tags.length);
        }
    }

    public int length() {
        return states.length;
    }
}
