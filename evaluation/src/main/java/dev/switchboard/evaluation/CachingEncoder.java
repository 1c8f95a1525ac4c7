package dev.switchboard.evaluation;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An encoder that remembers its embeddings in {@code <dir>/<encoder id>.vectors}, so that repeated
 * evaluation runs over one corpus embed each text once. Keys are SHA-256 of the exact text (query
 * prefixes included). The file is: int magic, int dimension, then (32-byte key, dimension floats)
 * records; new vectors are appended on {@link #close()}. Closing also closes the wrapped encoder.
 */
final class CachingEncoder implements Encoder {

    private static final int MAGIC = 0x53425643; // "SBVC"

    private final Encoder encoder;
    private final Path file;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final Map<String, float[]> added = new LinkedHashMap<>();
    private int hits;
    private int misses;

    CachingEncoder(Encoder encoder, Path dir) {
        this.encoder = encoder;
        this.file = dir.resolve(encoder.info().id() + ".vectors");
        load();
    }

    @Override
    public EncoderInfo info() {
        return encoder.info();
    }

    @Override
    public float[][] embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        List<String> missing = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            out[i] = vectors.get(key(texts.get(i)));
            if (out[i] == null) {
                missing.add(texts.get(i));
                at.add(i);
            }
        }
        if (!missing.isEmpty()) {
            float[][] fresh = encoder.embed(missing);
            synchronized (added) {
                for (int j = 0; j < fresh.length; j++) {
                    String key = key(missing.get(j));
                    vectors.put(key, fresh[j]);
                    added.put(key, fresh[j]);
                    out[at.get(j)] = fresh[j];
                }
            }
        }
        synchronized (added) {
            hits += texts.size() - missing.size();
            misses += missing.size();
        }
        return out;
    }

    /** How many texts were served from the cache, and how many were embedded. */
    String stats() {
        synchronized (added) {
            return hits + " cached, " + misses + " embedded";
        }
    }

    @Override
    public void close() {
        try {
            save();
        } finally {
            encoder.close();
        }
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        int dim = encoder.info().dimension();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC || in.readInt() != dim) {
                throw new IllegalStateException("embedding cache " + file + " is not a cache of " + encoder.info().id()
                        + " (" + dim + " dimensions): delete it");
            }
            byte[] key = new byte[32];
            while (true) {
                try {
                    in.readFully(key);
                } catch (EOFException end) {
                    return;
                }
                float[] v = new float[dim];
                for (int i = 0; i < dim; i++) {
                    v[i] = in.readFloat();
                }
                vectors.put(HexFormat.of().formatHex(key), v);
            }
        } catch (EOFException e) {
            throw new IllegalStateException("embedding cache " + file + " is truncated: delete it", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedding cache " + file + ": " + e.getMessage(), e);
        }
    }

    private void save() {
        synchronized (added) {
            if (added.isEmpty()) {
                return;
            }
            try {
                Files.createDirectories(file.getParent());
                boolean fresh = !Files.exists(file);
                try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND)))) {
                    if (fresh) {
                        out.writeInt(MAGIC);
                        out.writeInt(encoder.info().dimension());
                    }
                    for (Map.Entry<String, float[]> e : added.entrySet()) {
                        out.write(HexFormat.of().parseHex(e.getKey()));
                        for (float f : e.getValue()) {
                            out.writeFloat(f);
                        }
                    }
                }
                added.clear();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write embedding cache " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static String key(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
