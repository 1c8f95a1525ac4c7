package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotDatasetTest {

    @TempDir
    Path dir;

    @Test
    void readsBothShapesIntoCharacterSpans() throws Exception {
        Path file = dir.resolve("train.jsonl");
        Files.write(file, List.of(
                "{\"tokens\": [\"add\", \"sabrina\", \"salerno\", \"to\", \"my\", \"grime\", \"playlist\"], "
                        + "\"tags\": [\"O\", \"B-artist\", \"I-artist\", \"O\", \"B-owner\", \"B-playlist\", \"O\"], \"intent\": \"Add\"}",
                "",
                "{\"text\": \"Table for 4 at 7pm\", \"requested_slots\": [\"people\"], \"entities\": "
                        + "[{\"start\": 15, \"end\": 18, \"label\": \"time\", \"text\": \"7pm\"}, {\"start\": 10, \"end\": 11, \"label\": \"people\"}]}"));
        List<SlotExample> examples = SlotDataset.readJsonl(file);
        assertEquals(2, examples.size());
        SlotExample tagged = examples.get(0);
        assertEquals("add sabrina salerno to my grime playlist", tagged.text());
        assertEquals(List.of(new SlotSpan(4, 19, "artist"), new SlotSpan(23, 25, "owner"), new SlotSpan(26, 31, "playlist")),
                tagged.spans());
        assertEquals("sabrina salerno", tagged.textOf(tagged.spans().get(0)));
        assertEquals(List.of(), tagged.context());
        SlotExample spans = examples.get(1);
        assertEquals(List.of(new SlotSpan(10, 11, "people"), new SlotSpan(15, 18, "time")), spans.spans(), "sorted by start");
        assertEquals(List.of("people"), spans.context());
    }

    @Test
    void schemaErrorsNameTheFileLineAndField() throws Exception {
        Path file = dir.resolve("train.jsonl");
        String good = "{\"text\": \"hi there\", \"entities\": []}";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"text\": \"hi\", \"entities\": ", "bad JSON (");
        cases.put("{\"intent\": \"x\"}", "field \"text\": missing (a line needs \"text\" with \"entities\", or \"tokens\" with \"tags\")");
        cases.put("{\"text\": \"hi\"}", "field \"entities\": missing");
        cases.put("{\"text\": \"hi\", \"entities\": [{\"start\": 0, \"end\": 5, \"label\": \"a\"}]}",
                "field \"entities[0].end\": 5 is past the end of the text, length 2 (span out of range)");
        cases.put("{\"text\": \"hi\", \"entities\": [{\"start\": -1, \"end\": 1, \"label\": \"a\"}]}",
                "field \"entities[0].start\": -1 is negative (span out of range)");
        cases.put("{\"text\": \"hi\", \"entities\": [{\"start\": 1, \"end\": 1, \"label\": \"a\"}]}",
                "field \"entities[0]\": start 1 >= end 1");
        cases.put("{\"text\": \"hi you\", \"entities\": [{\"start\": 0, \"end\": 2, \"label\": \"a\"}, {\"start\": 3, \"label\": \"b\"}]}",
                "field \"entities[1].end\": missing");
        cases.put("{\"text\": \"hi\", \"entities\": [{\"start\": \"0\", \"end\": 2, \"label\": \"a\"}]}",
                "field \"entities[0].start\": must be an integer, got \"0\"");
        cases.put("{\"text\": \"hi\", \"entities\": [{\"start\": 0, \"end\": 2, \"label\": \"a\", \"text\": \"ho\"}]}",
                "field \"entities[0].text\": \"ho\" is not the text at [0, 2): \"hi\"");
        cases.put("{\"text\": \"hi\", \"entities\": [{\"start\": 0, \"end\": 2}]}", "field \"entities[0].label\": missing");
        cases.put("{\"tokens\": [\"a\", \"b\"], \"tags\": [\"O\"]}", "field \"tags\": has 1 entries but \"tokens\" has 2");
        cases.put("{\"tokens\": [\"a\", \"b\"], \"tags\": [\"O\", \"I-x\"]}",
                "field \"tags[1]\": \"I-x\" does not continue a B-x or I-x tag (invalid BIO)");
        cases.put("{\"tokens\": [\"a\", \"b\"], \"tags\": [\"B-y\", \"I-x\"]}",
                "field \"tags[1]\": \"I-x\" does not continue a B-x or I-x tag (invalid BIO)");
        cases.put("{\"tokens\": [\"a\", \"b\"], \"tags\": [\"O\", \"X-x\"]}", "field \"tags[1]\": \"X-x\" is not O, B-<label> or I-<label>");
        cases.put("{\"tokens\": [\"a\", \"b c\"], \"tags\": [\"O\", \"O\"]}",
                "field \"tokens[1]\": must be non-empty without whitespace, got \"b c\"");
        cases.put("{\"tokens\": [\"a\"]}", "field \"tags\": missing");
        cases.put("{\"text\": \"hi\", \"entities\": [], \"requested_slots\": [1]}", "field \"requested_slots[0]\": must be a string, got 1");
        for (var c : cases.entrySet()) {
            // Line 4: blank lines count.
            Files.write(file, List.of(good, good, "", c.getKey(), good));
            var e = assertThrows(IllegalArgumentException.class, () -> SlotDataset.readJsonl(file), c.getKey());
            assertTrue(e.getMessage().startsWith(file + " line 4: " + c.getValue()), e.getMessage());
        }
    }

    @Test
    void overlappingSpansAreReportedWithBothSpansOrRejected() throws Exception {
        Path file = dir.resolve("train.jsonl");
        Files.write(file, List.of("{\"text\": \"hi there\", \"entities\": []}",
                "{\"text\": \"at 7:30 tonight\", \"entities\": [{\"start\": 3, \"end\": 15, \"label\": \"time\"}, "
                        + "{\"start\": 8, \"end\": 15, \"label\": \"date\"}]}"));
        List<String> overlaps = new ArrayList<>();
        assertEquals(2, SlotDataset.readJsonl(file, overlaps::add).size(), "overlaps are legal by default");
        assertEquals(List.of(file + " line 2: field \"entities[1]\": span [8, 15) \"tonight\" (date) overlaps "
                + "\"entities[0]\" [3, 15) \"7:30 tonight\" (time)"), overlaps);
        var e = assertThrows(IllegalArgumentException.class, () -> SlotDataset.readJsonl(file, m -> {
            throw new IllegalArgumentException(m);
        }));
        assertEquals(overlaps.getFirst(), e.getMessage());
    }

    @Test
    void splitsTrainReproduciblyWhenThereIsNoValidationFileAndChecksLabels() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("{\"text\": \"for " + i + " people\", \"entities\": [{\"start\": 4, \"end\": " + (4 + Integer.toString(i).length())
                    + ", \"label\": \"people\"}]}");
        }
        Files.write(dir.resolve("train.jsonl"), lines);
        SlotDataset a = SlotDataset.load(dir, 0.2, 3);
        SlotDataset b = SlotDataset.load(dir, 0.2, 3);
        assertEquals(40, a.train().size());
        assertEquals(10, a.validation().size());
        assertEquals(a.validation(), b.validation());
        assertTrue(a.validationFile().isEmpty());
        assertEquals(List.of("people"), a.labels());
        var all = new HashSet<>(a.train());
        all.addAll(a.validation());
        assertEquals(50, all.size());
        assertTrue(!SlotDataset.load(dir, 0.2, 4).validation().equals(a.validation()), "another seed, another split");

        Files.write(dir.resolve("valid.jsonl"), List.of("{\"text\": \"at 7\", \"entities\": [{\"start\": 3, \"end\": 4, \"label\": \"time\"}]}"));
        assertEquals(dir.resolve("valid.jsonl") + ": validation label 'time' does not occur in the training examples",
                assertThrows(IllegalArgumentException.class, () -> SlotDataset.load(dir, 0.2, 3)).getMessage());
        assertEquals("dataset folder " + dir.resolve("absent") + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> SlotDataset.load(dir.resolve("absent"), 0.1, 1)).getMessage());
    }
}
