package dev.switchboard.distill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Versioned model folders {@code <root>/<name>/v<N>}: each training run writes the next N, and a
 * folder is never modified once written (its files are made read-only).
 */
final class ModelFolders {

    private static final Pattern VERSION = Pattern.compile("v(\\d+)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ModelFolders() {
    }

    /**
     * Writes a new version: {@code writer} fills a hidden temporary folder given the version name
     * ({@code v<N>}, one above the highest present), which is then renamed into place, so a
     * half-written model is never visible. Retries with the next N if another run took it meanwhile.
     *
     * @return the new folder
     */
    static Path writeNextVersion(Path root, String name, BiConsumer<Path, String> writer) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name
                    + "' must be letters, digits, '.', '_' or '-' (and not start with '.', '_' or '-')");
        }
        Path parent = root.resolve(name);
        try {
            Files.createDirectories(parent);
            for (int attempt = 0; ; attempt++) {
                String version = "v" + (highestVersion(parent) + 1);
                Path tmp = Files.createTempDirectory(parent, ".writing-");
                try {
                    writer.accept(tmp, version);
                    try (Stream<Path> files = Files.list(tmp)) {
                        for (Path f : files.toList()) {
                            f.toFile().setWritable(false, false);
                        }
                    }
                    // createTempDirectory makes it owner-only; a model folder is for everyone to read.
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Path target = parent.resolve(version);
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    return target;
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                    if (attempt >= 10) {
                        throw e;
                    }
                } finally {
                    deleteIfPresent(tmp);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a model version under " + parent + ": " + e.getMessage(), e);
        }
    }

    /** The highest N of the {@code v<N>} folders in {@code dir}, or 0 if none. */
    static int highestVersion(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> VERSION.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1))).max().orElse(0);
        }
    }

    /** {@code git rev-parse --short HEAD} in the working directory, or {@code unknown}. */
    static String codeVersion() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).strip();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && out.matches("[0-9a-f]{4,40}")) {
                return out;
            }
            git.destroy();
        } catch (IOException e) {
            // git is not installed: fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }

    private static void deleteIfPresent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
