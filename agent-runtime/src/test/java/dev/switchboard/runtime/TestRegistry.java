package dev.switchboard.runtime;

import dev.switchboard.models.ModelManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Registry version folders for the runtime's tests, made from the shipped models under {@code models/}. */
final class TestRegistry {

    static final Path HOME = Path.of(System.getProperty("switchboard.home", "..")).toAbsolutePath().normalize();

    private TestRegistry() {
    }

    /**
     * Copies the version folder {@code from} (e.g. {@code HOME/models/slots/restaurant8k/v1}) to {@code to}, a
     * version folder of a registry: the weights as they are (writable), the manifest naming {@code to}'s version
     * and then changed by {@code edit}.
     */
    static Path version(Path from, Path to, UnaryOperator<ModelManifest> edit) throws IOException {
        copyTree(from, to);
        Path file = to.resolve("manifest.json");
        ModelManifest m = ModelManifest.read(file);
        edit.apply(with(m, to.getFileName().toString(), m.parentVersion(), m.metrics())).write(file);
        return to;
    }

    /** {@code m} with another version, parent version and metrics. */
    static ModelManifest with(ModelManifest m, String version, String parentVersion, Map<String, Double> metrics) {
        return new ModelManifest(m.kind(), m.name(), version, m.encoder(), m.labels(), m.seed(), m.dataset(), metrics,
                m.teacher(), parentVersion, m.codeVersion(), m.created(), m.parameters(), m.rejection());
    }

    /** {@code m} with one metric set to {@code value} (the others kept). */
    static ModelManifest withMetric(ModelManifest m, String metric, double value) {
        Map<String, Double> metrics = new LinkedHashMap<>(m.metrics());
        metrics.put(metric, value);
        return with(m, m.version(), m.parentVersion(), metrics);
    }

    /** Overwrites {@code file} of a version folder with three bytes that no loader reads as weights. */
    static void breakWeights(Path versionDir, String file) throws IOException {
        Files.write(versionDir.resolve(file), new byte[] {1, 2, 3});
    }

    /** Copies a folder and its sub-folders; the copies are writable whatever the originals are. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path f : walk.toList()) { // a folder comes before what it holds
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                    t.toFile().setWritable(true);
                }
            }
        }
    }
}
