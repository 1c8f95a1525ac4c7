package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the {@code "text"} field of a JSONL file: the inputs of the benchmark programs. */
final class BenchmarkTexts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchmarkTexts() {
    }

    /** The first {@code limit} texts of {@code file}, repeated cyclically if the file has fewer. */
    static List<String> read(Path file, int limit) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("benchmark input " + file + " does not exist (a JSONL file with a \"text\" field per line)");
        }
        List<String> texts = new ArrayList<>();
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                JsonNode text = node.get("text");
                if (text == null || !text.isTextual()) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": no \"text\" string field");
                }
                texts.add(text.asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException(file + " has no texts");
        }
        List<String> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) {
            out.add(texts.get(i % texts.size()));
        }
        return out;
    }
}
