package dev.switchboard.evaluation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The metrics of one slice of an evaluation's examples, e.g. the messages of 6–10 words or of one domain.
 * The slices of a dimension partition the examples: every example is in exactly one, so their counts sum to N.
 *
 * @param dimension what the slices are cut by, e.g. {@value #LENGTH} or {@value #DOMAIN}
 * @param name      the slice, e.g. {@code 6-10} or {@code banking}
 * @param count     examples in the slice (&gt; 0)
 * @param values    its metrics by name, in display order (e.g. accuracy, macro-F1)
 */
public record SliceMetrics(String dimension, String name, int count, Map<String, Double> values) {

    public static final String LENGTH = "length (words)";
    public static final String DOMAIN = "domain";

    /** Length buckets, in words: 1–5, 6–10, 11–20, 21+. */
    public static final List<String> LENGTH_BUCKETS = List.of("1-5", "6-10", "11-20", "21+");

    public SliceMetrics {
        if (count <= 0) {
            throw new IllegalArgumentException("slice '" + name + "' is empty");
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Words = maximal runs of non-whitespace characters. */
    public static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    /** The {@link #LENGTH_BUCKETS} entry of a text (a text without words counts as 1–5). */
    public static String lengthBucket(String text) {
        int w = words(text);
        return w <= 5 ? "1-5" : w <= 10 ? "6-10" : w <= 20 ? "11-20" : "21+";
    }

    /**
     * Groups example indexes by their key: length buckets in their natural order, other keys alphabetically.
     *
     * @param keys per example, its slice
     */
    public static Map<String, List<Integer>> partition(List<String> keys) {
        Comparator<String> order = Comparator.comparingInt((String k) -> LENGTH_BUCKETS.contains(k)
                ? LENGTH_BUCKETS.indexOf(k) : LENGTH_BUCKETS.size()).thenComparing(Comparator.naturalOrder());
        Map<String, List<Integer>> slices = new TreeMap<>(order);
        for (int i = 0; i < keys.size(); i++) {
            slices.computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(i);
        }
        return slices;
    }

    /**
     * One row per non-empty slice.
     *
     * @param dimension what {@code keys} cut by
     * @param keys      per example, its slice
     * @param metrics   the metrics of a slice, given its example indexes
     */
    public static List<SliceMetrics> of(String dimension, List<String> keys, Function<List<Integer>, Map<String, Double>> metrics) {
        List<SliceMetrics> rows = new ArrayList<>();
        partition(keys).forEach((name, indexes) -> rows.add(new SliceMetrics(dimension, name, indexes.size(),
                metrics.apply(indexes))));
        return List.copyOf(rows);
    }

    /** The elements of {@code list} at {@code indexes}. */
    static <T> List<T> pick(List<T> list, List<Integer> indexes) {
        return indexes.stream().map(list::get).toList();
    }
}
