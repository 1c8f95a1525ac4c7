package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CombinedExtractorTest {

    private static final Encoder encoder = SharedEncoder.minilm();

    @TempDir
    Path dir;


    private static Entity model(String type, String text, int start, int end) {
        return new Entity(type, text.substring(start, end), start, end, text.substring(start, end), SlotTagger.SOURCE, 0.8);
    }

    @Test
    void aPatternEntityWinsOverEveryModelEntityItOverlaps() {
        String text = "refund $20 to jo@x.io on 3 Nov please";
        List<Entity> patterns = PatternExtractor.all().withReferenceDate(LocalDate.of(2026, 11, 22)).extract(text);
        assertEquals(List.of("money", "email", "date"), patterns.stream().map(Entity::type).toList());
        List<Entity> fromModel = List.of(
                model("amount", text, 0, 10),     // "refund $20": overlaps the money pattern -> dropped
                model("person", text, 14, 16),    // "jo": inside the e-mail -> dropped
                model("date", text, 25, 30),      // "3 Nov": same span as the date pattern -> pattern kept
                model("politeness", text, 31, 37)); // "please": overlaps nothing -> kept
        List<Entity> merged = CombinedExtractor.merge(patterns, fromModel);
        assertEquals(List.of("money", "email", "date", "politeness"), merged.stream().map(Entity::type).toList());
        assertEquals(List.of("pattern", "pattern", "pattern", "model"), merged.stream().map(Entity::source).toList());
        assertEquals("2026-11-03", merged.get(2).value());
        for (int i = 1; i < merged.size(); i++) {
            assertTrue(merged.get(i - 1).end() <= merged.get(i).start(), "sorted and non-overlapping: " + merged);
        }
    }

    @Test
    void extractMergesTheRealExtractorsAndBatchesAlike() throws Exception {
        // A tagger that marks every word as "thing": only words outside pattern entities survive.
        Path folder = dir.resolve("demo").resolve("v1");
        Files.createDirectories(folder);
        BioTagSet tags = BioTagSet.ofLabels(List.of("thing"));
        SlotTaggerTest.manifest(SlotTagger.KIND, Encoders.DEFAULT_ID, tags.tags()).write(folder.resolve(SlotTagger.MANIFEST_FILE));
        SlotModelTest.constant(tags, new float[] {0, 5, 0}, true).write(folder.resolve(SlotTagger.MODEL_FILE));
        CombinedExtractor extractor = CombinedExtractor.of(SlotTagger.load(folder, encoder), PatternExtractor.all());
        String text = "send £15 to ana@mail.com";
        List<Entity> entities = extractor.extract(text);
        assertEquals(List.of("send", "£15", "to", "ana@mail.com"), entities.stream().map(Entity::text).toList());
        assertEquals(List.of("thing", "money", "thing", "email"), entities.stream().map(Entity::type).toList());
        assertEquals("15.00 GBP", entities.get(1).value());
        List<String> texts = List.of(text, "nothing to see", "");
        List<List<Entity>> batch = extractor.extractAll(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(extractor.extract(texts.get(i)), batch.get(i));
        }
    }
}
