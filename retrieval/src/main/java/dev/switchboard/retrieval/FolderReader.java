package dev.switchboard.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads the {@code .md}, {@code .markdown} and {@code .txt} files of a folder (recursively, in path
 * order) into {@link Document}s.
 *
 * <p>Document id = path relative to the folder, {@code /}-separated, without extension; source =
 * the relative path; title = the first {@code # } heading, else the file name without extension.
 * Files with other extensions and hidden files or folders (name starting with {@code .}) are
 * skipped. A file that is empty, not UTF-8, unreadable, or whose id collides with an earlier file's
 * is a failure; the others are read regardless.
 */
final class FolderReader {

    static final Set<String> EXTENSIONS = Set.of("md", "markdown", "txt");

    record Scan(List<Document> documents, List<String> skipped, List<IngestFailure> failures) {
    }

    private FolderReader() {
    }

    /**
     * Reads {@code fileOrFolder}; a single file is read relative to its parent folder.
     *
     * @throws IllegalArgumentException if the path does not exist
     */
    static Scan read(Path fileOrFolder) {
        if (!Files.exists(fileOrFolder)) {
            throw new IllegalArgumentException("no such file or folder: " + fileOrFolder);
        }
        Path root = Files.isDirectory(fileOrFolder) ? fileOrFolder : fileOrFolder.toAbsolutePath().getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(fileOrFolder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + fileOrFolder + ": " + e.getMessage(), e);
        }
        List<Document> documents = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<IngestFailure> failures = new ArrayList<>();
        Map<String, String> sourceById = new HashMap<>();
        for (Path file : files) {
            String rel = relative(root, file);
            String ext = extension(rel);
            if (isHidden(rel) || !EXTENSIONS.contains(ext)) {
                skipped.add(rel);
                continue;
            }
            String id = ext.isEmpty() ? rel : rel.substring(0, rel.length() - ext.length() - 1);
            String previous = sourceById.putIfAbsent(id, rel);
            if (previous != null) {
                failures.add(new IngestFailure(rel, "same document id '" + id + "' as " + previous));
                continue;
            }
            try {
                String text = decode(Files.readAllBytes(file));
                if (text.isBlank()) {
                    failures.add(new IngestFailure(rel, "empty file"));
                    continue;
                }
                String name = file.getFileName().toString();
                String title = Chunker.title(text).orElse(name.substring(0, name.length() - ext.length() - 1));
                documents.add(new Document(id, title, text, rel, Map.of()));
            } catch (CharacterCodingException e) {
                failures.add(new IngestFailure(rel, "not valid UTF-8 text"));
            } catch (IOException e) {
                failures.add(new IngestFailure(rel, "cannot read: " + e.getMessage()));
            }
        }
        return new Scan(documents, skipped, failures);
    }

    private static String relative(Path root, Path file) {
        Path rel = root.toAbsolutePath().relativize(file.toAbsolutePath());
        return rel.toString().replace(rel.getFileSystem().getSeparator(), "/");
    }

    private static String extension(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean isHidden(String rel) {
        for (String part : rel.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** Strict UTF-8 (malformed input is an error, not U+FFFD), without a leading byte-order mark. */
    private static String decode(byte[] bytes) throws CharacterCodingException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
