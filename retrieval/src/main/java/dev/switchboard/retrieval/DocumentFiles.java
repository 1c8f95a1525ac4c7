package dev.switchboard.retrieval;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Parses files into {@link Document}s: the one place that knows the supported formats, used by
 * folder ingestion ({@link KnowledgeIndex#ingest(java.nio.file.Path)}) and by uploads.
 *
 * <table>
 *   <caption>Formats, by extension (case-insensitive)</caption>
 *   <tr><th>extension</th><th>text</th></tr>
 *   <tr><td>{@code .md}, {@code .markdown}, {@code .txt}</td><td>the file itself (strict UTF-8, a
 *       leading byte-order mark dropped)</td></tr>
 *   <tr><td>{@code .html}, {@code .htm}</td><td>Apache Tika (charset from BOM / meta / detection),
 *       converted to Markdown: headings {@code h1..h6} → {@code #..######}, paragraphs, list items,
 *       table rows; {@code nav}, scripts and styles dropped</td></tr>
 *   <tr><td>{@code .docx}</td><td>Tika: Word heading styles → headings, list paragraphs → list
 *       items, tables → rows; page headers/footers left out</td></tr>
 *   <tr><td>{@code .pdf}</td><td>Tika (PDFBox): paragraphs; headings and lists too when the PDF is
 *       tagged. No OCR: a scanned PDF has no text</td></tr>
 *   <tr><td>{@code .jsonl}</td><td>one document per line, see {@link JsonlRecords}: {@code id},
 *       {@code text}, optional {@code title}, {@code tags}, {@code updated_at}, {@code source},
 *       other scalar fields → metadata</td></tr>
 * </table>
 *
 * <p>A single-document file becomes one document with the given id, {@code source} = the file
 * name, and title = its first {@code # } heading, else the document's metadata title (HTML
 * {@code <title>}, PDF/DOCX properties), else the file name without extension. A JSONL file becomes
 * one document per record, with the record's own id.
 *
 * <p>Errors name the file and the reason: {@code "<file>: <reason>"}, e.g.
 * {@code "manual.pdf: file is 25.3 MB; the limit is 20 MB"}.
 */
public final class DocumentFiles {

    /** Default size limit of one file: 20 MB. */
    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;

    private static final Set<String> TEXT = Set.of("md", "markdown", "txt");
    private static final Set<String> EXTENSIONS = Collections.unmodifiableSet(
            new TreeSet<>(Set.of("md", "markdown", "txt", "html", "htm", "pdf", "docx", "jsonl")));
    /** How many bad JSONL lines {@link #parse} names in its message. */
    private static final int LINES_NAMED = 3;

    private DocumentFiles() {
    }

    /** The supported extensions, lower case without the dot, sorted. */
    public static Set<String> supportedExtensions() {
        return EXTENSIONS;
    }

    /** Whether {@code fileName}'s extension is supported. */
    public static boolean isSupported(String fileName) {
        return EXTENSIONS.contains(extension(fileName));
    }

    /**
     * Parses one uploaded/ingested file into documents (one, or one per JSONL line), with the
     * {@link #DEFAULT_MAX_BYTES default size limit}.
     *
     * @param documentId the id of the document (ignored for {@code .jsonl}, whose records carry theirs)
     * @param fileName   the file's name, which selects the format by its extension and becomes the source
     * @param content    the file's bytes
     * @param updatedAt  the documents' update time (JSONL records may carry their own)
     * @throws IllegalArgumentException naming the file and reason: unsupported type (listing the
     *                                  supported ones), empty, oversized ("is 25.3 MB; the limit is 20
     *                                  MB"), corrupt/unreadable, or a bad JSONL line (naming
     *                                  {@code file:line}); nothing of the file is returned then
     */
    public static List<Document> parse(String documentId, String fileName, byte[] content, Instant updatedAt) {
        return parse(documentId, fileName, content, updatedAt, DEFAULT_MAX_BYTES);
    }

    /** {@link #parse(String, String, byte[], Instant)} with a size limit of {@code maxBytes}. */
    public static List<Document> parse(String documentId, String fileName, byte[] content, Instant updatedAt,
                                       long maxBytes) {
        Parsed parsed = parseLenient(documentId, fileName, content, updatedAt, maxBytes);
        List<IngestFailure> bad = parsed.failures();
        if (bad.size() == 1) {
            throw new Rejected(bad.getFirst().source(), bad.getFirst().reason());
        }
        if (!bad.isEmpty()) {
            String named = bad.stream().limit(LINES_NAMED)
                    .map(f -> "line " + f.source().substring(f.source().lastIndexOf(':') + 1) + ": " + f.reason())
                    .collect(Collectors.joining("; "));
            String more = bad.size() > LINES_NAMED ? "; and " + (bad.size() - LINES_NAMED) + " more" : "";
            throw new Rejected(fileName, bad.size() + " bad lines: " + named + more);
        }
        return parsed.documents();
    }

    /**
     * Like {@link #parse(String, String, byte[], Instant, long)}, but a JSONL file's good lines are
     * returned even when other lines are bad: those are listed as failures named
     * {@code file:line}.
     *
     * @throws IllegalArgumentException as {@code parse} does for a problem of the whole file
     */
    public static Parsed parseLenient(String documentId, String fileName, byte[] content, Instant updatedAt,
                                      long maxBytes) {
        List<IngestFailure> failures = new ArrayList<>();
        List<Document> documents = read(documentId, fileName, content, updatedAt, maxBytes, failures).stream()
                .map(JsonlRecords.Located::document)
                .toList();
        return new Parsed(documents, failures);
    }

    /**
     * What {@link #parseLenient} read.
     *
     * @param documents the documents, in file order
     * @param failures  the bad lines of a JSONL file ({@code source} = {@code file:line}); empty otherwise
     */
    public record Parsed(List<Document> documents, List<IngestFailure> failures) {
        public Parsed {
            documents = List.copyOf(documents);
            failures = List.copyOf(failures);
        }
    }

    /** Documents with where each came from; bad JSONL lines are added to {@code failures}. */
    static List<JsonlRecords.Located> read(String documentId, String fileName, byte[] content, Instant updatedAt,
                                          long maxBytes, List<IngestFailure> failures) {
        Objects.requireNonNull(fileName, "file name must not be null");
        Objects.requireNonNull(content, "content must not be null");
        Objects.requireNonNull(updatedAt, "updatedAt must not be null");
        String ext = checkSupported(fileName);
        checkSize(fileName, content.length, maxBytes);
        if (content.length == 0) {
            throw new Rejected(fileName, "empty file");
        }
        if (ext.equals("jsonl")) {
            JsonlRecords.Result result = JsonlRecords.read(fileName, decode(fileName, content), updatedAt);
            if (result.documents().isEmpty() && result.failures().isEmpty()) {
                throw new Rejected(fileName, "empty file");
            }
            failures.addAll(result.failures());
            return result.documents();
        }
        Objects.requireNonNull(documentId, "document id must not be null");
        if (documentId.isBlank()) {
            throw new IllegalArgumentException("document id must not be blank");
        }
        String text;
        String metadataTitle = "";
        if (TEXT.contains(ext)) {
            text = decode(fileName, content);
            if (text.isBlank()) {
                throw new Rejected(fileName, "empty file");
            }
        } else {
            TikaText.Extracted extracted;
            try {
                extracted = switch (ext) {
                    case "html", "htm" -> TikaText.html(fileName, content);
                    case "pdf" -> TikaText.pdf(fileName, content);
                    case "docx" -> TikaText.docx(fileName, content);
                    default -> throw new IllegalStateException("no parser for ." + ext);
                };
            } catch (TikaText.Unreadable e) {
                throw new Rejected(fileName, e.getMessage(), e);
            }
            text = extracted.markdown();
            metadataTitle = extracted.metadataTitle();
            if (text.isBlank()) {
                throw new Rejected(fileName, ext.equals("pdf")
                        ? "no text found (a scanned PDF needs OCR, which is not supported)" : "no text found");
            }
        }
        String title = Chunker.title(text).orElse(metadataTitle.isBlank() ? stem(fileName, ext) : metadataTitle);
        Document document = new Document(documentId, title, text, fileName, Map.of(), List.of(), updatedAt);
        return List.of(new JsonlRecords.Located(document, fileName));
    }

    /**
     * Returns the lower-case extension of a supported file.
     *
     * @throws IllegalArgumentException naming the file, its type and the supported ones
     */
    static String checkSupported(String fileName) {
        String ext = extension(fileName);
        if (!EXTENSIONS.contains(ext)) {
            String supported = EXTENSIONS.stream().map(e -> "." + e).collect(Collectors.joining(", "));
            throw new Rejected(fileName, (ext.isEmpty() ? "unsupported file type (no extension)"
                    : "unsupported file type '." + ext + "'") + "; supported: " + supported);
        }
        return ext;
    }

    /** @throws IllegalArgumentException if {@code size > maxBytes}, naming both in MB, KB or bytes */
    static void checkSize(String fileName, long size, long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
        }
        if (size > maxBytes) {
            String is = size(size);
            String limit = size(maxBytes);
            if (is.equals(limit)) { // e.g. 20 MB + 1 byte: only the byte counts tell them apart
                is = size + " bytes";
                limit = maxBytes + " bytes";
            }
            throw new Rejected(fileName, "file is " + is + "; the limit is " + limit);
        }
    }

    /** 1 decimal in the largest unit that is >= 1 (MB = 2^20 bytes): "25.3 MB", "20 MB", "1.5 KB", "900 bytes". */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        double value = bytes >= 1024 * 1024 ? bytes / (1024.0 * 1024) : bytes / 1024.0;
        String unit = bytes >= 1024 * 1024 ? " MB" : " KB";
        String number = String.format(Locale.ROOT, "%.1f", value);
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + unit;
    }

    static String extension(String fileName) {
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stem(String fileName, String ext) {
        String name = fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
        return name.substring(0, name.length() - ext.length() - 1);
    }

    /** Strict UTF-8 (malformed input is an error, not U+FFFD), without a leading byte-order mark. */
    private static String decode(String fileName, byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new Rejected(fileName, "not valid UTF-8 text");
        }
    }

    /** A file (or line) that cannot be ingested; {@link #reason()} is the message without the file. */
    static final class Rejected extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Rejected(String where, String reason) {
            this(where, reason, null);
        }

        Rejected(String where, String reason, Throwable cause) {
            super(where + ": " + reason, cause);
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }
}
