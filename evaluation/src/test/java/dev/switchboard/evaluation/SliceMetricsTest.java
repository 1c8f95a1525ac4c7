package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SliceMetricsTest {

    @Test
    void lengthBucketsCountWords() {
        assertEquals(1, SliceMetrics.words("  hello  "));
        assertEquals(5, SliceMetrics.words("a b\tc\nd e"));
        assertEquals("1-5", SliceMetrics.lengthBucket("a b c d e"));
        assertEquals("6-10", SliceMetrics.lengthBucket("a b c d e f"));
        assertEquals("11-20", SliceMetrics.lengthBucket("w ".repeat(20)));
        assertEquals("21+", SliceMetrics.lengthBucket("w ".repeat(21)));
    }

    @Test
    void slicesPartitionTheExamples() {
        Random random = new Random(7);
        List<String> texts = IntStream.range(0, 500).mapToObj(i -> "w ".repeat(1 + random.nextInt(30))).toList();
        List<String> domains = IntStream.range(0, 500).mapToObj(i -> List.of("banking", "travel", "oos").get(random.nextInt(3)))
                .toList();
        for (List<String> keys : List.of(texts.stream().map(SliceMetrics::lengthBucket).toList(), domains)) {
            List<SliceMetrics> slices = SliceMetrics.of("d", keys, idx -> Map.of("n", (double) idx.size()));
            assertEquals(500, slices.stream().mapToInt(SliceMetrics::count).sum());
            assertEquals(keys.stream().distinct().count(), slices.size());
            slices.forEach(s -> assertEquals(s.count(), s.values().get("n"), 0));
            List<Integer> all = SliceMetrics.partition(keys).values().stream().flatMap(List::stream).sorted().toList();
            assertEquals(IntStream.range(0, 500).boxed().toList(), all, "every example in exactly one slice");
        }
        assertEquals(List.of("1-5", "6-10", "11-20", "21+"), List.copyOf(SliceMetrics.partition(
                List.of("21+", "6-10", "1-5", "11-20", "1-5")).keySet()), "length buckets in their natural order");
        assertEquals(List.of("banking", "oos", "travel"), List.copyOf(SliceMetrics.partition(domains).keySet()));
    }
}
