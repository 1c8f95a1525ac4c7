package dev.switchboard.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The BIO tags of a slot tagger: index 0 is {@code O}, then {@code B-x}, {@code I-x} for each entity
 * label {@code x} in sorted order, so tag {@code 2k+1} begins label {@code k} and tag {@code 2k+2}
 * continues it. Immutable.
 *
 * <p>Allowed transitions: {@code I-x} only after {@code B-x} or {@code I-x} (and never first);
 * everything else is allowed. {@link #transitionMask()} encodes this as 0 (allowed) or −∞.
 */
public final class BioTagSet {

    /** The outside tag. */
    public static final String OUTSIDE = "O";

    private final List<String> labels;
    private final List<String> tags;
    private final Map<String, Integer> index;

    private BioTagSet(List<String> labels) {
        this.labels = List.copyOf(labels);
        List<String> t = new ArrayList<>();
        t.add(OUTSIDE);
        for (String label : this.labels) {
            t.add("B-" + label);
            t.add("I-" + label);
        }
        this.tags = List.copyOf(t);
        this.index = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) {
            index.put(tags.get(i), i);
        }
    }

    /**
     * The tag set of these entity labels (deduplicated and sorted).
     *
     * @throws IllegalArgumentException if there is none, or one is blank, contains whitespace or is "O"
     */
    public static BioTagSet ofLabels(java.util.Collection<String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a tag set needs at least one entity label");
        }
        for (String label : labels) {
            if (label == null || label.isBlank() || !label.strip().equals(label) || label.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("entity label '" + label + "' must be non-blank without whitespace");
            }
        }
        return new BioTagSet(new ArrayList<>(new TreeSet<>(labels)));
    }

    /**
     * Reads back {@link #tags()} (as stored in a manifest).
     *
     * @throws IllegalArgumentException if the list is not exactly what {@link #ofLabels} produces
     */
    public static BioTagSet ofTags(List<String> tags) {
        Objects.requireNonNull(tags, "tags");
        if (tags.size() < 3 || (tags.size() - 1) % 2 != 0 || !tags.get(0).equals(OUTSIDE)) {
            throw new IllegalArgumentException("tags must be O followed by B-x, I-x pairs, got " + tags);
        }
        List<String> labels = new ArrayList<>();
        for (int i = 1; i < tags.size(); i += 2) {
            if (!tags.get(i).startsWith("B-")) {
                throw new IllegalArgumentException("tag " + i + " must be a B- tag, got '" + tags.get(i) + "'");
            }
            labels.add(tags.get(i).substring(2));
        }
        BioTagSet set = ofLabels(labels);
        if (!set.tags.equals(tags)) {
            throw new IllegalArgumentException("tags must be O then B-x, I-x per label in sorted order, got " + tags);
        }
        return set;
    }

    /** Entity labels, sorted. */
    public List<String> labels() {
        return labels;
    }

    /** All tags: O, B-l0, I-l0, B-l1, I-l1, ... */
    public List<String> tags() {
        return tags;
    }

    public int size() {
        return tags.size();
    }

    /** Index of {@code tag}. @throws IllegalArgumentException if it is not in the set */
    public int indexOf(String tag) {
        Integer i = index.get(tag);
        if (i == null) {
            throw new IllegalArgumentException("unknown tag '" + tag + "'");
        }
        return i;
    }

    /** Index of {@code B-label}. */
    public int begin(String label) {
        return indexOf("B-" + label);
    }

    /** Index of {@code I-label}. */
    public int inside(String label) {
        return indexOf("I-" + label);
    }

    public boolean isBegin(int tag) {
        return tag > 0 && tag % 2 == 1;
    }

    public boolean isInside(int tag) {
        return tag > 0 && tag % 2 == 0;
    }

    /** The entity label of a B- or I- tag; null for O. */
    public String labelOf(int tag) {
        return tag == 0 ? null : labels.get((tag - 1) / 2);
    }

    /** Whether {@code to} may follow {@code from}: I-x only after B-x or I-x. */
    public boolean allowed(int from, int to) {
        return !isInside(to) || (from > 0 && (from + 1) / 2 == to / 2);
    }

    /** Whether a sequence may start with {@code tag}: anything but I-x. */
    public boolean allowedFirst(int tag) {
        return !isInside(tag);
    }

    /** {@code mask[from][to]} = 0 if allowed, −∞ if not. */
    public double[][] transitionMask() {
        double[][] mask = new double[size()][size()];
        for (int f = 0; f < size(); f++) {
            for (int t = 0; t < size(); t++) {
                mask[f][t] = allowed(f, t) ? 0 : Double.NEGATIVE_INFINITY;
            }
        }
        return mask;
    }

    /** {@code mask[tag]} = 0 if a sequence may start with it, −∞ if not. */
    public double[] startMask() {
        double[] mask = new double[size()];
        for (int t = 0; t < size(); t++) {
            mask[t] = allowedFirst(t) ? 0 : Double.NEGATIVE_INFINITY;
        }
        return mask;
    }

    /** Whether the tag sequence obeys {@link #allowed} and {@link #allowedFirst}. */
    public boolean isValid(int[] sequence) {
        for (int i = 0; i < sequence.length; i++) {
            if (i == 0 ? !allowedFirst(sequence[0]) : !allowed(sequence[i - 1], sequence[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BioTagSet other && other.tags.equals(tags);
    }

    @Override
    public int hashCode() {
        return tags.hashCode();
    }

    @Override
    public String toString() {
        return "BioTagSet" + labels;
    }
}
