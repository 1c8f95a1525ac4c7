package dev.switchboard.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of versioned models and, per model, which version serves.
 *
 * <pre>
 * &lt;root&gt;/&lt;kind&gt;/&lt;name&gt;/v1/manifest.json + weights   immutable version folders (files read-only)
 * &lt;root&gt;/&lt;kind&gt;/&lt;name&gt;/v2/...
 * &lt;root&gt;/&lt;kind&gt;/&lt;name&gt;/CURRENT                       the serving version: one line, e.g. "v2"
 * &lt;root&gt;/&lt;kind&gt;/&lt;name&gt;/HISTORY.jsonl                 one {@link RegistryEvent} per change, appended
 * </pre>
 *
 * <p><b>Serving version</b>: the version {@value #CURRENT_FILE} names; without that file, the newest
 * version (versions compare by number: v2 &lt; v10), so a layout written before the registry existed keeps
 * working. Promoting that implicit version writes the pointer (pins it), so that a newly trained version
 * does not serve until it is promoted.
 *
 * <p><b>Atomicity</b>: {@link #promote} and {@link #rollback} write the new pointer to a temporary file in
 * the model folder, fsync it, rename it over {@value #CURRENT_FILE} with an atomic move, fsync the folder,
 * and only then append the history line. A reader sees the old pointer or the new one, never a mix; a
 * crash before the rename leaves the previous version serving (a stray {@code .CURRENT-*} temporary file
 * is ignored and removed by the next change). A crash between the rename and the history line leaves the
 * new version serving with the history one line short; {@link #rollback} then says it has no earlier
 * version on record rather than guessing. Changes of one model are serialised by an in-process lock and a
 * file lock on {@code <model>/.lock}, so the CLI and a running runtime may both promote.
 *
 * <p><b>Validation</b> before a version may serve: the folder exists; its manifest reads and names this
 * model and version; every {@code *.safetensors} file parses (header, shapes, length); an intent model's
 * head has one output per label; an {@code intent-ngram} model loads; an {@code intent-cascade} has a numeric
 * {@code parameters.threshold} and {@code fast/} ({@code intent-ngram}) and {@code large/}
 * ({@code intent-classifier}, the manifest's encoder) folders that pass these checks with exactly the
 * cascade's labels; and against the version serving now: the same manifest kind, the same
 * encoder and the same label set (routes name labels, e.g. in {@code escalate_intents}). A refusal is a
 * {@link RegistryException} whose message names the problem. Thread-safe.
 */
public final class ModelRegistry {

    public static final String CURRENT_FILE = "CURRENT";
    public static final String HISTORY_FILE = "HISTORY.jsonl";
    /** The registry folder relative to the project root when none is configured. */
    public static final String DEFAULT_ROOT = "models";

    private static final Pattern VERSION = Pattern.compile("v(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    /** Why a registry operation was refused; callers map it to an exit code or HTTP status. */
    public enum Problem { NOT_FOUND, INVALID, CONFLICT }

    /** A refused registry operation; the message names the model, version and problem. */
    public static final class RegistryException extends IllegalArgumentException {
        private final Problem problem;

        public RegistryException(Problem problem, String message) {
            super(message);
            this.problem = Objects.requireNonNull(problem, "problem");
        }

        public Problem problem() {
            return problem;
        }
    }

    private final Path root;
    private final Consumer<Path> beforeSwap;

    private ModelRegistry(Path root, Consumer<Path> beforeSwap) {
        this.root = root.toAbsolutePath().normalize();
        this.beforeSwap = beforeSwap;
    }

    /** A registry over {@code root} (it need not exist yet: it then holds no models). */
    public static ModelRegistry open(Path root) {
        return new ModelRegistry(Objects.requireNonNull(root, "root"), tmp -> { });
    }

    /** For tests: {@code beforeSwap} runs after the temporary pointer is written and before the rename. */
    static ModelRegistry withFault(Path root, Consumer<Path> beforeSwap) {
        return new ModelRegistry(root, beforeSwap);
    }

    public Path root() {
        return root;
    }

    /** The folder of a model, {@code <root>/<kind>/<name>}. */
    public Path dir(ModelId model) {
        return root.resolve(model.kind()).resolve(model.name());
    }

    /** The folder of a version. */
    public Path dir(ModelId model, String version) {
        return dir(model).resolve(version);
    }

    /** Every model with at least one version, sorted by kind and name. */
    public List<ModelId> models() {
        List<ModelId> out = new ArrayList<>();
        for (Path kind : children(root)) {
            for (Path name : children(kind)) {
                try {
                    ModelId id = new ModelId(kind.getFileName().toString(), name.getFileName().toString());
                    if (!versions(id).isEmpty()) {
                        out.add(id);
                    }
                } catch (IllegalArgumentException e) {
                    // not a model folder name: skip
                }
            }
        }
        out.sort(Comparator.comparing(ModelId::toString));
        return out;
    }

    /** The model's version folder names, oldest first (v2 before v10); empty if it has none. */
    public List<String> versions(ModelId model) {
        return children(dir(model)).stream().filter(Files::isDirectory).map(p -> p.getFileName().toString())
                .filter(n -> VERSION.matcher(n).matches())
                .sorted(Comparator.comparingLong(ModelRegistry::number))
                .toList();
    }

    /**
     * The serving version: what {@value #CURRENT_FILE} names, else the newest version.
     *
     * @throws RegistryException NOT_FOUND if the model has no version; INVALID if {@value #CURRENT_FILE}
     *                           names something that is not a version folder
     */
    public String serving(ModelId model) {
        Optional<String> pinned = pointer(model);
        if (pinned.isPresent()) {
            return pinned.get();
        }
        List<String> versions = versions(model);
        if (versions.isEmpty()) {
            throw notFound(model);
        }
        return versions.get(versions.size() - 1);
    }

    /**
     * The version {@value #CURRENT_FILE} names, if the file exists.
     *
     * @throws RegistryException INVALID if it does not name an existing version folder
     */
    public Optional<String> pointer(ModelId model) {
        Path file = dir(model).resolve(CURRENT_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!VERSION.matcher(text).matches() || !Files.isDirectory(dir(model, text))) {
            throw new RegistryException(Problem.INVALID, file + " names '" + text + "', which is not a version folder of "
                    + model + " (versions: " + versions(model) + ")");
        }
        return Optional.of(text);
    }

    /** Every version with its manifest (or the reason it does not read), oldest first. */
    public List<ModelVersion> list(ModelId model) {
        String serving = versions(model).isEmpty() ? null : serving(model);
        List<ModelVersion> out = new ArrayList<>();
        for (String v : versions(model)) {
            Path dir = dir(model, v);
            ModelManifest manifest = null;
            String problem = null;
            try {
                manifest = ModelManifest.read(dir.resolve(IntentClassifier.MANIFEST_FILE));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                problem = e.getMessage();
            }
            out.add(new ModelVersion(model, v, dir, manifest, problem, v.equals(serving)));
        }
        return out;
    }

    /**
     * The manifest of a version.
     *
     * @throws RegistryException NOT_FOUND if there is no such version, INVALID if its manifest does not read
     */
    public ModelManifest manifest(ModelId model, String version) {
        requireVersion(model, version);
        try {
            return ModelManifest.read(dir(model, version).resolve(IntentClassifier.MANIFEST_FILE));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(Problem.INVALID, model + " " + version + ": " + e.getMessage());
        }
    }

    /** The model's history, oldest first (empty without a {@value #HISTORY_FILE}). */
    public List<RegistryEvent> history(ModelId model) {
        Path file = dir(model).resolve(HISTORY_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<RegistryEvent> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(lines.get(i));
                out.add(new RegistryEvent(Instant.parse(n.path("when").asText()), n.path("who").asText(null),
                        n.path("action").asText(), textOrNull(n.get("from")), n.path("to").asText(),
                        n.path("reason").asText("")));
            } catch (IOException | RuntimeException e) {
                if (i == lines.size() - 1) {
                    break; // torn by a crash mid-append: everything before it still counts
                }
                throw new RegistryException(Problem.INVALID, file + " line " + (i + 1) + " is not a history entry: "
                        + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Checks that {@code version} could serve {@code model} (see the class comment) without changing anything.
     *
     * @return its manifest
     * @throws RegistryException naming the problem
     */
    public ModelManifest validate(ModelId model, String version) {
        ModelManifest m = manifest(model, version);
        Path dir = dir(model, version);
        if (!m.name().equals(model.name()) || !m.version().equals(version)) {
            throw invalid(model, version, "its manifest names " + m.name() + " " + m.version());
        }
        String serving = currentOrNull(model);
        if (serving != null && !serving.equals(version)) {
            ModelManifest live;
            try {
                live = manifest(model, serving);
            } catch (RegistryException e) {
                live = null; // the serving version itself is broken: anything valid may replace it
            }
            if (live != null) {
                checkFit(model, version, m, serving, live);
            }
        }
        checkWeights(model, version, dir, m);
        return m;
    }

    private static void checkFit(ModelId model, String version, ModelManifest m, String serving, ModelManifest live) {
        if (!live.kind().equals(m.kind())) {
            throw invalid(model, version, "its kind is '" + m.kind() + "' but the serving " + serving + " is '"
                    + live.kind() + "'");
        }
        if (!live.encoder().equals(m.encoder())) {
            throw invalid(model, version, "it was trained on encoder " + m.encoder() + " but the serving " + serving
                    + " uses " + live.encoder());
        }
        if (!new HashSet<>(live.labels()).equals(new HashSet<>(m.labels()))) {
            var added = new ArrayList<>(m.labels());
            added.removeAll(live.labels());
            var missing = new ArrayList<>(live.labels());
            missing.removeAll(m.labels());
            throw invalid(model, version, "its labels differ from the serving " + serving + "'s (new: " + added
                    + ", missing: " + missing + ")");
        }
    }

    private static void checkWeights(ModelId model, String version, Path dir, ModelManifest m) {
        if (m.kind().equals(CascadeClassifier.KIND)) {
            checkCascade(model, version, dir, m);
        } else {
            checkFolder(model, version, dir, m, "");
        }
    }

    /**
     * A cascade: a numeric threshold, and {@code fast/} (n-gram) and {@code large/} (encoder + head) folders
     * that check as models of their own, with the cascade's labels in its order ({@link CascadeClassifier}
     * compares the lists).
     */
    private static void checkCascade(ModelId model, String version, Path dir, ModelManifest m) {
        if (!(m.parameters().get(CascadeClassifier.THRESHOLD) instanceof Number)) {
            throw invalid(model, version, "its manifest has no numeric parameters." + CascadeClassifier.THRESHOLD);
        }
        for (String[] member : new String[][] {{CascadeClassifier.FAST_DIR, NgramClassifier.KIND},
                {CascadeClassifier.LARGE_DIR, IntentClassifier.KIND}}) {
            String where = member[0] + "/";
            Path sub = dir.resolve(member[0]);
            if (!Files.isDirectory(sub)) {
                throw invalid(model, version, "a cascade needs a " + where + " folder");
            }
            ModelManifest mm;
            try {
                mm = ModelManifest.read(sub.resolve(IntentClassifier.MANIFEST_FILE));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw invalid(model, version, where + IntentClassifier.MANIFEST_FILE + ": " + e.getMessage());
            }
            if (!mm.kind().equals(member[1])) {
                throw invalid(model, version, where + " is a '" + mm.kind() + "', expected '" + member[1] + "'");
            }
            if (!mm.labels().equals(m.labels())) {
                var added = new ArrayList<>(mm.labels());
                added.removeAll(m.labels());
                var missing = new ArrayList<>(m.labels());
                missing.removeAll(mm.labels());
                throw invalid(model, version, where + "'s labels differ from the manifest's" + (added.isEmpty() && missing.isEmpty()
                        ? " (same labels, another order)" : " (new: " + added + ", missing: " + missing + ")"));
            }
            if (member[1].equals(IntentClassifier.KIND) && !mm.encoder().equals(m.encoder())) {
                throw invalid(model, version, where + " uses encoder " + mm.encoder() + " but the manifest names " + m.encoder());
            }
            checkFolder(model, version, sub, mm, where);
        }
    }

    /**
     * The weights of one model folder ({@code where}: its path inside the version folder, for messages): the
     * kind's own weights file is read by the kind's reader, which also checks it against the manifest; any
     * other {@code .safetensors} file must at least parse.
     */
    private static void checkFolder(ModelId model, String version, Path dir, ModelManifest m, String where) {
        List<Path> weights = children(dir).stream().filter(p -> p.getFileName().toString().endsWith(".safetensors")).toList();
        if (weights.isEmpty()) {
            throw invalid(model, version, (where.isEmpty() ? "its folder" : "its folder " + where) + " holds no .safetensors weights");
        }
        String own = ownWeights(m.kind());
        if (own != null && !Files.isRegularFile(dir.resolve(own))) {
            throw invalid(model, version, "it has no " + where + own);
        }
        for (Path w : weights) {
            if (!w.getFileName().toString().equals(own)) {
                read(model, version, () -> SafeTensors.read(w));
            }
        }
        if (m.kind().equals(IntentClassifier.KIND) || m.kind().equals(MultiLabelClassifier.KIND)) {
            int outputs = read(model, version, () -> IntentModel.read(dir.resolve(own))).head().outputDimension();
            if (outputs != m.labels().size()) {
                throw invalid(model, version, "its " + where + "head has " + outputs + " outputs but the manifest lists "
                        + m.labels().size() + " labels");
            }
        } else if (m.kind().equals(NgramClassifier.KIND)) {
            read(model, version, () -> NgramClassifier.load(dir)); // no encoder: cheap; checks outputs against labels
        } else if (m.kind().equals(SlotTagger.KIND)) {
            read(model, version, () -> SlotModel.read(dir.resolve(own), BioTagSet.ofTags(m.labels())));
        }
    }

    /** The weights file a kind's reader loads, or null for kinds checked only as safetensors. */
    private static String ownWeights(String kind) {
        if (kind.equals(IntentClassifier.KIND) || kind.equals(MultiLabelClassifier.KIND)) {
            return IntentClassifier.HEAD_FILE;
        }
        if (kind.equals(NgramClassifier.KIND)) {
            return NgramClassifier.WEIGHTS_FILE;
        }
        return kind.equals(SlotTagger.KIND) ? SlotTagger.MODEL_FILE : null;
    }

    /** Runs a reader; what it throws about the file becomes a "corrupt weights" {@link RegistryException}. */
    private static <T> T read(ModelId model, String version, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw invalid(model, version, "corrupt weights: " + e.getMessage());
        }
    }

    /**
     * Makes {@code version} the serving version of {@code model}, atomically, after {@link #validate}.
     *
     * @return the history entry written
     * @throws RegistryException NOT_FOUND, INVALID (see {@link #validate}) or CONFLICT if it serves already
     */
    public RegistryEvent promote(ModelId model, String version, String who, String reason) {
        return locked(model, () -> {
            validate(model, version);
            String from = currentOrNull(model);
            boolean pinned = pointerOrEmpty(model).isPresent();
            if (version.equals(from) && pinned) {
                throw new RegistryException(Problem.CONFLICT, model + " " + version + " is already the serving version");
            }
            // Promoting the implicitly serving newest version pins it: later versions then no longer serve by themselves.
            return swap(model, new RegistryEvent(Instant.now(), who, RegistryEvent.PROMOTE, version.equals(from) ? null : from,
                    version, reason));
        });
    }

    /**
     * Restores the version that served before the current one (as the history records it), after
     * {@link #validate}.
     *
     * @throws RegistryException CONFLICT if the history records no earlier serving version
     */
    public RegistryEvent rollback(ModelId model, String who, String reason) {
        return locked(model, () -> {
            String current = serving(model);
            String target = previous(model, current).orElseThrow(() -> new RegistryException(Problem.CONFLICT,
                    model + ": no version served before " + current + " according to " + dir(model).resolve(HISTORY_FILE)
                            + "; promote the version you want instead"));
            validate(model, target);
            return swap(model, new RegistryEvent(Instant.now(), who, RegistryEvent.ROLLBACK, current, target, reason));
        });
    }

    /**
     * The version {@link #rollback} would restore: the history is replayed as a stack (a promotion pushes,
     * a rollback pops; entries that do not continue from the stack's top, left by a crash, are reconciled
     * by popping to the version they started from), then popped down to {@code current}.
     */
    public Optional<String> previous(ModelId model, String current) {
        Deque<String> stack = new ArrayDeque<>();
        for (RegistryEvent e : history(model)) {
            if (e.from() != null) {
                while (!stack.isEmpty() && !stack.peek().equals(e.from())) {
                    stack.pop();
                }
                if (stack.isEmpty()) {
                    stack.push(e.from());
                }
            }
            if (e.action().equals(RegistryEvent.ROLLBACK)) {
                stack.pop(); // the version rolled back from
                if (stack.isEmpty() || !stack.peek().equals(e.to())) {
                    stack.push(e.to());
                }
            } else {
                stack.push(e.to());
            }
        }
        while (!stack.isEmpty() && !stack.peek().equals(current)) {
            stack.pop();
        }
        if (stack.size() < 2) {
            return Optional.empty();
        }
        stack.pop();
        return Optional.of(stack.peek());
    }

    private RegistryEvent swap(ModelId model, RegistryEvent event) {
        Path dir = dir(model);
        Path current = dir.resolve(CURRENT_FILE);
        try {
            deleteStrayPointers(dir);
            Path tmp = Files.createTempFile(dir, "." + CURRENT_FILE + "-", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(event.to() + "\n"));
                ch.force(true);
            }
            try {
                // createTempFile makes it owner-only; the pointer is for everyone to read.
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            beforeSwap.accept(tmp);
            try {
                Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.deleteIfExists(tmp);
                throw new UncheckedIOException("the file system of " + dir + " cannot rename atomically", e);
            }
            forceDirectory(dir);
            appendHistory(dir.resolve(HISTORY_FILE), event);
            return event;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot switch " + model + " to " + event.to() + ": " + e.getMessage(), e);
        }
    }

    private static void appendHistory(Path file, RegistryEvent e) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("when", e.when().toString()).put("who", e.who()).put("action", e.action()).put("from", e.from())
                .put("to", e.to()).put("reason", e.reason());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(StandardCharsets.UTF_8.encode(JSON.writeValueAsString(n) + "\n"));
            ch.force(true);
        }
    }

    private static void deleteStrayPointers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("." + CURRENT_FILE + "-")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory; the rename is still atomic there.
        }
    }

    private <T> T locked(ModelId model, java.util.function.Supplier<T> action) {
        requireModel(model);
        Path dir = dir(model);
        ReentrantLock lock = LOCKS.computeIfAbsent(dir, d -> new ReentrantLock());
        lock.lock();
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + dir.resolve(".lock") + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private String currentOrNull(ModelId model) {
        try {
            return serving(model);
        } catch (RegistryException e) {
            return null; // no version yet, or a broken pointer: any valid version may replace it
        }
    }

    private Optional<String> pointerOrEmpty(ModelId model) {
        try {
            return pointer(model);
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }

    private void requireModel(ModelId model) {
        if (versions(model).isEmpty()) {
            throw notFound(model);
        }
    }

    private void requireVersion(ModelId model, String version) {
        requireModel(model);
        if (version == null || !VERSION.matcher(version).matches() || !Files.isDirectory(dir(model, version))) {
            throw new RegistryException(Problem.NOT_FOUND, model + " has no version '" + version + "' (versions: "
                    + String.join(", ", versions(model)) + ")");
        }
    }

    private RegistryException notFound(ModelId model) {
        return new RegistryException(Problem.NOT_FOUND, "no model " + model + " in " + root + " (models: "
                + String.join(", ", models().stream().map(ModelId::toString).toList()) + ")");
    }

    private static RegistryException invalid(ModelId model, String version, String problem) {
        return new RegistryException(Problem.INVALID, model + " " + version + " cannot serve: " + problem);
    }

    private static long number(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a version: " + version);
        }
        String digits = m.group(1);
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
