package dev.switchboard.models;

import java.nio.file.Path;

/**
 * Run by {@link ModelRegistryTest} as a separate JVM: promotes {@code args[1]} of {@code args[2]} in the
 * registry {@code args[0]} and kills the JVM (no shutdown hooks, no finally blocks) between writing the
 * temporary pointer and renaming it, as a power cut would.
 */
final class RegistryCrash {

    private RegistryCrash() {
    }

    public static void main(String[] args) {
        ModelRegistry.withFault(Path.of(args[0]), tmp -> Runtime.getRuntime().halt(3))
                .promote(ModelId.parse(args[1]), args[2], "crash-test", "killed mid-way");
        System.exit(0);
    }
}
