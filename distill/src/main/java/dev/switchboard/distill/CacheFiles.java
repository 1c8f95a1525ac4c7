package dev.switchboard.distill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What the on-disk caches of this package ({@link EmbeddingCache}, {@link TokenStates}) share: a file
 * name derived from exactly what was computed, so that a changed text or encoder never hits a stale
 * file, and a write that readers never see half done.
 */
final class CacheFiles {

    private CacheFiles() {
    }

    /**
     * The first {@code hexDigits} hex digits of the SHA-256 of the parts' UTF-8 bytes with a 0 byte
     * between consecutive parts (the byte layout the existing cache files are named by).
     */
    static String key(List<String> parts, int hexDigits) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    digest.update((byte) 0);
                }
                digest.update(parts.get(i).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, hexDigits);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a file's content to the path it is given. */
    @FunctionalInterface
    interface Writer {
        void write(Path file) throws IOException;
    }

    /**
     * Writes {@code file} (creating its folder) under a temporary name in the same folder, then renames it
     * into place atomically: a crash or a failed write never leaves a half-written file under the real
     * name, and the temporary file is removed when writing fails.
     */
    static void writeAtomically(Path file, Writer writer) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".writing-", ".tmp");
        try {
            writer.write(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
