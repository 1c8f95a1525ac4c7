package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.CollectionInfo;
import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.KnowledgeIndex;
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
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnowledgeCollectionsTest {

    private static final CollectionId HELP = CollectionId.of("default", "help");
    private static final CollectionId FAQ = CollectionId.of("default", "faq");
    private static Encoder encoder;

    @BeforeAll
    static void loadEncoder() {
        encoder = Encoders.load(Encoders.DEFAULT_ID, 1);
    }

    @AfterAll
    static void closeEncoder() {
        encoder.close();
    }

    private static KnowledgeCollections open(Path tmp) {
        return KnowledgeCollections.open(tmp.resolve("knowledge"), tmp.resolve("data"), encoder, IndexOptions.defaults());
    }

    private static List<String> documents(KnowledgeCollections c, CollectionId collection, String query) {
        List<SearchHit> hits = c.find(collection).orElseThrow().search(new SearchRequest(query, 5, SearchMode.BM25));
        return hits.stream().map(SearchHit::documentId).distinct().toList();
    }

    private static Path knowledge(Path tmp) throws IOException {
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
        return knowledge;
    }

    @Test
    void mirrorsEachFolderOnceAndReindexesOnlyWhenItChanges(@TempDir Path tmp) throws IOException {
        Path knowledge = knowledge(tmp);

        try (KnowledgeCollections c = open(tmp)) {
            assertEquals(Set.of(FAQ, HELP), c.mirrored());
            assertEquals(KnowledgeCollections.State.INDEXED, c.state("help"));
            assertEquals(List.of("freeze-card"), documents(c, HELP, "freeze"));
            assertEquals(List.of("faq", "help"), c.names("default"));
            CollectionCatalog.Entry entry = c.catalog().read(HELP).orElseThrow();
            assertEquals("knowledge/help", entry.folder());
            assertEquals(64, entry.contentHash().length());
            assertTrue(Files.isDirectory(tmp.resolve("data/collections/default/help")), "one index per collection");
        }

        try (KnowledgeCollections c = open(tmp)) {
            assertEquals(KnowledgeCollections.State.UNCHANGED, c.state("help"));
            assertEquals(KnowledgeCollections.State.UNCHANGED, c.state("faq"));
            assertEquals(List.of("freeze-card"), documents(c, HELP, "freeze"), "the kept index still answers");
        }

        Files.delete(knowledge.resolve("help/freeze-card.md"));
        Files.writeString(knowledge.resolve("help/cheques.md"), "# Cheques\n\n## Depositing\nWe do not accept cheque deposits.\n");
        try (KnowledgeCollections c = open(tmp)) {
            assertEquals(KnowledgeCollections.State.REINDEXED, c.state("help"));
            assertEquals(KnowledgeCollections.State.UNCHANGED, c.state("faq"));
            assertEquals(List.of("cheques"), documents(c, HELP, "cheque deposits"));
            assertEquals(List.of(), documents(c, HELP, "freeze"), "a deleted article leaves the index");
        }
    }

    @Test
    void rebuildsTheMirroredFoldersWhenTheEncoderChangesButNotTheApiCollections(@TempDir Path tmp) throws IOException {
        knowledge(tmp);
        CollectionId api = CollectionId.of("default", "notes");
        try (KnowledgeCollections c = open(tmp)) {
            c.base().create(api);
            c.catalog().write(api, CollectionCatalog.Entry.api("written through the API"));
        }

        try (Encoder bge = Encoders.load(KnowledgeIndex.DEFAULT_ENCODER_ID, 1);
             KnowledgeCollections c = KnowledgeCollections.open(tmp.resolve("knowledge"), tmp.resolve("data"), bge,
                     IndexOptions.defaults())) {
            assertEquals(KnowledgeCollections.State.REINDEXED, c.state("help"));
            assertEquals(KnowledgeCollections.State.REINDEXED, c.state("faq"));
            assertEquals(List.of("freeze-card"), documents(c, HELP, "freeze"));
            Map<String, String> encoders = c.base().list("default").stream()
                    .collect(Collectors.toMap(i -> i.id().name(), CollectionInfo::encoder));
            assertEquals(Map.of("help", KnowledgeIndex.DEFAULT_ENCODER_ID, "faq", KnowledgeIndex.DEFAULT_ENCODER_ID,
                    "notes", Encoders.DEFAULT_ID), encoders, "the API collection keeps its encoder");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.find(api));
            assertTrue(e.getMessage().contains("was built with encoder " + Encoders.DEFAULT_ID + " (384 dimensions), not with encoder "
                    + KnowledgeIndex.DEFAULT_ENCODER_ID), e.getMessage());
        }
    }

    @Test
    void deletesTheCollectionOfAVanishedFolderButNeverOneCreatedThroughTheApi(@TempDir Path tmp) throws IOException {
        Path knowledge = knowledge(tmp);
        CollectionId api = CollectionId.of("default", "notes");
        try (KnowledgeCollections c = open(tmp)) {
            c.base().create(api);
            c.catalog().write(api, CollectionCatalog.Entry.api("written through the API"));
            c.find(api).orElseThrow().upsert(Document.of("n1", "Note", "Branches close at noon on Saturdays."));
        }

        Files.delete(knowledge.resolve("faq/hours.md"));
        Files.delete(knowledge.resolve("faq"));
        try (KnowledgeCollections c = open(tmp)) {
            assertEquals(Set.of(HELP), c.mirrored());
            assertNull(c.state("faq"));
            assertEquals(List.of("help", "notes"), c.names("default"), "faq is gone, the API collection stays");
            assertFalse(c.catalog().read(FAQ).isPresent());
            assertEquals(List.of("n1"), documents(c, api, "saturdays"));
        }
    }

    @Test
    void refusesAFolderThatWouldReplaceACollectionCreatedThroughTheApi(@TempDir Path tmp) throws IOException {
        knowledge(tmp);
        try (KnowledgeCollections c = open(tmp)) {
            c.base().create(CollectionId.of("default", "cards"));
        }
        Files.createDirectories(tmp.resolve("knowledge/cards"));
        Files.writeString(tmp.resolve("knowledge/cards/lost.md"), "# Lost card\n\nFreeze it in the app.\n");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(tmp));
        assertEquals("knowledge folder " + tmp.resolve("knowledge/cards") + " would replace collection default/cards, "
                + "which was created through the API: rename the folder or delete the collection", e.getMessage());
    }

    @Test
    void skipsFoldersWhoseNameIsNotACollectionName(@TempDir Path tmp) throws IOException {
        knowledge(tmp);
        Files.createDirectories(tmp.resolve("knowledge/Bad Name"));
        Files.writeString(tmp.resolve("knowledge/Bad Name/a.md"), "# A\n\nText.\n");

        try (KnowledgeCollections c = open(tmp)) {
            assertEquals(Set.of(FAQ, HELP), c.mirrored());
        }
    }

    @Test
    void aMissingKnowledgeFolderMeansNoMirroredCollections(@TempDir Path tmp) {
        try (KnowledgeCollections c = open(tmp)) {
            assertEquals(Set.of(), c.mirrored());
            assertEquals(List.of(), c.names("default"));
        }
    }
}
