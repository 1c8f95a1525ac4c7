package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiLabelDatasetTest {

    @TempDir
    Path dir;

    @Test
    void schemaErrorsNameTheFileLineAndField() throws Exception {
        Path file = dir.resolve("train.jsonl");
        String good = "{\"text\": \"hi\", \"intents\": [\"greet\"]}";
        Map<String, String> cases = Map.of(
                "{\"text\": \"hi\"}", "field \"intents\": missing",
                "{\"text\": \"hi\", \"intents\": \"greet\"}", "field \"intents\": must be an array of strings, got \"greet\"",
                "{\"text\": \"hi\", \"intents\": [1]}", "field \"intents[0]\": must be a string, got 1",
                "{\"text\": \"hi\", \"intents\": [\"a\", \" \"]}", "field \"intents[1]\": empty",
                "{\"intents\": []}", "field \"text\": missing",
                "{\"text\": \"hi\", \"intents\": [], \"fold\": \"x\"}", "field \"fold\": must be an integer, got \"x\"");
        for (var c : cases.entrySet()) {
            Files.write(file, List.of(good, "", c.getKey()));
            var e = assertThrows(IllegalArgumentException.class, () -> MultiLabelDataset.rowsOf(file));
            assertEquals(file + " line 3: " + c.getValue(), e.getMessage());
        }
        assertTrue(MultiLabelDataset.isMultiLabel(file));
        Files.write(file, List.of("{\"text\": \"hi\", \"intents\": [\"a\", \"b\", \"a\"]}"));
        assertEquals(List.of("a", "b"), MultiLabelDataset.rowsOf(file).get(0).intents(), "a repeated intent is kept once");
        Files.write(file, List.of("{\"text\": \"hi\", \"label\": \"greet\"}"));
        assertTrue(!MultiLabelDataset.isMultiLabel(file));
    }

    @Test
    void foldFilesSplitByTheirFoldField() {
        Path nlupp = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets")).resolve("nlupp/banking.jsonl");
        MultiLabelDataset d = MultiLabelDataset.loadFolds(nlupp, FoldSplit.parse("0-15/16-17/18-19"));
        int all = MultiLabelDataset.rowsOf(nlupp).size();
        assertEquals(all, d.train().size() + d.validation().size() + d.test().size());
        assertTrue(d.train().size() > 3 * (d.validation().size() + d.test().size()), "16 folds vs 4");
        assertTrue(d.labels().size() >= 40, "NLU++ banking has 48 intents: " + d.labels().size());
        assertTrue(d.train().stream().anyMatch(e -> e.intents().size() >= 2), "multi-intent examples");
        assertTrue(d.train().stream().anyMatch(e -> e.intents().isEmpty()), "examples with no intent");
    }

    @Test
    void foldSpecsParseAndOverlapsAreErrors() {
        FoldSplit s = FoldSplit.parse("0-2,5/3/4");
        assertEquals(Set.of(0, 1, 2, 5), s.train());
        assertEquals(Set.of(3), s.validation());
        assertEquals(Set.of(4), s.test());
        assertEquals("0,1,2,5/3/4", s.toString());
        assertEquals(Set.of(), FoldSplit.parse("1/2").test());
        assertEquals("fold 3 is in train and in another part",
                assertThrows(IllegalArgumentException.class, () -> FoldSplit.parse("0-3/3")).getMessage());
        assertEquals("folds must be TRAIN/VALIDATION[/TEST], e.g. 0-15/16-17/18-19, got '1'",
                assertThrows(IllegalArgumentException.class, () -> FoldSplit.parse("1")).getMessage());
        assertEquals("folds 'a/b': not a list of numbers or ranges",
                assertThrows(IllegalArgumentException.class, () -> FoldSplit.parse("a/b")).getMessage());
    }
}
