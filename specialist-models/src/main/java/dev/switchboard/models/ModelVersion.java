package dev.switchboard.models;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One version folder of a registry model, as listed: its manifest when it reads, else the problem.
 *
 * @param model    the model it belongs to
 * @param version  the folder name, {@code v<N>}
 * @param dir      the folder
 * @param manifest its manifest, or {@code null} if {@code problem} is set
 * @param problem  why the manifest does not read, or {@code null}
 * @param serving  whether it is the model's serving version
 */
public record ModelVersion(ModelId model, String version, Path dir, ModelManifest manifest, String problem,
                           boolean serving) {

    public ModelVersion {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(dir, "dir");
        if ((manifest == null) == (problem == null)) {
            throw new IllegalArgumentException("exactly one of manifest and problem must be given");
        }
    }
}
