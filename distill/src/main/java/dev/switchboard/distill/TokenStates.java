package dev.switchboard.distill;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.TokenEncoding;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Token-level encodings of many texts ({@link Encoder#encodeTokens}), computed on several threads
 * and optionally cached on disk. A cache file is named {@code <encoder>-<key>.tokens}, where the key
 * is the SHA-256 of the encoder id and the texts; a changed text or encoder never hits a stale file.
 * The file is written to a temporary name and renamed ({@link CacheFiles}), so a crash leaves no
 * half-written entry. Texts are encoded on a pool of {@code threads} workers of its own: the encoder's
 * pool serves only {@link Encoder#embed}, and {@link Encoder#encodeTokens} takes one text.
 */
final class TokenStates {

    private static final int MAGIC = 0x534c5431; // "SLT1"

    private TokenStates() {
    }

    /**
     * @param threads  texts encoded in parallel (each ONNX call runs on one thread)
     * @param cacheDir where to look for and store the encodings, or null for no caching
     */
    static List<TokenEncoding> encode(Encoder encoder, List<String> texts, int threads, Path cacheDir) {
        Path file = cacheDir == null ? null : cacheDir.resolve(encoder.info().id() + "-" + key(encoder, texts) + ".tokens");
        if (file != null && Files.isRegularFile(file)) {
            return read(file, texts.size());
        }
        List<TokenEncoding> encodings = compute(encoder, texts, threads);
        if (file != null) {
            write(file, encodings);
        }
        return encodings;
    }

    private static List<TokenEncoding> compute(Encoder encoder, List<String> texts, int threads) {
        TokenEncoding[] out = new TokenEncoding[texts.size()];
        if (threads <= 1 || texts.size() < 2) {
            for (int i = 0; i < out.length; i++) {
                out[i] = encoder.encodeTokens(texts.get(i));
            }
            return Arrays.asList(out);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    for (int i = worker; i < out.length; i += threads) {
                        out[i] = encoder.encodeTokens(texts.get(i));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return Arrays.asList(out);
    }

    /** The encoder id, then the texts, 0-separated ({@link CacheFiles#key}). */
    static String key(Encoder encoder, List<String> texts) {
        List<String> parts = new ArrayList<>(texts.size() + 1);
        parts.add(encoder.info().id());
        parts.addAll(texts);
        return CacheFiles.key(parts, 16);
    }

    private static void write(Path file, List<TokenEncoding> encodings) {
        try {
            CacheFiles.writeAtomically(file, tmp -> writeEncodings(tmp, encodings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write token-state cache " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeEncodings(Path tmp, List<TokenEncoding> encodings) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            out.writeInt(MAGIC);
            out.writeInt(encodings.size());
            for (TokenEncoding e : encodings) {
                out.writeUTF(e.text());
                int n = e.size();
                out.writeInt(n);
                out.writeInt(n == 0 ? 0 : e.states()[0].length);
                for (int t = 0; t < n; t++) {
                    out.writeUTF(e.tokens().get(t));
                    out.writeInt(e.starts()[t]);
                    out.writeInt(e.ends()[t]);
                    out.writeInt(e.words()[t]);
                    for (float v : e.states()[t]) {
                        out.writeFloat(v);
                    }
                }
            }
        }
    }

    private static List<TokenEncoding> read(Path file, int expected) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("token-state cache " + file + " has an unknown format; delete it");
            }
            int count = in.readInt();
            if (count != expected) {
                throw new IllegalArgumentException("token-state cache " + file + " holds " + count + " texts, expected "
                        + expected + "; delete it");
            }
            List<TokenEncoding> encodings = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String text = in.readUTF();
                int n = in.readInt();
                int d = in.readInt();
                List<String> tokens = new ArrayList<>(n);
                int[] starts = new int[n];
                int[] ends = new int[n];
                int[] words = new int[n];
                float[][] states = new float[n][d];
                for (int t = 0; t < n; t++) {
                    tokens.add(in.readUTF());
                    starts[t] = in.readInt();
                    ends[t] = in.readInt();
                    words[t] = in.readInt();
                    for (int k = 0; k < d; k++) {
                        states[t][k] = in.readFloat();
                    }
                }
                encodings.add(new TokenEncoding(text, tokens, starts, ends, words, states));
            }
            return encodings;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read token-state cache " + file + ": " + e.getMessage(), e);
        }
    }
}
