package dev.switchboard.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The one place that loads "a single-label intent model folder of any kind" as a {@link Classifier}:
 * it reads {@value IntentClassifier#MANIFEST_FILE} and dispatches on its {@code kind}:
 * {@value IntentClassifier#KIND} ({@link IntentClassifier}: encoder + head), {@value NgramClassifier#KIND}
 * ({@link NgramClassifier}: no encoder) and {@value CascadeClassifier#KIND} ({@link CascadeClassifier}:
 * the n-gram model first, the encoder model below its threshold).
 */
public final class IntentModels {

    /** The kinds {@link #load} understands. */
    public static final List<String> KINDS = List.of(IntentClassifier.KIND, NgramClassifier.KIND, CascadeClassifier.KIND);

    private IntentModels() {
    }

    /** True if a model of this manifest runs the encoder its manifest names (every kind but {@value NgramClassifier#KIND}). */
    public static boolean needsEncoder(ModelManifest manifest) {
        return !manifest.kind().equals(NgramClassifier.KIND);
    }

    /**
     * Loads a model folder.
     *
     * @param encoder the encoder the manifest names (not owned: close it yourself); ignored, and may be null,
     *                for an {@value NgramClassifier#KIND} model
     * @throws IllegalArgumentException naming the folder and the problem (no manifest, a kind not in
     *                                  {@link #KINDS}, a missing encoder, or the kind's own loading errors)
     */
    public static Classifier load(Path dir, Encoder encoder) {
        Objects.requireNonNull(dir, "dir");
        Path manifestFile = dir.resolve(IntentClassifier.MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException("model folder " + dir + " has no " + IntentClassifier.MANIFEST_FILE);
        }
        ModelManifest manifest = ModelManifest.read(manifestFile);
        if (!KINDS.contains(manifest.kind())) {
            throw new IllegalArgumentException("model " + dir + " is a '" + manifest.kind()
                    + "', not a single-label intent model (kinds: " + String.join(", ", KINDS) + ")");
        }
        if (needsEncoder(manifest) && encoder == null) {
            throw new IllegalArgumentException("model " + dir + " (" + manifest.kind() + ") needs the encoder "
                    + manifest.encoder());
        }
        return switch (manifest.kind()) {
            case IntentClassifier.KIND -> IntentClassifier.load(dir, encoder);
            case NgramClassifier.KIND -> NgramClassifier.load(dir);
            case CascadeClassifier.KIND -> CascadeClassifier.load(dir, encoder);
            default -> throw new IllegalStateException("unreachable: " + manifest.kind());
        };
    }
}
