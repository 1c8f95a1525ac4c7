package dev.switchboard.distill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic booking messages with one trivially learnable slot, "people": the number in
 * "for N people" and its variants. Some messages have no slot. Seeded.
 */
final class SlotSlice {

    static final List<String> TEMPLATES = List.of("a table for {n} people please", "book for {n} people tonight",
            "we will be {n} people", "can i get a table for {n}", "{n} people at noon", "hello there",
            "what time do you open", "is the restaurant open today");
    static final List<String> TRAIN_NUMBERS = List.of("2", "3", "four", "five", "10", "twelve", "8", "nine");
    /** Numbers and a template never seen in training. */
    static final List<String> TEST_NUMBERS = List.of("6", "seven", "11");
    static final String TEST_TEMPLATE = "reserve for {n} people";

    private SlotSlice() {
    }

    static SlotExample example(String template, String number) {
        int at = template.indexOf("{n}");
        String text = template.replace("{n}", number);
        return new SlotExample(text, at < 0 ? List.of() : List.of(new SlotSpan(at, at + number.length(), "people")), List.of());
    }

    /** {@code count} random train-template examples. */
    static List<SlotExample> train(long seed, int count) {
        Random random = new Random(seed);
        List<SlotExample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(example(TEMPLATES.get(random.nextInt(TEMPLATES.size())),
                    TRAIN_NUMBERS.get(random.nextInt(TRAIN_NUMBERS.size()))));
        }
        return out;
    }

    /** Unseen numbers in every slot template plus the unseen template. */
    static List<SlotExample> test() {
        List<SlotExample> out = new ArrayList<>();
        for (String n : TEST_NUMBERS) {
            for (String t : TEMPLATES) {
                out.add(example(t, n));
            }
            out.add(example(TEST_TEMPLATE, n));
        }
        return out;
    }

    /** One {@code {"text","entities"}} JSONL line. */
    static String jsonLine(SlotExample e) {
        StringBuilder s = new StringBuilder("{\"text\": \"" + e.text() + "\", \"entities\": [");
        for (int i = 0; i < e.spans().size(); i++) {
            SlotSpan span = e.spans().get(i);
            s.append(i > 0 ? ", " : "").append("{\"start\": ").append(span.start()).append(", \"end\": ").append(span.end())
                    .append(", \"label\": \"").append(span.label()).append("\"}");
        }
        return s.append("]}").toString();
    }

    /** One {@code {"tokens","tags"}} JSONL line (the texts are single-spaced). */
    static String bioLine(SlotExample e) {
        String[] tokens = e.text().split(" ");
        List<String> tags = new ArrayList<>();
        int offset = 0;
        for (String token : tokens) {
            int start = offset;
            String tag = "O";
            for (SlotSpan s : e.spans()) {
                if (start == s.start()) {
                    tag = "B-" + s.label();
                } else if (start > s.start() && start < s.end()) {
                    tag = "I-" + s.label();
                }
            }
            tags.add("\"" + tag + "\"");
            offset += token.length() + 1;
        }
        return "{\"tokens\": [\"" + String.join("\", \"", tokens) + "\"], \"tags\": [" + String.join(", ", tags) + "]}";
    }

    /** Writes train.jsonl (BIO shape), valid.jsonl and test.jsonl (span shape) into {@code dir}. */
    static Path write(Path dir, long seed) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("train.jsonl"), train(seed, 160).stream().map(SlotSlice::bioLine).toList());
            Files.write(dir.resolve("valid.jsonl"), train(seed + 1, 40).stream().map(SlotSlice::jsonLine).toList());
            Files.write(dir.resolve("test.jsonl"), test().stream().map(SlotSlice::jsonLine).toList());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
