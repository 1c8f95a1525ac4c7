package dev.switchboard.runtime;

import dev.switchboard.retrieval.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-file outcomes of an upload, with the real parsers: good files are stored whatever happens to
 * the others, and each bad one is named with its reason and status.
 */
class DocumentUploadsTest {

    private static final long LIMIT = 2048;

    @TempDir
    Path dir;
    private final List<Document> stored = new ArrayList<>();

    /** Records what would be stored; a document whose text is only "# heading" lines is refused like the index does. */
    private DocumentUploads uploads() {
        return new DocumentUploads(LIMIT, documents -> {
            for (Document d : documents) {
                if (d.text().lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                    throw new IllegalArgumentException("document " + d.id() + ": text has nothing but headings");
                }
            }
            stored.addAll(documents);
            return documents.stream().map(d -> new KnowledgeViews.Stored(d.id(), 1)).toList();
        });
    }

    private DocumentUploads.Upload file(String name, byte[] content) throws IOException {
        Path p = Files.write(dir.resolve("part-" + Math.abs(name.hashCode())), content);
        return new DocumentUploads.Upload(name, content.length, p);
    }

    private DocumentUploads.Upload file(String name, String content) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storesTheGoodFilesAndNamesEachBadOneWithItsReason() throws IOException {
        byte[] garbage = new byte[600];
        new Random(42).nextBytes(garbage);
        DocumentUploads.Outcome outcome = uploads().store("faq", List.of(
                file("returns.md", "# Returns\n\nYou can return any item within 30 days.\n"),
                file("setup.exe", "MZ"),
                file("empty.txt", ""),
                file("big.md", "# Big\n\n" + "x".repeat(3000)),
                file("broken.pdf", garbage),
                file("warranty.pdf", UploadFixtures.pdf("The warranty covers two years of repairs."))), null);

        assertEquals(200, outcome.status(), "some files were stored");
        KnowledgeViews.Uploaded body = outcome.body();
        assertEquals(2, body.stored());
        assertEquals(4, body.failed());
        assertNull(body.error());
        assertEquals(List.of("stored", "failed", "failed", "failed", "failed", "stored"),
                body.files().stream().map(KnowledgeViews.FileResult::status).toList());
        assertEquals(List.of(415, 422, 413, 422), body.files().stream().filter(f -> !f.ok()).map(f -> f.error().status()).toList());
        assertEquals(List.of("unsupported_file_type", "empty_file", "file_too_large", "unreadable_file"),
                body.files().stream().filter(f -> !f.ok()).map(f -> f.error().code()).toList());
        assertEquals("setup.exe: unsupported file type '.exe'; supported: .docx, .htm, .html, .jsonl, .markdown, .md, .pdf, .txt",
                body.files().get(1).error().message());
        assertEquals("empty.txt: empty file", body.files().get(2).error().message());
        assertEquals("big.md: file is 2.9 KB; the limit is 2 KB", body.files().get(3).error().message());
        assertTrue(body.files().get(4).error().message().startsWith("broken.pdf: "), body.files().get(4).error().message());

        assertEquals(List.of("returns", "warranty"), stored.stream().map(Document::id).toList());
        assertEquals("Returns", stored.get(0).title());
        assertEquals("returns.md", stored.get(0).source());
        assertTrue(stored.get(1).text().contains("warranty covers two years"), stored.get(1).text());
        assertEquals(List.of(new KnowledgeViews.Stored("returns", 1)), body.files().get(0).documents());
    }

    @Test
    void allStoredIsCreated() throws IOException {
        DocumentUploads.Outcome outcome = uploads().store("faq", List.of(
                file("a.md", "# A\n\nAlpha text.\n"), file("page.html",
                        "<html><head><title>Hours</title></head><body><h1>Opening hours</h1><p>We open at nine.</p></body></html>")), null);

        assertEquals(201, outcome.status());
        assertEquals(List.of("a", "page"), stored.stream().map(Document::id).toList());
        assertEquals("Opening hours", stored.get(1).title());
    }

    @Test
    void whenNothingIsStoredTheStatusIsTheFilesOwnOrABadRequest() throws IOException {
        DocumentUploads.Outcome one = uploads().store("faq", List.of(file("x.exe", "MZ")), null);
        assertEquals(415, one.status());
        assertEquals(new ApiError.Body("invalid_request_error", "unsupported_file_type",
                "x.exe: unsupported file type '.exe'; supported: .docx, .htm, .html, .jsonl, .markdown, .md, .pdf, .txt", "file"),
                one.body().error());

        DocumentUploads.Outcome same = uploads().store("faq", List.of(file("x.exe", "MZ"), file("y.bin", "??")), null);
        assertEquals(415, same.status());
        assertEquals("no_file_stored", same.body().error().code());

        DocumentUploads.Outcome mixed = uploads().store("faq", List.of(file("x.exe", "MZ"), file("e.md", "")), null);
        assertEquals(400, mixed.status());
        assertEquals("none of the 2 files was stored: x.exe: unsupported file type '.exe'; supported: .docx, .htm, .html, "
                + ".jsonl, .markdown, .md, .pdf, .txt; e.md: empty file", mixed.body().error().message());
        assertEquals(List.of(), stored);
    }

    @Test
    void theIdFieldNamesTheDocumentOfASingleFile() throws IOException {
        assertEquals(201, uploads().store("faq", List.of(file("C:\\Users\\me\\notes.md", "# N\n\nNote text.\n")), "kb-42").status());
        assertEquals("kb-42", stored.get(0).id());
        assertEquals("notes.md", stored.get(0).source(), "the client's folders are dropped");

        ApiException two = assertThrows(ApiException.class, () -> uploads().store("faq",
                List.of(file("a.md", "# A\n\nText.\n"), file("b.md", "# B\n\nText.\n")), "kb-42"));
        assertEquals("'id' names one document: send one file with it, not 2", two.getMessage());
        ApiException none = assertThrows(ApiException.class, () -> uploads().store("faq", List.of(), null));
        assertEquals("no_files", none.code());
    }

    @Test
    void aJsonlFileStoresItsGoodRecordsAndListsItsBadLines() throws IOException {
        DocumentUploads.Outcome outcome = uploads().store("faq", List.of(file("faq.jsonl", """
                {"id": "q1", "title": "Refunds", "text": "Refunds take five days.", "tags": ["billing"]}
                {"id": "q2", "title": "Broken", "text":
                {"id": "q3", "title": "Fees", "text": "There is no monthly fee."}
                """)), null);

        assertEquals(200, outcome.status(), "a line was not stored");
        KnowledgeViews.FileResult file = outcome.body().files().get(0);
        assertEquals("stored", file.status());
        assertEquals(List.of("q1", "q3"), file.documents().stream().map(KnowledgeViews.Stored::id).toList());
        assertEquals(1, file.lineFailures().size());
        assertEquals("faq.jsonl:2", file.lineFailures().get(0).source());
        assertEquals(List.of("billing"), stored.get(0).tags());
    }

    @Test
    void aDocumentIdIsStoredOncePerUploadAndAnUnindexableFileIsNamed() throws IOException {
        DocumentUploads.Outcome outcome = uploads().store("faq", List.of(
                file("a.md", "# A\n\nFirst.\n"), file("a.txt", "Second."), file("headings.md", "# Only\n\n## Headings\n")), null);

        assertEquals(List.of("a"), stored.stream().map(Document::id).toList());
        KnowledgeViews.FileError duplicate = outcome.body().files().get(1).error();
        assertEquals(409, duplicate.status());
        assertEquals("a.txt: document id 'a' was already stored from a.md in this upload", duplicate.message());
        KnowledgeViews.FileError unindexable = outcome.body().files().get(2).error();
        assertEquals(422, unindexable.status());
        assertEquals("headings.md: document headings: text has nothing but headings", unindexable.message());
    }

    @Test
    void sizesReadLikePeopleWriteThem() {
        assertEquals("25.3 MB; the limit is 20 MB", DocumentUploads.sizes(26_528_972L, 20L * 1024 * 1024));
        assertEquals("20971521 bytes; the limit is 20971520 bytes", DocumentUploads.sizes(20L * 1024 * 1024 + 1, 20L * 1024 * 1024));
        assertEquals("900 bytes", DocumentUploads.size(900));
        assertEquals("a.pdf", DocumentUploads.baseName("../../a.pdf"));
        assertEquals("", DocumentUploads.extension(".hidden"));
        assertEquals(".pdf", DocumentUploads.extension("A.PDF"));
    }
}
