package dev.switchboard.distill;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Test data: the first {@code perLabel} examples of the first {@code labels} BANKING77 labels (sorted). */
final class Banking77Slice {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Banking77Slice() {
    }

    static Path source() {
        Path dir = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("banking77");
        if (!Files.isRegularFile(dir.resolve("train.jsonl"))) {
            throw new IllegalStateException("BANKING77 not found at " + dir.toAbsolutePath()
                    + " (set -Dswitchboard.datasets)");
        }
        return dir;
    }

    /** Writes {@code <target>/train.jsonl} and {@code test.jsonl} (a quarter as many per label). */
    static Path write(Path target, int labels, int perLabel) {
        try {
            Files.createDirectories(target);
            Files.write(target.resolve("train.jsonl"), lines(source().resolve("train.jsonl"), labels, perLabel));
            Files.write(target.resolve("test.jsonl"), lines(source().resolve("test.jsonl"), labels, perLabel / 4));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file, int labels, int perLabel) {
        Map<String, List<String>> byLabel = new TreeMap<>();
        for (String line : readAllLines(file)) {
            String label;
            try {
                label = JSON.readTree(line).get("label").asText();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(line);
        }
        List<String> out = new ArrayList<>();
        byLabel.values().stream().limit(labels).forEach(l -> out.addAll(l.subList(0, Math.min(perLabel, l.size()))));
        return out;
    }

    private static List<String> readAllLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
