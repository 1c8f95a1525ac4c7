package dev.switchboard.retrieval;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.html.DefaultHtmlMapper;
import org.apache.tika.parser.html.HtmlMapper;
import org.apache.tika.parser.html.JSoupParser;
import org.apache.tika.parser.microsoft.OfficeParserConfig;
import org.apache.tika.parser.microsoft.ooxml.OOXMLParser;
import org.apache.tika.parser.pdf.PDFParser;
import org.apache.tika.parser.pdf.PDFParserConfig;

/**
 * Extracts structured text from HTML, PDF and DOCX with Apache Tika and converts it to Markdown
 * ({@link XhtmlToMarkdown}).
 *
 * <p>Each format uses its Tika parser directly (no type detection: the extension decides).
 * Configuration: HTML keeps {@code div}/{@code section}/{@code br} boundaries and drops
 * {@code nav}, {@code script}, {@code style}, {@code noscript}, {@code template}; PDF uses the
 * document's tag structure (headings, paragraphs, lists) when the PDF is tagged, and leaves out
 * bookmarks, annotations and OCR; DOCX leaves out page headers and footers. Embedded files
 * (images in a DOCX, attachments in a PDF) are not extracted. Thread-safe.
 */
final class TikaText {

    /** Converted text and the document's metadata title (empty if none). */
    record Extracted(String markdown, String metadataTitle) {
    }

    /** The reason a file could not be parsed, without the file name. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    static {
        // PDFBox caches its scan of the system fonts in ~/.pdfbox.cache unless told otherwise: keep it
        // in the temporary folder, which Switchboard's launcher and build point into the project.
        System.getProperties().putIfAbsent("pdfbox.fontcache", System.getProperty("java.io.tmpdir"));
    }

    private static final Parser HTML = new JSoupParser();
    private static final Parser PDF = new PDFParser();
    private static final Parser DOCX = new OOXMLParser();

    private TikaText() {
    }

    static Extracted html(String fileName, byte[] content) throws Unreadable {
        ParseContext context = context();
        context.set(HtmlMapper.class, new BlockKeepingHtmlMapper());
        return parse(HTML, "HTML file", fileName, content, context);
    }

    static Extracted pdf(String fileName, byte[] content) throws Unreadable {
        if (!hasPdfHeader(content)) { // PDFBox would only say "Missing root object specification in trailer."
            throw new Unreadable("not a readable PDF: no %PDF- header (the file is damaged or not a PDF)", null);
        }
        ParseContext context = context();
        PDFParserConfig config = new PDFParserConfig();
        config.setExtractMarkedContent(true); // tagged PDFs: h1..h6, p, li from the structure tree
        config.setExtractBookmarksText(false); // the outline would repeat the headings at the end
        config.setExtractAnnotationText(false);
        config.setExtractInlineImages(false);
        config.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        context.set(PDFParserConfig.class, config);
        return parse(PDF, "PDF", fileName, content, context);
    }

    static Extracted docx(String fileName, byte[] content) throws Unreadable {
        if (content.length >= 4 && (content[0] & 0xFF) == 0xD0 && (content[1] & 0xFF) == 0xCF
                && (content[2] & 0xFF) == 0x11 && (content[3] & 0xFF) == 0xE0) {
            // OLE2 container: a legacy .doc renamed, or an encrypted (password-protected) .docx
            throw new Unreadable("not a DOCX file but an OLE2 container (a legacy Word .doc, or a password-protected"
                    + " document): save it as an unprotected .docx", null);
        }
        ParseContext context = context();
        OfficeParserConfig config = new OfficeParserConfig();
        config.setIncludeHeadersAndFooters(false); // page furniture, repeated on every page
        context.set(OfficeParserConfig.class, config);
        return parse(DOCX, "DOCX file", fileName, content, context);
    }

    /** The PDF header may follow up to 1 KB of junk (readers accept that). */
    private static boolean hasPdfHeader(byte[] content) {
        byte[] magic = {'%', 'P', 'D', 'F', '-'};
        int last = Math.min(content.length - magic.length, 1024);
        for (int i = 0; i <= last; i++) {
            int j = 0;
            while (j < magic.length && content[i + j] == magic[j]) {
                j++;
            }
            if (j == magic.length) {
                return true;
            }
        }
        return false;
    }

    private static ParseContext context() {
        ParseContext context = new ParseContext();
        context.set(EmbeddedDocumentExtractor.class, NoEmbedded.INSTANCE);
        return context;
    }

    private static Extracted parse(Parser parser, String kind, String fileName, byte[] content, ParseContext context)
            throws Unreadable {
        Metadata metadata = new Metadata();
        metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        XhtmlToMarkdown handler = new XhtmlToMarkdown();
        try (InputStream in = new ByteArrayInputStream(content)) {
            parser.parse(in, handler, metadata, context);
        } catch (EncryptedDocumentException e) {
            throw new Unreadable("the " + kind + " is password-protected", e);
        } catch (Exception e) {
            // Parsers of damaged files throw anything from TikaException to NullPointerException.
            throw new Unreadable("not a readable " + kind + ": " + rootMessage(e), e);
        }
        String title = metadata.get(TikaCoreProperties.TITLE);
        return new Extracted(handler.markdown(), title == null ? "" : title.strip());
    }

    /** The innermost cause's message (Tika's wrappers add object ids, not information). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getMessage();
        }
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message.strip();
    }

    /** Tika's safe HTML elements, plus the layout blocks that separate paragraphs, minus navigation. */
    private static final class BlockKeepingHtmlMapper extends DefaultHtmlMapper {
        private static final Set<String> BLOCKS = Set.of("DIV", "SECTION", "ARTICLE", "MAIN", "HEADER", "FOOTER",
                "ASIDE", "FIGURE", "FIGCAPTION", "DETAILS", "SUMMARY", "CENTER", "BR", "HR");
        private static final Set<String> DISCARDED = Set.of("NAV", "NOSCRIPT", "TEMPLATE", "SVG", "CANVAS", "BUTTON",
                "SELECT");

        @Override
        public String mapSafeElement(String name) {
            String safe = super.mapSafeElement(name);
            return safe != null ? safe : BLOCKS.contains(name) ? name.toLowerCase(Locale.ROOT) : null;
        }

        @Override
        public boolean isDiscardElement(String name) {
            return super.isDiscardElement(name) || DISCARDED.contains(name);
        }
    }

    /** Skips embedded resources: Tika would otherwise write each one's file name as an {@code h1}. */
    private enum NoEmbedded implements EmbeddedDocumentExtractor {
        INSTANCE;

        @Override
        public boolean shouldParseEmbedded(Metadata metadata) {
            return false;
        }

        @Override
        public void parseEmbedded(InputStream stream, org.xml.sax.ContentHandler handler, Metadata metadata,
                                  boolean outputHtml) {
            // never called: shouldParseEmbedded is false
        }
    }
}
