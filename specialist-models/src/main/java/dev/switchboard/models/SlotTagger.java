package dev.switchboard.models;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A learned entity extractor: an {@link Encoder}'s token states ({@link Encoder#encodeTokens}) tagged
 * by a {@link SlotModel} with constrained BIO decoding, mapped back to character spans of the
 * original text. Entities have the slot label as type, the span's text as value, source
 * {@value #SOURCE} and as confidence the mean posterior probability of the span's tags.
 *
 * <p>A model folder (immutable once written) holds {@value #MANIFEST_FILE} (kind {@value #KIND}, its
 * labels are the BIO tags) and {@value #MODEL_FILE}. Thread-safe. The tagger does not own the
 * encoder: close it yourself.
 */
public final class SlotTagger implements Extractor {

    public static final String KIND = "slot-tagger";
    public static final String MANIFEST_FILE = "manifest.json";
    public static final String MODEL_FILE = "slots.safetensors";
    /** {@link Entity#source()} of the entities this tagger finds. */
    public static final String SOURCE = "model";

    private final ModelManifest manifest;
    private final SlotModel model;
    private final Encoder encoder;

    private SlotTagger(ModelManifest manifest, SlotModel model, Encoder encoder) {
        this.manifest = manifest;
        this.model = model;
        this.encoder = encoder;
    }

    /**
     * Loads a model version folder, e.g. {@code models/slots/snips_bio/v1}.
     *
     * @throws IllegalArgumentException naming the problem: a missing folder or file, a manifest of
     *                                  another kind or encoder, or weights that disagree with it
     */
    public static SlotTagger load(Path modelDir, Encoder encoder) {
        Objects.requireNonNull(modelDir, "modelDir");
        Objects.requireNonNull(encoder, "encoder");
        if (!Files.isDirectory(modelDir)) {
            throw new IllegalArgumentException("model folder " + modelDir + " does not exist");
        }
        Path manifestFile = modelDir.resolve(MANIFEST_FILE);
        Path modelFile = modelDir.resolve(MODEL_FILE);
        for (Path f : List.of(manifestFile, modelFile)) {
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException("model folder " + modelDir + " has no " + f.getFileName());
            }
        }
        try {
            ModelManifest manifest = ModelManifest.read(manifestFile);
            checkManifest(manifest, encoder);
            return of(manifest, SlotModel.read(modelFile, BioTagSet.ofTags(manifest.labels())), encoder);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load " + modelDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Assembles a tagger from parts in memory.
     *
     * @throws IllegalArgumentException if the manifest is not a slot tagger's, names another encoder,
     *                                  lists other tags than the model, or the state dimensions differ
     */
    public static SlotTagger of(ModelManifest manifest, SlotModel model, Encoder encoder) {
        checkManifest(manifest, encoder);
        if (!model.tagSet().tags().equals(manifest.labels())) {
            throw new IllegalArgumentException("the manifest lists tags " + manifest.labels() + " but the model has "
                    + model.tagSet().tags());
        }
        if (model.stateDimension() != encoder.info().dimension()) {
            throw new IllegalArgumentException("the model takes " + model.stateDimension() + "-dimensional token states but "
                    + "encoder " + encoder.info().id() + " gives " + encoder.info().dimension());
        }
        return new SlotTagger(manifest, model, encoder);
    }

    private static void checkManifest(ModelManifest manifest, Encoder encoder) {
        manifest.requireKind(KIND);
        manifest.requireEncoder(encoder.info().id());
    }

    @Override
    public List<Entity> extract(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return model.extract(encoder.encodeTokens(text), SOURCE);
    }

    /**
     * Extracts from many texts, in order. Texts are encoded in parallel on the common fork-join
     * pool (each encoder call is single-threaded).
     */
    public List<List<Entity>> extractAll(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("text " + i + " is null");
            }
        }
        return texts.parallelStream().map(this::extract).toList();
    }

    /** The slot labels this tagger can return (entity types), sorted. */
    public List<String> labels() {
        return model.tagSet().labels();
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public SlotModel model() {
        return model;
    }

    @Override
    public String toString() {
        return "SlotTagger[" + manifest.name() + "/" + manifest.version() + ", " + labels().size() + " labels]";
    }
}
