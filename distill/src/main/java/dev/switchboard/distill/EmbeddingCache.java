package dev.switchboard.distill;

import dev.switchboard.models.ConcatEncoder;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.SafeTensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sentence embeddings cached on disk, so that retraining a head does not re-run the encoder. A file
 * {@code <dir>/<encoder id>/<key>.safetensors} holds one F32 tensor {@code embeddings [n, dim]}; the key
 * is the first 32 hex digits of the SHA-256 of the texts (each text's UTF-8 bytes followed by a 0 byte),
 * so the same texts in the same order with the same encoder hit the cache, anything else misses.
 * Files are written to a temporary name and renamed ({@link CacheFiles}), so a crash never leaves a half file; a file that
 * cannot be read or whose shape disagrees is recomputed. The int8 encoders embed one text per ONNX
 * call, so a cached vector equals the one serving computes.
 */
final class EmbeddingCache {

    /** Where {@code train intent} caches by default: {@code <switchboard.home or .>/.cache/embeddings}. */
    static Path defaultDir() {
        return Path.of(System.getProperty("switchboard.home", ".")).resolve(".cache").resolve("embeddings");
    }

    private final Optional<Path> dir;
    private boolean lastHit;

    /** @param dir the cache folder, or empty to always compute */
    EmbeddingCache(Optional<Path> dir) {
        this.dir = dir;
    }

    /**
     * The embeddings of {@code texts} with {@code encoder}, from the cache when present. A
     * {@link ConcatEncoder} is cached per part, so its parts' caches are shared with single-encoder runs.
     */
    float[][] embed(Encoder encoder, List<String> texts) {
        if (encoder instanceof ConcatEncoder concat) {
            List<float[][]> parts = new ArrayList<>();
            boolean hit = true;
            for (Encoder part : concat.parts()) {
                parts.add(embed(part, texts));
                hit &= lastHit;
            }
            lastHit = hit;
            return ConcatEncoder.concat(parts);
        }
        if (dir.isEmpty()) {
            lastHit = false;
            return encoder.embed(texts);
        }
        Path file = dir.get().resolve(encoder.info().id()).resolve(key(texts) + ".safetensors");
        int dim = encoder.info().dimension();
        if (Files.isRegularFile(file)) {
            try {
                SafeTensors.Tensor t = SafeTensors.read(file).tensor("embeddings");
                int[] shape = t.shape();
                if (shape.length == 2 && shape[0] == texts.size() && shape[1] == dim) {
                    lastHit = true;
                    return unflatten(t.data(), texts.size(), dim);
                }
            } catch (IllegalArgumentException | UncheckedIOException e) {
                // A damaged cache file is recomputed below and replaced.
            }
        }
        lastHit = false;
        float[][] x = encoder.embed(texts);
        write(file, x, dim, encoder.info().id());
        return x;
    }

    /** True if the last {@link #embed} call found its vectors on disk. */
    boolean lastHit() {
        return lastHit;
    }

    /** Each text followed by a 0 byte: the texts and an empty last part, 0-separated ({@link CacheFiles#key}). */
    static String key(List<String> texts) {
        List<String> parts = new ArrayList<>(texts);
        parts.add("");
        return CacheFiles.key(parts, 32);
    }

    private static void write(Path file, float[][] x, int dim, String encoderId) {
        float[] flat = new float[x.length * dim];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, flat, i * dim, dim);
        }
        try {
            CacheFiles.writeAtomically(file, tmp -> SafeTensors.of(Map.of("embeddings",
                    new SafeTensors.Tensor(new int[] {x.length, dim}, flat)), Map.of("encoder", encoderId)).write(tmp));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static float[][] unflatten(float[] flat, int n, int dim) {
        float[][] x = new float[n][dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * dim, x[i], 0, dim);
        }
        return x;
    }
}
