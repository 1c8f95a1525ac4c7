package dev.switchboard.distill;

import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.ModelVersion;
import dev.switchboard.models.RegistryEvent;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard models list|show|promote|rollback}: the {@link ModelRegistry} from the command line.
 * A running runtime notices a promotion or rollback within its poll interval and swaps the model in.
 * Refusals (unknown model or version, a version that does not fit, nothing to roll back to) print
 * {@code error: <reason>} on stderr and exit 1.
 */
@Command(name = "models", mixinStandardHelpOptions = true, description = "Lists, promotes and rolls back model versions.",
        subcommands = {ModelsCommand.ListCommand.class, ModelsCommand.ShowCommand.class,
                ModelsCommand.PromoteCommand.class, ModelsCommand.RollbackCommand.class})
final class ModelsCommand {

    /** {@code --root}, accepted by every subcommand. */
    static final class Root {
        @Option(names = "--root", defaultValue = ModelRegistry.DEFAULT_ROOT,
                description = "Registry folder (default: ${DEFAULT-VALUE}).")
        Path root;

        ModelRegistry registry() {
            return ModelRegistry.open(root);
        }
    }

    /** Who changed the serving version and why: the two HISTORY.jsonl fields promote and rollback share. */
    static final class Change {
        @Option(names = "--reason", defaultValue = "", description = "Why, for HISTORY.jsonl.")
        String reason;
        @Option(names = "--by", description = "Who, for HISTORY.jsonl (default: the user name).")
        String by;

        String who() {
            return by != null ? by : System.getProperty("user.name", "unknown");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every model with its serving version.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Root parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ModelRegistry registry = parent.registry();
            PrintWriter out = spec.commandLine().getOut();
            List<ModelId> models = registry.models();
            if (models.isEmpty()) {
                out.println("no models in " + registry.root());
            }
            for (ModelId id : models) {
                String pointer = registry.pointer(id).isPresent() ? "CURRENT" : "newest, no CURRENT";
                out.printf(Locale.ROOT, "%-28s serving %-4s (%s)  versions %s%n", id, registry.serving(id), pointer,
                        String.join(", ", registry.versions(id)));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A model's versions (manifest summary) and history, or one version's manifest.")
    static final class ShowCommand implements Callable<Integer> {
        @Mixin
        Root parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "KIND/NAME", description = "e.g. intent/banking77")
        String model;
        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION", description = "e.g. v2: print its manifest.json")
        String version;

        @Override
        public Integer call() throws Exception {
            ModelRegistry registry = parent.registry();
            ModelId id = ModelId.parse(model);
            PrintWriter out = spec.commandLine().getOut();
            if (version != null) {
                registry.manifest(id, version);
                out.print(java.nio.file.Files.readString(registry.dir(id, version).resolve("manifest.json")));
                out.flush();
                return 0;
            }
            List<ModelVersion> versions = registry.list(id);
            out.println(id + " in " + registry.dir(id));
            for (ModelVersion v : versions) {
                out.println((v.serving() ? "* " : "  ") + v.version() + "  " + summary(v));
            }
            List<RegistryEvent> history = registry.history(id);
            if (!history.isEmpty()) {
                out.println("history:");
                for (RegistryEvent e : history) {
                    out.printf(Locale.ROOT, "  %s  %-8s %s -> %s  by %s%s%n", e.when(), e.action(),
                            e.from() == null ? "(none)" : e.from(), e.to(), e.who(),
                            e.reason().isEmpty() ? "" : ": " + e.reason());
                }
            }
            out.flush();
            return 0;
        }

        private static String summary(ModelVersion v) {
            if (v.manifest() == null) {
                return "UNREADABLE: " + v.problem();
            }
            ModelManifest m = v.manifest();
            StringBuilder s = new StringBuilder(m.kind() + ", encoder " + m.encoder() + ", " + m.labels().size()
                    + " labels, created " + m.created() + ", code " + m.codeVersion());
            if (m.parentVersion() != null) {
                s.append(", parent ").append(m.parentVersion());
            }
            Double acc = m.metrics().get("validation_accuracy");
            if (acc != null) {
                s.append(String.format(Locale.ROOT, ", validation accuracy %.4f", acc));
            }
            return s.toString();
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Makes VERSION the serving version (validated first; atomic).")
    static final class PromoteCommand implements Callable<Integer> {
        @Mixin
        Root parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "KIND/NAME")
        String model;
        @Parameters(index = "1", paramLabel = "VERSION")
        String version;
        @Mixin
        Change change;

        @Override
        public Integer call() {
            RegistryEvent e = parent.registry().promote(ModelId.parse(model), version, change.who(), change.reason);
            spec.commandLine().getOut().println("promoted " + model + " " + (e.from() == null ? "(none)" : e.from())
                    + " -> " + e.to());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Restores the version that served before the current one.")
    static final class RollbackCommand implements Callable<Integer> {
        @Mixin
        Root parent;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "KIND/NAME")
        String model;
        @Mixin
        Change change;

        @Override
        public Integer call() {
            RegistryEvent e = parent.registry().rollback(ModelId.parse(model), change.who(), change.reason);
            spec.commandLine().getOut().println("rolled back " + model + " " + e.from() + " -> " + e.to());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
