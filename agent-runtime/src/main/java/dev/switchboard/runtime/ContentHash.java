package dev.switchboard.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fingerprint of a knowledge folder, used to decide whether its index must be rebuilt.
 *
 * <p>{@code sha256( salt 0x00 ( relativePath 0x00 size 0x00 bytes 0x00 )* )} over the regular,
 * non-hidden files of the folder (recursively) in sorted order of their relative paths ('/'
 * separators). The salt is the encoder id: a different encoder needs a new index too.
 */
final class ContentHash {

    private ContentHash() {
    }

    static String of(Path folder, String salt) {
        MessageDigest sha = sha256();
        update(sha, salt);
        for (Path file : files(folder)) {
            String rel = folder.relativize(file).toString().replace('\\', '/');
            try {
                update(sha, rel);
                update(sha, Long.toString(Files.size(file)));
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sha.update(buf, 0, n);
                    }
                }
                sha.update((byte) 0);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static List<Path> files(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !isHidden(folder.relativize(p)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
