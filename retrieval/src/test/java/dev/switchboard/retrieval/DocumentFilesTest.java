package dev.switchboard.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;

class DocumentFilesTest {

    private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");
    private static final String SUPPORTED = "supported: .docx, .htm, .html, .jsonl, .markdown, .md, .pdf, .txt";

    private static Document one(String fileName, byte[] content) {
        List<Document> docs = DocumentFiles.parse("doc-1", fileName, content, T);
        assertEquals(1, docs.size());
        return docs.getFirst();
    }

    private static List<String> sections(Document d) {
        return new Chunker().chunk(d.text()).stream().map(Chunk::section).toList();
    }

    private static String rejection(String fileName, byte[] content) {
        return assertThrows(IllegalArgumentException.class, () -> DocumentFiles.parse("doc-1", fileName, content, T)).getMessage();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void supportedExtensionsAreListedSorted() {
        assertEquals(List.of("docx", "htm", "html", "jsonl", "markdown", "md", "pdf", "txt"),
                List.copyOf(DocumentFiles.supportedExtensions()));
        assertTrue(DocumentFiles.isSupported("Guide.PDF"));
        assertFalse(DocumentFiles.isSupported("notes.csv"));
    }

    @Test
    void htmlBecomesMarkdownWhoseHeadingsAreSectionPaths() {
        Document d = one("help/lost-card.html", FixtureFiles.html());

        assertEquals("""
                # Lost or stolen card

                If your card is lost or stolen, freeze it in the app right away.

                ## Freeze your card

                Open the app and tap Cards.

                Tap Freeze.
                Your card is frozen at once.

                ## Order a replacement

                1. Tap Replace card.
                2. Confirm your address.
                  - UK addresses: 3 working days
                  - Abroad: up to 10 days

                ### Fees

                Card | Fee
                Standard | Free
                Metal | £5

                \\# is the key for the account number

                ```
                Settings > Cards
                  > Replace
                ```

                © 2026 Harbor Bank""", d.text());
        assertEquals("Lost or stolen card", d.title(), "the h1, not the <title>");
        assertEquals("doc-1", d.id());
        assertEquals("help/lost-card.html", d.source());
        assertEquals(T, d.updatedAt());
        assertEquals(List.of("", "Freeze your card", "Order a replacement", "Order a replacement > Fees"), sections(d));
        assertFalse(d.text().contains("analytics") || d.text().contains("font-family") || d.text().contains("Help >"),
                "scripts, styles and navigation are dropped");
    }

    @Test
    void htmlIsDecodedInItsDeclaredCharsetAndBulletParagraphsBecomeListItems() {
        String html = "<html><head><meta charset=\"iso-8859-1\"></head><body><h1>Café hours</h1>"
                + "<p>&bull; Open the app</p><p>&#8226;\tTap Help</p><p>```not a fence</p><p>## not a heading</p></body></html>";
        Document d = one("cafe.html", html.getBytes(StandardCharsets.ISO_8859_1));

        assertEquals("# Café hours\n\n- Open the app\n- Tap Help\n\n\\```not a fence\n\n\\## not a heading", d.text());
        assertEquals(List.of(""), sections(d), "escaped lines start no section");
    }

    @Test
    void titleIsTheFirstHeadingElseTheMetadataTitleElseTheFileName() {
        String withTitle = "<html><head><title> Opening hours </title></head><body><p>We are open 24/7.</p></body></html>";
        assertEquals("Opening hours", one("hours.html", utf8(withTitle)).title());
        assertEquals("opening-hours", one("faq/opening-hours.htm", utf8("<p>We are open 24/7.</p>")).title());
        assertEquals("notes", one("notes.txt", utf8("Plain text, no heading.")).title());
        assertEquals("Fees", one("fees.md", utf8("Intro.\n\n# Fees\n\nNone.")).title());
    }

    @Test
    void docxHeadingsListsAndTablesAreKept() {
        Document d = one("limits.docx", FixtureFiles.docx());

        assertEquals("""
                # Card limits

                Every card has daily limits for cash and payments.

                ## ATM withdrawals

                You can withdraw up to 500 EUR a day from ATMs.

                - Free up to 200 EUR a month
                - 2% above that

                ### Contactless

                Contactless payments are limited to 50 EUR each.

                Plan | Daily limit
                Metal | 3000 EUR""", d.text());
        assertEquals("Card limits", d.title(), "the Heading 1, not the document properties' title");
        assertEquals(List.of("", "ATM withdrawals", "ATM withdrawals > Contactless"), sections(d));
    }

    @Test
    void pdfGivesParagraphsAndItsMetadataTitle() {
        Document d = one("travel.pdf", FixtureFiles.pdf());

        assertEquals("""
                You do not need to tell us before you travel.

                Your card works in every country that accepts Mastercard.

                Cash withdrawals abroad cost 2% of the amount.""", d.text());
        assertEquals("Travel notice", d.title());
    }

    @Test
    void taggedPdfHeadingsBecomeSectionPaths() {
        Document d = one("disputes.pdf", FixtureFiles.taggedPdf());

        assertEquals("""
                # Disputes

                You can dispute a card payment within 120 days.

                ## Chargebacks

                We ask the merchant's bank to return the money.""", d.text());
        assertEquals("Disputes", d.title());
        assertEquals(List.of("", "Chargebacks"), sections(d));
    }

    @Test
    void unsupportedEmptyAndUndecodableFilesAreRejectedByName() {
        assertEquals("setup.exe: unsupported file type '.exe'; " + SUPPORTED, rejection("setup.exe", new byte[] {'M', 'Z'}));
        assertEquals("README: unsupported file type (no extension); " + SUPPORTED, rejection("README", utf8("hi")));
        assertEquals("empty.pdf: empty file", rejection("empty.pdf", new byte[0]));
        assertEquals("blank.md: empty file", rejection("blank.md", utf8(" \n\t\n")));
        assertEquals("latin1.txt: not valid UTF-8 text", rejection("latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xE9}));
        assertEquals("script.html: no text found", rejection("script.html", utf8("<html><body><script>var a;</script></body></html>")));
        assertEquals("blank.pdf: no text found (a scanned PDF needs OCR, which is not supported)", rejection("blank.pdf", blankPdf()));
    }

    @Test
    void oversizedFilesAreRejectedWithTheirSizeAndTheLimit() {
        byte[] big = new byte[(int) (25.3 * 1024 * 1024)];
        assertEquals("manual.pdf: file is 25.3 MB; the limit is 20 MB", rejection("manual.pdf", big));

        var small = assertThrows(IllegalArgumentException.class,
                () -> DocumentFiles.parse("a", "a.txt", new byte[1536], T, 1024));
        assertEquals("a.txt: file is 1.5 KB; the limit is 1 KB", small.getMessage());
        var justOver = assertThrows(IllegalArgumentException.class,
                () -> DocumentFiles.checkSize("b.pdf", DocumentFiles.DEFAULT_MAX_BYTES + 1, DocumentFiles.DEFAULT_MAX_BYTES));
        assertEquals("b.pdf: file is 20971521 bytes; the limit is 20971520 bytes", justOver.getMessage());
        assertEquals("a", DocumentFiles.parse("a", "a.txt", utf8("x".repeat(1024)), T, 1024).getFirst().id(), "the limit itself is allowed");
    }

    @Test
    void corruptFilesAreRejectedAsUnreadable() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        assertEquals("corrupt.pdf: not a readable PDF: no %PDF- header (the file is damaged or not a PDF)",
                rejection("corrupt.pdf", noise));
        assertEquals("corrupt.docx: not a readable DOCX file: Cannot find zip signature within the file",
                rejection("corrupt.docx", noise));

        byte[] pdf = FixtureFiles.pdf();
        String truncated = rejection("truncated.pdf", Arrays.copyOf(pdf, pdf.length / 2));
        assertTrue(truncated.startsWith("truncated.pdf: not a readable PDF: "), truncated);
        byte[] docx = FixtureFiles.docx();
        String cut = rejection("cut.docx", Arrays.copyOf(docx, docx.length / 2));
        assertTrue(cut.startsWith("cut.docx: not a readable DOCX file: "), cut);

        byte[] ole2 = {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1, 0, 0};
        assertEquals("old.docx: not a DOCX file but an OLE2 container (a legacy Word .doc, or a password-protected"
                + " document): save it as an unprotected .docx", rejection("old.docx", ole2));
    }

    @Test
    void jsonlRecordsMapIdTitleTextTagsUpdatedAtSourceAndMetadata() {
        String jsonl = """
                {"id": "faq1", "title": "Fees", "text": "No monthly fee.", "tags": ["billing", "fees"], "updated_at": "2024-01-31T08:00:00Z", "source": "https://help.example/fees", "category": "Billing", "views": 12, "rating": 4.5, "public": true, "extra": {"a": 1}, "link": null}

                {"id": 7, "text": "# Opening hours\\n\\nWe are open 24/7.", "updated_at": "2024-02-01"}
                """;
        List<Document> docs = DocumentFiles.parse(null, "kb/corpus.jsonl", utf8(jsonl), T);

        assertEquals(2, docs.size());
        Document fees = docs.get(0);
        assertEquals("faq1", fees.id());
        assertEquals("Fees", fees.title());
        assertEquals("No monthly fee.", fees.text());
        assertEquals(List.of("billing", "fees"), fees.tags());
        assertEquals(Instant.parse("2024-01-31T08:00:00Z"), fees.updatedAt());
        assertEquals("https://help.example/fees", fees.source());
        assertEquals(Map.of("category", "Billing", "views", "12", "rating", "4.5", "public", "true"), fees.metadata());
        Document hours = docs.get(1);
        assertEquals("7", hours.id());
        assertEquals("Opening hours", hours.title(), "no title field: the first heading");
        assertEquals("kb/corpus.jsonl", hours.source(), "no source field: the file");
        assertEquals(Instant.parse("2024-02-01T00:00:00Z"), hours.updatedAt());
        assertEquals(List.of(), hours.tags());
        assertEquals(Map.of(), hours.metadata());
    }

    private static final String BAD_JSONL = """
            {"id": "a", "text": "Good line one."}
            {"id": "b", "text": oops}
            {"id": "c"}
            {"id": "d", "text": "Tags as a string.", "tags": "billing"}
            {"id": "a", "text": "Same id as line 1."}
            {"id": "e", "text": "Reserved field.", "collection": "other"}
            {"id": "f", "text": "Bad date.", "updated_at": "yesterday"}
            ["not", "an", "object"]
            {"text": "No id."}
            {"id": "g", "id": "h", "text": "Twice."}
            {"id": "i", "text": "Good line two."}
            """;

    @Test
    void badJsonlLinesAreNamedByFileAndLineAndTheGoodLinesStillCount() {
        DocumentFiles.Parsed parsed = DocumentFiles.parseLenient(null, "corpus.jsonl", utf8(BAD_JSONL), T,
                DocumentFiles.DEFAULT_MAX_BYTES);

        assertEquals(List.of("a", "i"), parsed.documents().stream().map(Document::id).toList());
        assertEquals(List.of(
                new IngestFailure("corpus.jsonl:2", "not valid JSON: Unrecognized token 'oops': was expecting (JSON String,"
                        + " Number, Array, Object or token 'null', 'true' or 'false')"),
                new IngestFailure("corpus.jsonl:3", "missing \"text\""),
                new IngestFailure("corpus.jsonl:4", "\"tags\" must be an array of non-blank strings"),
                new IngestFailure("corpus.jsonl:5", "duplicate id 'a' (first on line 1)"),
                new IngestFailure("corpus.jsonl:6", "field \"collection\" is reserved (rename it)"),
                new IngestFailure("corpus.jsonl:7", "\"updated_at\" is not an ISO-8601 date or date-time: \"yesterday\""),
                new IngestFailure("corpus.jsonl:8", "not a JSON object"),
                new IngestFailure("corpus.jsonl:9", "missing \"id\""),
                new IngestFailure("corpus.jsonl:10", "field \"id\" appears twice")), parsed.failures());

        String all = assertThrows(IllegalArgumentException.class,
                () -> DocumentFiles.parse(null, "corpus.jsonl", utf8(BAD_JSONL), T)).getMessage();
        assertEquals("corpus.jsonl: 9 bad lines: line 2: not valid JSON: Unrecognized token 'oops': was expecting (JSON"
                + " String, Number, Array, Object or token 'null', 'true' or 'false'); line 3: missing \"text\"; line 4:"
                + " \"tags\" must be an array of non-blank strings; and 6 more", all);
        String single = assertThrows(IllegalArgumentException.class, () -> DocumentFiles.parse(null, "c.jsonl",
                utf8("{\"id\": \"a\", \"text\": \"ok\"}\n{\"id\": \"b\", \"text\": \" \"}\n"), T)).getMessage();
        assertEquals("c.jsonl:2: \"text\" is blank", single);
        assertEquals("blank.jsonl: empty file", rejection("blank.jsonl", utf8("\n  \n")));
    }

    @Test
    void readsTheSharedCorpusFormat() throws IOException {
        Path corpus = Path.of(System.getProperty("switchboard.datasets", "../../shared/datasets"), "covid_faq", "corpus.jsonl");
        byte[] content = Files.readAllBytes(corpus);
        long lines = new String(content, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count();

        List<Document> docs = DocumentFiles.parse(null, "covid_faq/corpus.jsonl", content, T);

        assertEquals(lines, docs.size());
        Document first = docs.getFirst();
        assertEquals("faq0", first.id());
        assertEquals("What is a novel coronavirus?", first.title());
        assertEquals("Center for Disease Control and Prevention (CDC)", first.source());
        assertEquals("Coronavirus Disease 2019 Basics", first.metadata().get("category"));
        assertEquals("2020/03/17", first.metadata().get("last_update"));
        assertEquals("https://www.cdc.gov/coronavirus/2019-ncov/faq.html", first.metadata().get("link"),
                "the dataset's value starts with a newline: metadata values are stripped");
        assertEquals(T, first.updatedAt());
    }

    private static byte[] blankPdf() {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.addPage(new PDPage());
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
