package dev.switchboard.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several encoders as one: the embedding of a text is the concatenation of each encoder's
 * (unit-length) embedding, scaled by {@code 1/sqrt(m)} for {@code m} encoders so that it has unit length
 * again. Its id joins the parts' ids with {@value #SEPARATOR} (e.g.
 * {@code all-minilm-l6-v2-q+bge-small-en-v1.5-q}), which is what a model trained on it records in its
 * manifest. Owns and closes its parts. Thread-safe when its parts are.
 */
public final class ConcatEncoder implements Encoder {

    public static final String SEPARATOR = "+";

    private final List<Encoder> parts;
    private final EncoderInfo info;

    private ConcatEncoder(List<Encoder> parts) {
        this.parts = parts;
        int dimension = parts.stream().mapToInt(p -> p.info().dimension()).sum();
        int maxTokens = parts.stream().mapToInt(p -> p.info().maxTokens()).min().orElseThrow();
        String id = String.join(SEPARATOR, parts.stream().map(p -> p.info().id()).toList());
        this.info = new EncoderInfo(id, dimension, parts.get(0).info().pooling(), maxTokens, "");
    }

    /**
     * Loads an encoder id, or several joined with {@value #SEPARATOR} as a {@link ConcatEncoder}.
     *
     * @throws IllegalArgumentException as {@link Encoders#load(String, int)} for any part
     */
    public static Encoder load(String id, int threads) {
        Objects.requireNonNull(id, "id");
        if (!id.contains(SEPARATOR)) {
            return Encoders.load(id, threads);
        }
        List<Encoder> parts = new ArrayList<>();
        try {
            for (String part : id.split("\\" + SEPARATOR)) {
                parts.add(Encoders.load(part.strip(), threads));
            }
        } catch (RuntimeException e) {
            parts.forEach(Encoder::close);
            throw e;
        }
        return new ConcatEncoder(List.copyOf(parts));
    }

    /** {@link #load(String, int)} with one worker per core. */
    public static Encoder load(String id) {
        return load(id, Runtime.getRuntime().availableProcessors());
    }

    /** Wraps encoders already loaded (at least two); closing this closes them. */
    public static ConcatEncoder of(List<Encoder> parts) {
        if (parts.size() < 2) {
            throw new IllegalArgumentException("a concatenation needs at least 2 encoders, got " + parts.size());
        }
        return new ConcatEncoder(List.copyOf(parts));
    }

    /** The encoders concatenated, in order. */
    public List<Encoder> parts() {
        return parts;
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public float[][] embed(List<String> texts) {
        List<float[][]> each = new ArrayList<>(parts.size());
        for (Encoder p : parts) {
            each.add(p.embed(texts));
        }
        return concat(each);
    }

    /** Row-wise concatenation scaled by 1/sqrt(parts): unit rows stay unit. */
    public static float[][] concat(List<float[][]> each) {
        int n = each.get(0).length;
        int dimension = each.stream().mapToInt(e -> n == 0 ? 0 : e[0].length).sum();
        float scale = (float) (1 / Math.sqrt(each.size()));
        float[][] out = new float[n][dimension];
        for (int i = 0; i < n; i++) {
            int offset = 0;
            for (float[][] e : each) {
                for (int d = 0; d < e[i].length; d++) {
                    out[i][offset + d] = e[i][d] * scale;
                }
                offset += e[i].length;
            }
        }
        return out;
    }

    @Override
    public void close() {
        parts.forEach(Encoder::close);
    }
}
