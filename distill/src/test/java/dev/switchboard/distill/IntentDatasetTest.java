package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentDatasetTest {

    @TempDir
    Path dir;

    @Test
    void reportsTheFileLineAndProblemOfABrokenLine() throws Exception {
        Path file = dir.resolve("train.jsonl");
        String good = "{\"text\": \"hi\", \"label\": \"greet\"}";
        Map<String, String> cases = Map.of(
                "{\"text\": \"hi\", \"label\": ", "bad JSON (",
                "{\"label\": \"greet\"}", "field \"text\": missing",
                "{\"text\": \"hi\", \"label\": \"  \"}", "field \"label\": empty",
                "{\"text\": 3, \"label\": \"greet\"}", "field \"text\": must be a string, got 3",
                "[1, 2]", "bad JSON (expected an object)");
        for (var c : cases.entrySet()) {
            // Line 4: a blank line in between still counts.
            Files.write(file, List.of(good, good, "", c.getKey(), good));
            var e = assertThrows(IllegalArgumentException.class, () -> IntentDataset.readJsonl(file));
            assertTrue(e.getMessage().startsWith(file + " line 4: " + c.getValue()), e.getMessage());
        }
        Files.write(file, List.of(good, "", good));
        assertEquals(List.of(new IntentExample("hi", "greet"), new IntentExample("hi", "greet")),
                IntentDataset.readJsonl(file));
    }

    @Test
    void splitsTrainPerLabelReproduciblyWhenThereIsNoValidationFile() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            lines.add("{\"text\": \"a" + i + "\", \"label\": \"a\"}");
        }
        for (int i = 0; i < 10; i++) {
            lines.add("{\"text\": \"b" + i + "\", \"label\": \"b\"}");
        }
        lines.add("{\"text\": \"c0\", \"label\": \"c\"}");
        Files.write(dir.resolve("train.jsonl"), lines);

        IntentDataset data = IntentDataset.load(dir, 0.2, 7);
        Map<String, Long> held = data.validation().stream()
                .collect(Collectors.groupingBy(IntentExample::label, Collectors.counting()));
        assertEquals(Map.of("a", 8L, "b", 2L), held, "20% of each label; a label with one example stays in train");
        assertEquals(51, data.train().size() + data.validation().size());
        var all = new HashSet<>(data.train());
        data.validation().forEach(v -> assertFalse(all.contains(v), "validation example also in train: " + v));
        assertEquals(List.of("a", "b", "c"), data.labels());
        assertTrue(data.validationFile().isEmpty());
        assertTrue(data.test().isEmpty());

        assertEquals(data.validation(), IntentDataset.load(dir, 0.2, 7).validation(), "same seed, same split");
        assertFalse(data.validation().equals(IntentDataset.load(dir, 0.2, 8).validation()), "another seed, another split");
        assertEquals(sha256(Files.readAllBytes(dir.resolve("train.jsonl"))), data.sha256());
    }

    @Test
    void usesAValidationFileAndHashesTrainThenValidation() throws Exception {
        byte[] train = "{\"text\": \"x\", \"label\": \"a\"}\n{\"text\": \"y\", \"label\": \"b\"}\n".getBytes();
        byte[] valid = "{\"text\": \"z\", \"label\": \"b\"}\n".getBytes();
        Files.write(dir.resolve("train.jsonl"), train);
        Files.write(dir.resolve("valid.jsonl"), valid);
        Files.write(dir.resolve("test.jsonl"), valid);
        IntentDataset data = IntentDataset.load(dir, 0.1, 1);
        assertEquals(2, data.train().size());
        assertEquals(List.of(new IntentExample("z", "b")), data.validation());
        assertEquals(1, data.test().size());
        assertEquals(dir.resolve("valid.jsonl"), data.validationFile().orElseThrow());
        byte[] both = new byte[train.length + valid.length];
        System.arraycopy(train, 0, both, 0, train.length);
        System.arraycopy(valid, 0, both, train.length, valid.length);
        assertEquals(sha256(both), data.sha256());

        Files.write(dir.resolve("valid.jsonl"), List.of("{\"text\": \"z\", \"label\": \"zzz\"}"));
        assertEquals(dir.resolve("valid.jsonl") + ": validation label 'zzz' does not occur in the training examples",
                assertThrows(IllegalArgumentException.class, () -> IntentDataset.load(dir, 0.1, 1)).getMessage());
    }

    @Test
    void namesMissingFoldersAndFiles() {
        assertEquals("dataset folder " + dir + " has no train.jsonl",
                assertThrows(IllegalArgumentException.class, () -> IntentDataset.load(dir, 0.1, 1)).getMessage());
        Path absent = dir.resolve("absent");
        assertEquals("dataset folder " + absent + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> IntentDataset.load(absent, 0.1, 1)).getMessage());
        assertEquals("validation fraction must be in (0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> IntentDataset.load(dir, 1.0, 1)).getMessage());
        assertTrue(IntentDataset.splitFile(dir, "validation").isEmpty());
    }

    @Test
    void findsTheValidationFileUnderEachOfItsNames() throws Exception {
        for (String name : List.of("validate.jsonl", "valid.jsonl", "validation.jsonl")) {
            Files.writeString(dir.resolve(name), "");
            assertEquals(dir.resolve(name), IntentDataset.splitFile(dir, "validation").orElseThrow());
        }
        assertEquals(dir.resolve("validation.jsonl"), IntentDataset.splitFile(dir, "validation").orElseThrow(),
                "validation.jsonl wins when several exist");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
