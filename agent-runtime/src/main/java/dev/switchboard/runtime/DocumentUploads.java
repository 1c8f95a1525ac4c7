package dev.switchboard.runtime;

import dev.switchboard.retrieval.Document;
import dev.switchboard.retrieval.DocumentFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stores the files of one multipart upload, each on its own: a file that cannot be stored gets an
 * error entry naming it and the reason, and the other files are stored regardless — nothing already
 * accepted is lost. Per file, in order:
 * <ol>
 * <li>type: its extension must be one {@link DocumentFiles#supportedExtensions()} reads, else 415
 *     {@code unsupported_file_type};</li>
 * <li>size: empty → 422 {@code empty_file}; larger than the limit → 413 {@code file_too_large};</li>
 * <li>parsed with {@link DocumentFiles#parseLenient} (document id = the form field {@code id} if
 *     given, else the file name without its extension; a {@code .jsonl} file gives one document per
 *     record, and its bad lines are listed in {@code line_failures} while its good ones are stored): a
 *     corrupt file, or a JSONL file without one good line → 422 {@code unreadable_file};</li>
 * <li>a document id an earlier file of the same upload already stored → 409 {@code duplicate_document_id};</li>
 * <li>stored (upserted): a document the index refuses → 422 {@code unindexable_file}.</li>
 * </ol>
 * The HTTP status of the whole upload: 201 when everything was stored, 200 when some files (or JSONL
 * lines) were not (they are listed in the body), and when no file was stored: the files' common
 * status, or 400 if they differ, with OpenAI's {@code error} object in the body besides the files.
 */
final class DocumentUploads {

    /** An uploaded file: the name the client gave, its size, and where its bytes are. */
    record Upload(String fileName, long size, Path content) {
        Upload {
            Objects.requireNonNull(content, "content");
        }
    }

    /** What storing documents did: one entry per document, with its chunk count. */
    @FunctionalInterface
    interface Store {
        /** @throws IllegalArgumentException if the index refuses a document */
        List<KnowledgeViews.Stored> store(List<Document> documents);
    }

    /** The HTTP status and body of an upload. */
    record Outcome(int status, KnowledgeViews.Uploaded body) {
    }

    private final long maxFileBytes;
    private final Store store;

    DocumentUploads(long maxFileBytes, Store store) {
        this.maxFileBytes = maxFileBytes;
        this.store = Objects.requireNonNull(store, "store");
    }

    Outcome store(String collection, List<Upload> files, String idField) {
        if (files.isEmpty()) {
            throw ApiException.invalid("no_files", "send one or more files as multipart/form-data parts named 'file'", "file");
        }
        if (idField != null && idField.isBlank()) {
            throw ApiException.invalid("empty_field", "'id' must not be empty", "id");
        }
        if (idField != null && files.size() > 1) {
            throw ApiException.invalid("invalid_value", "'id' names one document: send one file with it, not "
                    + files.size(), "id");
        }
        Instant now = Instant.now();
        Map<String, String> storedFrom = new HashMap<>();
        List<KnowledgeViews.FileResult> results = new ArrayList<>(files.size());
        for (Upload file : files) {
            String name = baseName(file.fileName());
            try {
                results.add(storeOne(file, name, idField, now, storedFrom));
            } catch (ApiException e) {
                results.add(KnowledgeViews.FileResult.failed(name, e));
            }
        }
        return outcome(collection, results);
    }

    private KnowledgeViews.FileResult storeOne(Upload file, String name, String idField, Instant now,
                                               Map<String, String> storedFrom) {
        if (name.isEmpty()) {
            throw ApiException.invalid("missing_file_name", "a file part has no file name", "file");
        }
        if (!DocumentFiles.isSupported(name)) {
            String extension = extension(name);
            throw ApiException.unsupportedType("unsupported_file_type", name + ": "
                    + (extension.isEmpty() ? "unsupported file type (no extension)" : "unsupported file type '" + extension + "'")
                    + "; supported: " + String.join(", ", supportedExtensions()), "file");
        }
        if (file.size() == 0) {
            throw ApiException.unprocessable("empty_file", name + ": empty file", "file");
        }
        if (file.size() > maxFileBytes) {
            throw ApiException.tooLarge("file_too_large", name + ": file is " + sizes(file.size(), maxFileBytes), "file");
        }
        String documentId = idField != null ? idField : name.substring(0, name.length() - extension(name).length());
        DocumentFiles.Parsed parsed;
        try {
            parsed = DocumentFiles.parseLenient(documentId, name, Files.readAllBytes(file.content()), now, maxFileBytes);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("unreadable_file", named(name, e.getMessage()), "file");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload of " + name + ": " + e.getMessage(), e);
        }
        List<KnowledgeViews.LineFailure> lines = parsed.failures().stream()
                .map(f -> new KnowledgeViews.LineFailure(f.source(), f.reason()))
                .toList();
        if (parsed.documents().isEmpty()) {
            throw ApiException.unprocessable("unreadable_file", name + ": no valid record; " + String.join("; ",
                    lines.stream().limit(3).map(l -> l.source() + ": " + l.reason()).toList()), "file");
        }
        for (Document d : parsed.documents()) {
            String earlier = storedFrom.get(d.id());
            if (earlier != null) {
                throw ApiException.conflict("duplicate_document_id", name + ": document id '" + d.id()
                        + "' was already stored from " + earlier + " in this upload", "file");
            }
        }
        List<KnowledgeViews.Stored> stored;
        try {
            stored = store.store(parsed.documents());
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("unindexable_file", named(name, e.getMessage()), "file");
        }
        parsed.documents().forEach(d -> storedFrom.put(d.id(), name));
        return KnowledgeViews.FileResult.stored(name, stored, lines);
    }

    private static Outcome outcome(String collection, List<KnowledgeViews.FileResult> results) {
        List<KnowledgeViews.FileResult> failures = results.stream().filter(r -> !r.ok()).toList();
        int stored = results.size() - failures.size();
        boolean complete = failures.isEmpty() && results.stream().allMatch(r -> r.lineFailures().isEmpty());
        if (stored > 0) {
            return new Outcome(complete ? 201 : 200,
                    new KnowledgeViews.Uploaded(collection, stored, failures.size(), results, null));
        }
        Set<Integer> statuses = new TreeSet<>();
        failures.forEach(f -> statuses.add(f.error().status()));
        int status = statuses.size() == 1 ? statuses.iterator().next() : 400;
        ApiError.Body error = failures.size() == 1
                ? new ApiError.Body(ApiError.typeFor(status), failures.get(0).error().code(), failures.get(0).error().message(), "file")
                : new ApiError.Body(ApiError.typeFor(status), "no_file_stored", "none of the " + failures.size()
                + " files was stored: " + String.join("; ", failures.stream().map(f -> f.error().message()).toList()), "file");
        return new Outcome(status, new KnowledgeViews.Uploaded(collection, 0, failures.size(), results, error));
    }

    /** Supported extensions with their dot, sorted. */
    static List<String> supportedExtensions() {
        return DocumentFiles.supportedExtensions().stream().map(e -> "." + e).sorted().toList();
    }

    /** The last path segment of a client's file name (browsers may send {@code C:\dir\a.pdf}). */
    static String baseName(String fileName) {
        if (fileName == null) {
            return "";
        }
        String s = fileName.strip();
        int cut = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        return s.substring(cut + 1).strip();
    }

    /** {@code .pdf} for {@code a.PDF}; empty when there is none (a leading dot is not an extension). */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    /**
     * "{@code 25.3 MB; the limit is 20 MB}": sizes in the largest unit &ge; 1 (MB = 2^20 bytes), one
     * decimal; in bytes when the rounded figures would read the same.
     */
    static String sizes(long size, long limit) {
        String is = size(size);
        String max = size(limit);
        if (is.equals(max)) {
            is = size + " bytes";
            max = limit + " bytes";
        }
        return is + "; the limit is " + max;
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        boolean mb = bytes >= 1024 * 1024;
        String number = String.format(Locale.ROOT, "%.1f", bytes / (mb ? 1024.0 * 1024 : 1024.0));
        return (number.endsWith(".0") ? number.substring(0, number.length() - 2) : number) + (mb ? " MB" : " KB");
    }

    private static String named(String name, String message) {
        return message != null && message.contains(name) ? message : name + ": " + message;
    }
}
