package dev.switchboard.distill;

import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.PiiAnonymizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runtime's traffic as training text, and the way back into the registry: the two ends of
 * {@code ./switchboard distill --from-logs}.
 *
 * <p>Reading: a decision log file, or every {@code decisions-*.jsonl} in a folder (sorted by name, i.e.
 * by day); each line's {@code "text"}. The runtime anonymizes before it writes, and every text passes
 * through {@link PiiAnonymizer} again here, so a log written by an older runtime or by hand cannot leak
 * personal data into a model. Texts that are equal ignoring case and surrounding whitespace are kept
 * once (the first).
 *
 * <p>Publishing: a distilled student becomes the next version {@code v<N+1>} of the serving registry
 * model (manifest renamed to that model and version, parent version = the serving one), then is promoted
 * through {@link ModelRegistry#promote}, which validates it and swaps the pointer atomically.
 */
final class TrafficLog {

    /** Decision log files the runtime writes: {@code decisions-<yyyy-MM-dd>.jsonl}. */
    static final String LOG_GLOB = "decisions-*.jsonl";

    private TrafficLog() {
    }

    /**
     * @throws IllegalArgumentException if {@code path} does not exist, a folder holds no decision log,
     *                                  or a line is broken ({@code <file> line <n>: problem}, {@link JsonlReader})
     */
    static List<String> texts(Path path) {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> listing = Files.list(path)) {
                listing.filter(p -> p.getFileSystem().getPathMatcher("glob:" + LOG_GLOB).matches(p.getFileName()))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException("--from-logs: " + path + " holds no " + LOG_GLOB + " file");
            }
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        } else {
            throw new IllegalArgumentException("--from-logs: " + path + " does not exist");
        }
        PiiAnonymizer anonymizer = PiiAnonymizer.standard();
        Set<String> seen = new LinkedHashSet<>();
        List<String> texts = new ArrayList<>();
        for (Path file : files) {
            for (String text : JsonlReader.texts(file)) {
                String clean = anonymizer.anonymize(text).strip();
                if (seen.add(clean.toLowerCase(Locale.ROOT))) {
                    texts.add(clean);
                }
            }
        }
        return texts;
    }

    /**
     * Copies {@code student} into the registry as the next version of {@code model} and promotes it.
     *
     * @return the new version
     * @throws ModelRegistry.RegistryException if the registry refuses it (labels, encoder or kind differ
     *                                         from the serving version, unreadable weights); the copied
     *                                         folder then stays as an unpromoted version
     */
    static String publish(Path student, ModelRegistry registry, ModelId model, String reason) {
        String parent = registry.serving(model);
        ModelManifest m = ModelManifest.read(student.resolve(IntentClassifier.MANIFEST_FILE));
        Path dir = ModelFolders.writeNextVersion(registry.dir(model).getParent(), model.name(), (d, version) -> {
            new ModelManifest(m.kind(), model.name(), version, m.encoder(), m.labels(), m.seed(), m.dataset(), m.metrics(),
                    m.teacher(), model.name() + "/" + parent, m.codeVersion(), m.created(), m.parameters(), m.rejection())
                    .write(d.resolve(IntentClassifier.MANIFEST_FILE));
            try {
                Files.copy(student.resolve(IntentClassifier.HEAD_FILE), d.resolve(IntentClassifier.HEAD_FILE));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy " + student + ": " + e.getMessage(), e);
            }
        });
        String version = dir.getFileName().toString();
        registry.promote(model, version, "distill --from-logs", reason);
        return version;
    }
}
