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

/**
 * Test data with out-of-scope examples: the first {@code labels} CLINC150 intents (sorted) with
 * {@code perLabel} examples each plus {@code oos} out-of-scope examples, per split (train, validation,
 * test), lines kept as published (text, label, domain).
 */
final class ClincSlice {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ClincSlice() {
    }

    static Path source() {
        return Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("clinc150");
    }

    static Path write(Path target, int labels, int perLabel, int oos) {
        try {
            Files.createDirectories(target);
            for (String split : List.of("train", "validation", "test")) {
                Files.write(target.resolve(split + ".jsonl"), lines(source().resolve(split + ".jsonl"), labels, perLabel, oos));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file, int labels, int perLabel, int oos) throws IOException {
        Map<String, List<String>> byLabel = new TreeMap<>();
        for (String line : Files.readAllLines(file)) {
            byLabel.computeIfAbsent(JSON.readTree(line).get("label").asText(), k -> new ArrayList<>()).add(line);
        }
        List<String> out = new ArrayList<>(byLabel.remove("oos").subList(0, oos));
        byLabel.values().stream().limit(labels).forEach(l -> out.addAll(l.subList(0, Math.min(perLabel, l.size()))));
        return out;
    }
}
