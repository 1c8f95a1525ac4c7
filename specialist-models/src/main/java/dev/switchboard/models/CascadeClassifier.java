package dev.switchboard.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two classifiers as one: the fast one answers when it is confident, the larger one otherwise. A
 * text is <em>escalated</em> iff the fast member's confidence (its top probability) is below
 * {@link #threshold()}; the escalated text's prediction is then entirely the large member's. With the
 * threshold 0 nothing escalates, above 1 everything does.
 *
 * <p>A model folder (kind {@value #KIND}) holds {@value IntentClassifier#MANIFEST_FILE} (labels, the large
 * member's encoder, {@code parameters.threshold}) and the members' own version folders {@value #FAST_DIR}
 * (an {@link NgramClassifier}) and {@value #LARGE_DIR} (an {@link IntentClassifier}), so a cascade version
 * is self-contained and immutable like any other. Thread-safe; counts what it classified and escalated.
 */
public final class CascadeClassifier implements Classifier {

    public static final String KIND = "intent-cascade";
    public static final String FAST_DIR = "fast";
    public static final String LARGE_DIR = "large";
    /** The manifest parameter holding the threshold. */
    public static final String THRESHOLD = "threshold";

    private final ModelManifest manifest;
    private final Classifier fast;
    private final Classifier large;
    private final double threshold;
    private final AtomicLong classified = new AtomicLong();
    private final AtomicLong escalated = new AtomicLong();

    private CascadeClassifier(ModelManifest manifest, Classifier fast, Classifier large, double threshold) {
        this.manifest = manifest;
        this.fast = fast;
        this.large = large;
        this.threshold = threshold;
    }

    /**
     * @param manifest kind {@value #KIND} with the members' labels and {@code parameters.threshold}
     * @throws IllegalArgumentException if the kind is wrong, the threshold is missing or not finite and
     *                                  ≥ 0, or the members' labels differ from the manifest's
     */
    public static CascadeClassifier of(ModelManifest manifest, Classifier fast, Classifier large) {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(fast, "fast");
        Objects.requireNonNull(large, "large");
        manifest.requireKind(KIND);
        if (!(manifest.parameters().get(THRESHOLD) instanceof Number number)) {
            throw new IllegalArgumentException("manifest parameter '" + THRESHOLD + "' must be a number");
        }
        double threshold = number.doubleValue();
        if (!(threshold >= 0 && Double.isFinite(threshold))) {
            throw new IllegalArgumentException("cascade threshold must be finite and >= 0, got " + threshold);
        }
        for (Classifier member : List.of(fast, large)) {
            if (!member.labels().equals(manifest.labels())) {
                throw new IllegalArgumentException("member " + member.manifest().name() + "/" + member.manifest().version()
                        + " has other labels than the cascade");
            }
        }
        return new CascadeClassifier(manifest, fast, large, threshold);
    }

    /**
     * Loads a cascade folder; {@code encoder} is the large member's (not owned: close it yourself).
     *
     * @throws IllegalArgumentException naming the folder and the problem
     */
    public static CascadeClassifier load(Path dir, Encoder encoder) {
        Path manifestFile = dir.resolve(IntentClassifier.MANIFEST_FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalArgumentException("model folder " + dir + " has no " + IntentClassifier.MANIFEST_FILE);
        }
        try {
            return of(ModelManifest.read(manifestFile), NgramClassifier.load(dir.resolve(FAST_DIR)),
                    IntentClassifier.load(dir.resolve(LARGE_DIR), encoder));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load cascade " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a cascade folder: the manifest, and copies of the members' version folders.
     *
     * @param fastDir  an {@link NgramClassifier} folder
     * @param largeDir an {@link IntentClassifier} folder
     */
    public static void write(Path dir, ModelManifest manifest, Path fastDir, Path largeDir) {
        try {
            Files.createDirectories(dir);
            manifest.write(dir.resolve(IntentClassifier.MANIFEST_FILE));
            copy(fastDir, dir.resolve(FAST_DIR));
            copy(largeDir, dir.resolve(LARGE_DIR));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cascade " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** True if the fast member's prediction is not confident enough: {@code confidence < threshold}. */
    public boolean escalates(Prediction fastPrediction) {
        return fastPrediction.confidence() < threshold;
    }

    /**
     * A cascade's answer and which member gave it.
     *
     * @param escalated true if the large member answered (the fast one was below the threshold)
     */
    public record Decision(Prediction prediction, boolean escalated) {
        public Decision {
            Objects.requireNonNull(prediction, "prediction");
        }
    }

    /** {@link #classify} that also says whether the text was escalated. */
    public Decision decide(String text) {
        Prediction p = fast.classify(text);
        classified.incrementAndGet();
        if (!escalates(p)) {
            return new Decision(p, false);
        }
        escalated.incrementAndGet();
        return new Decision(large.classify(text), true);
    }

    @Override
    public Prediction classify(String text) {
        return decide(text).prediction();
    }

    /** The fast member on all texts, then one batched call of the large member on the escalated ones. */
    @Override
    public List<Prediction> classifyAll(List<String> texts) {
        return decideAll(texts).stream().map(Decision::prediction).toList();
    }

    /** {@link #classifyAll} that also says, per text, whether it was escalated. */
    public List<Decision> decideAll(List<String> texts) {
        List<Prediction> first = fast.classifyAll(texts);
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < first.size(); i++) {
            if (escalates(first.get(i))) {
                up.add(i);
            }
        }
        classified.addAndGet(texts.size());
        escalated.addAndGet(up.size());
        List<Decision> out = new ArrayList<>(first.stream().map(p -> new Decision(p, false)).toList());
        if (!up.isEmpty()) {
            List<Prediction> better = large.classifyAll(up.stream().map(texts::get).toList());
            for (int j = 0; j < up.size(); j++) {
                out.set(up.get(j), new Decision(better.get(j), true));
            }
        }
        return out;
    }

    public double threshold() {
        return threshold;
    }

    public Classifier fast() {
        return fast;
    }

    public Classifier large() {
        return large;
    }

    /** Texts classified so far. */
    public long classifiedCount() {
        return classified.get();
    }

    /** Texts escalated to the large member so far. */
    public long escalatedCount() {
        return escalated.get();
    }

    @Override
    public List<String> labels() {
        return manifest.labels();
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }
}
