package dev.switchboard.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.retrieval.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCorpusTest {

    static final Path DATASETS = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets"));

    private static List<Document> first(BenchCorpus corpus, int n) {
        List<Document> out = new ArrayList<>();
        Iterator<Document> it = corpus.documents();
        for (int i = 0; i < n; i++) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void originalsComeFirstInterleavedAcrossDatasetsThenVariantRounds() {
        BenchCorpus corpus = BenchCorpus.load(DATASETS, BenchCorpus.DEFAULT_DATASETS, 42);
        List<Document> docs = first(corpus, corpus.size() + 3);
        assertTrue(docs.get(0).id().startsWith("emanual_qa/"), docs.get(0).id());
        assertTrue(docs.get(1).id().startsWith("covid_faq/"), docs.get(1).id());
        assertTrue(docs.get(2).id().startsWith("covid_qa/"), docs.get(2).id());
        assertEquals("0", docs.get(0).metadata().get("variant"));
        assertEquals("emanual_qa", docs.get(0).metadata().get("dataset"));
        Document firstVariant = docs.get(corpus.size());
        assertEquals(docs.get(0).id() + "~v1", firstVariant.id());
        assertEquals(docs.get(0).title(), firstVariant.title());
        assertEquals("1", firstVariant.metadata().get("variant"));
        // every id is distinct across the originals and the first variants
        assertEquals(docs.size(), docs.stream().map(Document::id).distinct().count());
    }

    @Test
    void theSameSeedGivesTheSameDocumentsAndAnotherSeedOtherVariants() {
        BenchCorpus a = BenchCorpus.load(DATASETS, BenchCorpus.DEFAULT_DATASETS, 42);
        BenchCorpus b = BenchCorpus.load(DATASETS, BenchCorpus.DEFAULT_DATASETS, 42);
        BenchCorpus c = BenchCorpus.load(DATASETS, BenchCorpus.DEFAULT_DATASETS, 7);
        for (int position : new int[] {0, 1, 2, 50}) {
            assertEquals(a.document(3, position), b.document(3, position));
            assertEquals(a.document(0, position), c.document(0, position), "originals do not depend on the seed");
            assertNotEquals(a.document(3, position).text(), c.document(3, position).text());
        }
    }

    @Test
    void aVariantShufflesAndDropsWordsButInventsNone() {
        String text = "Alpha beta gamma delta. Epsilon zeta eta theta iota! Kappa lambda mu nu xi omicron?\n\n"
                + "Pi rho sigma tau upsilon. Phi chi psi omega one two three four five six seven eight.";
        Map<String, Integer> available = counts(text);
        int differentOrder = 0;
        for (int seed = 0; seed < 20; seed++) {
            String variant = BenchCorpus.variant(text, new Random(seed));
            assertNotEquals(text, variant);
            Map<String, Integer> used = counts(variant);
            used.forEach((w, n) -> assertTrue(n <= available.getOrDefault(w, 0), "word not in the original: " + w));
            int total = used.values().stream().mapToInt(Integer::intValue).sum();
            int original = available.values().stream().mapToInt(Integer::intValue).sum();
            assertTrue(total <= original && total >= original * (1 - 2 * BenchCorpus.MAX_DROP), variant);
            if (!variant.startsWith("Alpha")) {
                differentOrder++;
            }
        }
        assertTrue(differentOrder > 0, "sentences or paragraphs are shuffled");
    }

    @Test
    void queriesAreDistinctNonBlankAndInASeededOrder() {
        List<String> a = BenchCorpus.queries(DATASETS, BenchCorpus.DEFAULT_DATASETS, 42);
        assertEquals(a, BenchCorpus.queries(DATASETS, BenchCorpus.DEFAULT_DATASETS, 42));
        assertNotEquals(a, BenchCorpus.queries(DATASETS, BenchCorpus.DEFAULT_DATASETS, 43));
        assertEquals(a.size(), new HashSet<>(a).size());
        assertTrue(a.size() > 1200, "enough queries for the default --queries 1000 --warmup 200: " + a.size());
        assertTrue(a.stream().noneMatch(String::isBlank));
    }

    @Test
    void aBadCorpusLineIsNamedByFileAndLine(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("mini"));
        Files.writeString(root.resolve("mini/corpus.jsonl"), "{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\"}\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchCorpus.load(root, List.of("mini"), 1));
        assertTrue(e.getMessage().contains("corpus.jsonl:2") && e.getMessage().contains("\"text\""), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BenchCorpus.load(root, List.of("absent"), 1));
        assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> out = new HashMap<>();
        Arrays.stream(text.split("\\s+")).filter(w -> !w.isEmpty()).forEach(w -> out.merge(w, 1, Integer::sum));
        return out;
    }
}
