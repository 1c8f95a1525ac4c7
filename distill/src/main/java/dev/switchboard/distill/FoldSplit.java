package dev.switchboard.distill;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which folds of a fold-annotated file are train, validation and test, written
 * {@code TRAIN/VALIDATION[/TEST]} with each part a comma list of folds or ranges, e.g.
 * {@code 0-15/16-17/18-19} or {@code 3/4}. The parts must not overlap; folds in none are ignored.
 */
public record FoldSplit(Set<Integer> train, Set<Integer> validation, Set<Integer> test) {

    public FoldSplit {
        train = Collections.unmodifiableSet(new TreeSet<>(train));
        validation = Collections.unmodifiableSet(new TreeSet<>(validation));
        test = Collections.unmodifiableSet(new TreeSet<>(test));
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("a fold split needs train and validation folds");
        }
        for (int f : train) {
            if (validation.contains(f) || test.contains(f)) {
                throw new IllegalArgumentException("fold " + f + " is in train and in another part");
            }
        }
        for (int f : validation) {
            if (test.contains(f)) {
                throw new IllegalArgumentException("fold " + f + " is in validation and in test");
            }
        }
    }

    /** @throws IllegalArgumentException naming the spec if it is not {@code TRAIN/VALIDATION[/TEST]} */
    public static FoldSplit parse(String spec) {
        String[] parts = spec.strip().split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("folds must be TRAIN/VALIDATION[/TEST], e.g. 0-15/16-17/18-19, got '"
                    + spec + "'");
        }
        try {
            return new FoldSplit(set(parts[0]), set(parts[1]), parts.length == 3 ? set(parts[2]) : Set.of());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("folds '" + spec + "': not a list of numbers or ranges");
        }
    }

    private static Set<Integer> set(String part) {
        Set<Integer> out = new TreeSet<>();
        for (String item : part.split(",")) {
            String s = item.strip();
            if (s.contains("-")) {
                int from = Integer.parseInt(s.substring(0, s.indexOf('-')).strip());
                int to = Integer.parseInt(s.substring(s.indexOf('-') + 1).strip());
                if (to < from) {
                    throw new IllegalArgumentException("fold range " + s + " is empty");
                }
                for (int f = from; f <= to; f++) {
                    out.add(f);
                }
            } else {
                out.add(Integer.parseInt(s));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return join(train) + "/" + join(validation) + (test.isEmpty() ? "" : "/" + join(test));
    }

    private static String join(Set<Integer> folds) {
        return String.join(",", folds.stream().map(String::valueOf).toList());
    }
}
