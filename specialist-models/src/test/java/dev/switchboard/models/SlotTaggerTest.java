package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlotTaggerTest {

    private static final BioTagSet TAGS = BioTagSet.ofLabels(List.of("people", "time"));
    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path dir;


    static ModelManifest manifest(String kind, String encoderId, List<String> labels) {
        return new ModelManifest(kind, "demo", "v1", encoderId, labels, 42,
                new ModelManifest.DatasetInfo("data", "ab".repeat(32), 10, 2, 0), Map.of("validation_f1", 0.5), null, null,
                "unknown", Instant.parse("2026-11-22T05:00:00Z"), Map.of("window", 0));
    }

    /** B-time on every piece (the word constraint joins a word's pieces): every word becomes a "time". */
    private Path writeModel(String kind, String encoderId, List<String> labels) throws Exception {
        Path model = dir.resolve("demo").resolve("v1");
        Files.createDirectories(model);
        manifest(kind, encoderId, labels).write(model.resolve(SlotTagger.MANIFEST_FILE));
        SlotModelTest.constant(TAGS, new float[] {0, 0, 0, 5, 0}, true).write(model.resolve(SlotTagger.MODEL_FILE));
        return model;
    }

    @Test
    void loadsAFolderAndTagsSingleAndBatchedTextsAlike() throws Exception {
        SlotTagger tagger = SlotTagger.load(writeModel(SlotTagger.KIND, Encoders.DEFAULT_ID, TAGS.tags()), encoder);
        assertEquals(List.of("people", "time"), tagger.labels());
        List<Entity> one = tagger.extract("at 7:30pm");
        assertEquals(List.of("at", "7", ":", "30pm"), one.stream().map(Entity::text).toList());
        assertTrue(one.stream().allMatch(e -> e.type().equals("time") && e.source().equals(SlotTagger.SOURCE)));
        List<String> texts = List.of("at 7:30pm", "", "four people", "tomorrow");
        List<List<Entity>> batch = tagger.extractAll(texts);
        assertEquals(texts.size(), batch.size());
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(tagger.extract(texts.get(i)), batch.get(i));
        }
        assertEquals("text 1 is null", assertThrows(IllegalArgumentException.class,
                () -> tagger.extractAll(java.util.Arrays.asList("a", null))).getMessage());
    }

    @Test
    void loadNamesWhatIsWrong() throws Exception {
        Path model = writeModel(SlotTagger.KIND, "bge-small-en-v1.5-q", TAGS.tags());
        assertEquals("cannot load " + model + ": model demo/v1 was trained on encoder bge-small-en-v1.5-q but "
                + "all-minilm-l6-v2-q is loaded",
                assertThrows(IllegalArgumentException.class, () -> SlotTagger.load(model, encoder)).getMessage());
        Path intent = writeModel(IntentClassifier.KIND, Encoders.DEFAULT_ID, TAGS.tags());
        assertEquals("cannot load " + intent + ": manifest kind is 'intent-classifier', expected 'slot-tagger'",
                assertThrows(IllegalArgumentException.class, () -> SlotTagger.load(intent, encoder)).getMessage());
        Path otherTags = writeModel(SlotTagger.KIND, Encoders.DEFAULT_ID, List.of("O", "B-a", "I-a"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SlotTagger.load(otherTags, encoder)).getMessage()
                .startsWith("cannot load " + otherTags + ": "));
        Files.delete(model.resolve(SlotTagger.MODEL_FILE));
        assertEquals("model folder " + model + " has no slots.safetensors",
                assertThrows(IllegalArgumentException.class, () -> SlotTagger.load(model, encoder)).getMessage());
        Path absent = dir.resolve("absent");
        assertEquals("model folder " + absent + " does not exist",
                assertThrows(IllegalArgumentException.class, () -> SlotTagger.load(absent, encoder)).getMessage());
    }
}
