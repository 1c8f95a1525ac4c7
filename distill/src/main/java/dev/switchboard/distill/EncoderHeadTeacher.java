package dev.switchboard.distill;

import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.IntentModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A teacher that is an intent classifier trained by the usual pipeline ({@code train intent}), typically
 * on a larger encoder than the students' — by default bge-small-en-v1.5 in fp32 ({@value #DEFAULT_ENCODER})
 * with the hashed n-gram head. Its probabilities are the classifier's calibrated
 * {@code softmax(z / T)}. Embeddings go through the {@link EmbeddingCache}, so relabelling the same texts
 * again is cheap. Owns the encoder it loaded; not thread-safe (the cache is not).
 */
public final class EncoderHeadTeacher implements Teacher {

    /** The teacher encoder the issue asks for: bge-small-en-v1.5, fp32. */
    public static final String DEFAULT_ENCODER = "bge-small-en-v1.5";

    private final IntentModel model;
    private final List<String> labels;
    private final Encoder encoder;
    private final EmbeddingCache cache;
    private final String id;
    private final String version;

    EncoderHeadTeacher(IntentModel model, List<String> labels, Encoder encoder, EmbeddingCache cache, String version) {
        this.model = Objects.requireNonNull(model, "model");
        this.labels = List.copyOf(labels);
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.version = version;
        this.id = encoder.info().id() + (version == null ? "" : ":" + version);
        if (model.multiLabel()) {
            throw new IllegalArgumentException("a teacher must be a single-label model");
        }
    }

    /**
     * Loads a single-label intent model folder written by {@code train intent} (or {@code distill}) with its
     * own encoder, caching embeddings under {@code .cache/embeddings}.
     *
     * @throws IllegalArgumentException if the folder is not a single-label intent model
     */
    public static EncoderHeadTeacher load(Path modelDir) {
        return load(modelDir, new EmbeddingCache(Optional.of(EmbeddingCache.defaultDir())));
    }

    static EncoderHeadTeacher load(Path modelDir, EmbeddingCache cache) {
        var manifest = dev.switchboard.models.ModelManifest.read(modelDir.resolve(IntentClassifier.MANIFEST_FILE));
        Encoder encoder = ConcatEncoder.load(manifest.encoder());
        try {
            IntentClassifier classifier = IntentClassifier.load(modelDir, encoder);
            return new EncoderHeadTeacher(classifier.model(), classifier.labels(), encoder, cache,
                    manifest.name() + "/" + manifest.version());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public double[][] probabilities(List<String> texts) {
        if (texts.isEmpty()) {
            return new double[0][];
        }
        float[][] x = cache.embed(encoder, texts);
        double[][] p = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            p[i] = model.probabilities(x[i], texts.get(i));
        }
        return p;
    }

    @Override
    public void close() {
        encoder.close();
    }
}
