package dev.switchboard.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the files of a folder (recursively, in path order) into {@link Document}s with
 * {@link DocumentFiles}: Markdown, text, HTML, PDF, DOCX and JSONL.
 *
 * <p>Document id = path relative to the folder, {@code /}-separated, without extension (JSONL: each
 * record's id); source = the relative path; updatedAt = the file's last-modified time. Hidden files
 * and folders (name starting with {@code .}) are skipped without being read: they are listed in
 * {@link Scan#skipped()}, a hidden folder once as {@code name/}. Every other file yields documents or
 * a failure naming it and the reason: unsupported type, empty, larger than the limit (checked before
 * reading), not UTF-8, corrupt, a bad JSONL line ({@code file:line}), or a document id already
 * taken by an earlier file. The other files are read regardless.
 */
final class FolderReader {

    record Scan(List<Document> documents, List<String> skipped, List<IngestFailure> failures) {
    }

    private FolderReader() {
    }

    /**
     * Reads {@code fileOrFolder} with the {@link DocumentFiles#DEFAULT_MAX_BYTES default size limit};
     * a single file is read relative to its parent folder.
     *
     * @throws IllegalArgumentException if the path does not exist
     */
    static Scan read(Path fileOrFolder) {
        return read(fileOrFolder, DocumentFiles.DEFAULT_MAX_BYTES);
    }

    /** {@link #read(Path)} with a size limit per file. */
    static Scan read(Path fileOrFolder, long maxBytes) {
        if (!Files.exists(fileOrFolder)) {
            throw new IllegalArgumentException("no such file or folder: " + fileOrFolder);
        }
        Path root = Files.isDirectory(fileOrFolder) ? fileOrFolder : fileOrFolder.toAbsolutePath().getParent();
        List<String> skipped = new ArrayList<>();
        List<IngestFailure> failures = new ArrayList<>();
        List<Path> files = list(root, fileOrFolder, skipped, failures);
        List<Document> documents = new ArrayList<>();
        Map<String, String> sourceById = new HashMap<>();
        for (Path file : files) {
            String rel = relative(root, file);
            try {
                DocumentFiles.checkSupported(rel);
                DocumentFiles.checkSize(rel, Files.size(file), maxBytes);
                Instant modified = Files.getLastModifiedTime(file).toInstant();
                String ext = DocumentFiles.extension(rel);
                String id = rel.substring(0, rel.length() - ext.length() - 1);
                List<IngestFailure> bad = new ArrayList<>();
                byte[] content = Files.readAllBytes(file);
                for (JsonlRecords.Located located : DocumentFiles.read(id, rel, content, modified, maxBytes, bad)) {
                    Document d = located.document();
                    String previous = sourceById.putIfAbsent(d.id(), located.where());
                    if (previous != null) {
                        bad.add(new IngestFailure(located.where(), "same document id '" + d.id() + "' as " + previous));
                    } else {
                        documents.add(d);
                    }
                }
                failures.addAll(bad);
            } catch (DocumentFiles.Rejected e) {
                failures.add(new IngestFailure(rel, e.reason()));
            } catch (IOException e) {
                failures.add(new IngestFailure(rel, "cannot read: " + e.getMessage()));
            }
        }
        return new Scan(documents, skipped, failures);
    }

    /** The regular files under {@code start}, sorted; hidden entries go to {@code skipped}. */
    private static List<Path> list(Path root, Path start, List<String> skipped, List<IngestFailure> failures) {
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(start) && isHidden(dir)) {
                        skipped.add(relative(root, dir) + "/");
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (isHidden(file)) {
                        skipped.add(relative(root, file));
                    } else if (Files.isRegularFile(file)) { // follows a symbolic link to a file
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    failures.add(new IngestFailure(relative(root, file), "cannot read: " + e.getMessage()));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + start + ": " + e.getMessage(), e);
        }
        Comparator<Path> byRelativePath = Comparator.comparing(p -> relative(root, p));
        files.sort(byRelativePath);
        skipped.sort(Comparator.naturalOrder());
        return files;
    }

    private static String relative(Path root, Path file) {
        Path rel = root.toAbsolutePath().relativize(file.toAbsolutePath());
        return rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
    }

    private static boolean isHidden(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
