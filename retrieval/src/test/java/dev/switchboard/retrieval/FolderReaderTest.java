package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderReaderTest {

    @TempDir
    Path tmp;

    /** A folder with every supported format, failing files of each kind, and hidden entries. */
    static Path mixedFolder(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("cards"));
        Files.createDirectories(dir.resolve(".git"));
        Files.write(dir.resolve("cards/lost-card.html"), FixtureFiles.html());
        Files.write(dir.resolve("cards/limits.docx"), FixtureFiles.docx());
        Files.write(dir.resolve("travel.pdf"), FixtureFiles.pdf());
        Files.write(dir.resolve("disputes.pdf"), FixtureFiles.taggedPdf());
        Files.writeString(dir.resolve("welcome.md"), "# Welcome\n\nHarbor Bank is an app-based bank.\n");
        Files.writeString(dir.resolve("faq.jsonl"), """
                {"id": "faq/iban", "title": "Where is my IBAN?", "text": "Your IBAN is under Account details.", "tags": ["account"], "updated_at": "2024-03-01"}
                {"id": "faq/broken", "text": }
                {"id": "welcome", "text": "Takes the id of welcome.md."}
                {"id": "faq/pin", "title": "Forgot PIN", "text": "Tap Cards, then Show PIN.", "tags": ["cards", "security"], "product": "debit"}
                """);
        Files.write(dir.resolve("setup.exe"), new byte[] {'M', 'Z', 0, 0});
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        byte[] noise = new byte[2048];
        new Random(11).nextBytes(noise);
        Files.write(dir.resolve("corrupt.pdf"), noise);
        Files.writeString(dir.resolve(".draft.md"), "# Draft\n\nNot ready.");
        Files.writeString(dir.resolve(".git/config"), "[core]");
        return dir;
    }

    @Test
    void everyFileBecomesDocumentsOrAFailureAndHiddenOnesAreSkipped() throws IOException {
        Path dir = mixedFolder(tmp.resolve("kb"));
        Files.writeString(dir.resolve("big.md"), "# Big\n\n" + "Long text. ".repeat(400));
        Instant modified = Instant.parse("2024-04-02T03:04:05Z");
        Files.setLastModifiedTime(dir.resolve("travel.pdf"), FileTime.from(modified));

        FolderReader.Scan scan = FolderReader.read(dir, 4096);

        Map<String, Document> byId = scan.documents().stream().collect(Collectors.toMap(Document::id, Function.identity()));
        assertEquals(List.of("cards/limits", "cards/lost-card", "disputes", "faq/iban", "faq/pin", "travel", "welcome"),
                byId.keySet().stream().sorted().toList());
        assertEquals(List.of(".draft.md", ".git/"), scan.skipped());
        assertEquals(List.of(
                new IngestFailure("big.md", "file is 4.3 KB; the limit is 4 KB"),
                new IngestFailure("corrupt.pdf", "not a readable PDF: no %PDF- header (the file is damaged or not a PDF)"),
                new IngestFailure("empty.txt", "empty file"),
                new IngestFailure("faq.jsonl:2", "not valid JSON: Unexpected character ('}' (code 125)): expected a valid"
                        + " value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
                new IngestFailure("setup.exe", "unsupported file type '.exe'; supported: .docx, .htm, .html, .jsonl,"
                        + " .markdown, .md, .pdf, .txt"),
                new IngestFailure("welcome.md", "same document id 'welcome' as faq.jsonl:3")), scan.failures());

        assertEquals("Takes the id of welcome.md.", byId.get("welcome").text(), "the first file in path order keeps an id");
        Document html = byId.get("cards/lost-card");
        assertEquals("Lost or stolen card", html.title());
        assertEquals("cards/lost-card.html", html.source());
        assertEquals("Card limits", byId.get("cards/limits").title());
        assertEquals("Disputes", byId.get("disputes").title());
        Document pdf = byId.get("travel");
        assertEquals("Travel notice", pdf.title());
        assertEquals(modified, pdf.updatedAt(), "a file's documents carry its last-modified time");
        Document pin = byId.get("faq/pin");
        assertEquals(List.of("cards", "security"), pin.tags());
        assertEquals(Map.of("product", "debit"), pin.metadata());
        assertEquals("faq.jsonl", pin.source());
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), byId.get("faq/iban").updatedAt());
    }

    @Test
    void aSingleFileIsReadRelativeToItsFolder() throws IOException {
        Path dir = mixedFolder(tmp.resolve("kb"));

        FolderReader.Scan scan = FolderReader.read(dir.resolve("cards/limits.docx"));

        assertEquals(List.of("limits"), scan.documents().stream().map(Document::id).toList());
        assertEquals(List.of(), scan.failures());
        assertEquals(List.of(), scan.skipped());
        assertEquals("limits.docx", scan.documents().getFirst().source());
    }

    @Test
    void aMissingPathIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> FolderReader.read(tmp.resolve("nope")));
        assertEquals("no such file or folder: " + tmp.resolve("nope"), e.getMessage());
    }

    @Test
    void theDefaultLimitIsTwentyMegabytes() throws IOException {
        Path big = tmp.resolve("huge.txt");
        try (var channel = Files.newByteChannel(big, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.position(DocumentFiles.DEFAULT_MAX_BYTES); // sparse: 20 MB + 1 byte without writing them
            channel.write(java.nio.ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
        }

        FolderReader.Scan scan = FolderReader.read(tmp);

        assertEquals(List.of(new IngestFailure("huge.txt", "file is 20971521 bytes; the limit is 20971520 bytes")),
                scan.failures());
        assertEquals(List.of(), scan.documents());
    }
}
