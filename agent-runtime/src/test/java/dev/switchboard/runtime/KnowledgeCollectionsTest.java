package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.SearchHit;
import dev.switchboard.retrieval.SearchMode;
import dev.switchboard.retrieval.SearchRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnowledgeCollectionsTest {

    private static Encoder encoder;

    @BeforeAll
    static void loadEncoder() {
        encoder = Encoders.load(Encoders.DEFAULT_ID, 1);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    private static List<String> documents(KnowledgeCollections c, String collection, String query) {
        List<SearchHit> hits = c.get(collection).orElseThrow().search(new SearchRequest(query, 5, SearchMode.BM25));
        return hits.stream().map(SearchHit::documentId).distinct().toList();
    }

    @Test
    void indexesOnceAndReindexesOnlyWhenTheFolderChanges(@TempDir Path tmp) throws IOException {
        Path knowledge = Files.createDirectories(tmp.resolve("knowledge"));
        Path help = Files.createDirectories(knowledge.resolve("help"));
        Files.writeString(help.resolve("freeze-card.md"), """
                # Freezing your card

                ## How to freeze
                Open the app and tap Cards > Freeze card. Unfreeze it the same way.
                """);
        Files.writeString(help.resolve("top-up.md"), """
                # Topping up

                ## By bank transfer
                Send money to your account number; transfers arrive within one working day.
                """);
        Files.createDirectories(knowledge.resolve("faq"));
        Files.writeString(knowledge.resolve("faq/hours.md"), "# Opening hours\n\nSupport answers chats around the clock.\n");
        Path indexRoot = tmp.resolve("data/index");

        try (KnowledgeCollections c = KnowledgeCollections.open(knowledge, indexRoot, encoder)) {
            assertEquals(Set.of("faq", "help"), c.names());
            assertEquals(KnowledgeCollections.State.INDEXED, c.state("help"));
            assertEquals(List.of("freeze-card"), documents(c, "help", "freeze"));
            assertTrue(Files.isRegularFile(indexRoot.resolve("help.sha256")));
        }

        try (KnowledgeCollections c = KnowledgeCollections.open(knowledge, indexRoot, encoder)) {
            assertEquals(KnowledgeCollections.State.UNCHANGED, c.state("help"));
            assertEquals(KnowledgeCollections.State.UNCHANGED, c.state("faq"));
            assertEquals(List.of("freeze-card"), documents(c, "help", "freeze"), "the kept index still answers");
        }

        Files.delete(help.resolve("freeze-card.md"));
        Files.writeString(help.resolve("cheques.md"), "# Cheques\n\n## Depositing\nWe do not accept cheque deposits.\n");
        try (KnowledgeCollections c = KnowledgeCollections.open(knowledge, indexRoot, encoder)) {
            assertEquals(KnowledgeCollections.State.REINDEXED, c.state("help"));
            assertEquals(KnowledgeCollections.State.UNCHANGED, c.state("faq"));
            assertEquals(List.of("cheques"), documents(c, "help", "cheque deposits"));
            assertEquals(List.of(), documents(c, "help", "freeze"), "a deleted article leaves the index");
        }
    }

    @Test
    void aMissingKnowledgeFolderMeansNoCollections(@TempDir Path tmp) {
        try (KnowledgeCollections c = KnowledgeCollections.open(tmp.resolve("none"), tmp.resolve("index"), encoder)) {
            assertEquals(Set.of(), c.names());
        }
    }
}
