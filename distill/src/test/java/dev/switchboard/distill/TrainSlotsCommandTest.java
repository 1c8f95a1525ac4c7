package dev.switchboard.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.models.BioTagSet;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.Entity;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotTagger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainSlotsCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsWritesAManifestAndTheTaggerFindsTheSlotInNewMessages() throws Exception {
        Path data = SlotSlice.write(dir.resolve("booking"), 3);
        Path out = dir.resolve("models");
        Path cache = dir.resolve("cache");
        var first = TrainIntentCommandTest.run("train", "slots", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "30", "--members", "1", "--lstm", "16", "--crf", "--word-constraint", "--lr", "0.01", "--batch-size", "8",
                "--cache", cache.toString(), "--no-dedupe"); // the synthetic slice repeats texts on purpose
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.err().contains("dedupe: no (--no-dedupe)"), first.err());
        Path v1 = out.resolve("booking").resolve("v1");
        assertEquals(v1.toString(), first.out().strip());
        assertTrue(first.err().contains("epoch   1/30  train loss "), first.err());
        assertTrue(first.err().contains("train: ") && first.err().contains(" spans; 0 trimmed"), first.err());
        try (var files = Files.list(cache)) {
            assertEquals(2, files.count(), "train and validation token states are cached");
        }

        ModelManifest m = ModelManifest.read(v1.resolve(SlotTagger.MANIFEST_FILE));
        assertEquals(SlotTagger.KIND, m.kind());
        assertEquals(List.of("O", "B-people", "I-people"), m.labels());
        assertEquals(Encoders.DEFAULT_ID, m.encoder());
        SlotDataset dataset = SlotDataset.load(data, 0.1, 42);
        assertEquals(new ModelManifest.DatasetInfo(data.toString(), dataset.sha256(), 160, 40, dataset.test().size()), m.dataset());
        assertEquals(List.of("validation_precision", "validation_recall", "validation_f1", "validation_loss"),
                List.copyOf(m.metrics().keySet()));
        assertEquals(true, m.parameters().get("crf"));
        assertEquals(false, m.parameters().get("dedupe"));
        assertEquals(true, m.parameters().get("anonymized"));
        assertEquals(16, m.parameters().get("lstm"));
        assertTrue(m.metrics().get("validation_f1") >= 0.95, m.metrics().toString());

        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            SlotTagger tagger = SlotTagger.load(v1, encoder);
            assertEquals(BioTagSet.ofTags(m.labels()), tagger.model().tagSet());
            List<Entity> found = tagger.extract("reserve for 6 people");
            assertEquals(1, found.size(), found.toString());
            assertEquals("6", found.get(0).text());
            assertEquals(12, found.get(0).start());
            assertEquals("people", found.get(0).type());
            assertEquals(SlotTagger.SOURCE, found.get(0).source());
            assertTrue(found.get(0).confidence() > 0.5, found.toString());
            assertEquals(List.of(), tagger.extract("hello there"));
        }

        // A second run, an ensemble of two, with the cached states writes the next version.
        var second = TrainIntentCommandTest.run("train", "slots", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--members", "2", "--cache", cache.toString());
        assertEquals(0, second.exit(), second.err());
        Path v2 = out.resolve("booking").resolve("v2");
        assertEquals(v2.toString(), second.out().strip());
        assertTrue(second.err().contains("member 2 of 2 (seed 43)"), second.err());
        ModelManifest m2 = ModelManifest.read(v2.resolve(SlotTagger.MANIFEST_FILE));
        assertEquals(2, m2.parameters().get("members"));
        assertTrue(m2.metrics().containsKey("member_1_validation_f1"), m2.metrics().toString());
        try (Encoder encoder = Encoders.load(Encoders.DEFAULT_ID, 1)) {
            assertEquals(2, SlotTagger.load(v2, encoder).model().members().size());
        }
    }

    @Test
    void aSchemaErrorExitsWithTheFileLineAndField() throws Exception {
        Path data = SlotSlice.write(dir.resolve("broken"), 3);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(data.resolve("valid.jsonl")));
        lines.set(2, "{\"text\": \"for 4\", \"entities\": [{\"start\": 4, \"end\": 9, \"label\": \"people\"}]}");
        Files.write(data.resolve("valid.jsonl"), lines);
        var run = TrainIntentCommandTest.run("train", "slots", "--data", data.toString(), "--out", dir.resolve("m").toString());
        assertEquals(1, run.exit());
        assertEquals("error: " + data.resolve("valid.jsonl") + " line 3: field \"entities[0].end\": 9 is past the end of the text, "
                + "length 5 (span out of range)", run.err().strip());
        assertTrue(Files.notExists(dir.resolve("m").resolve("broken")), "nothing is written");
    }
}
