package dev.switchboard.models;

import java.util.Arrays;
import java.util.List;

/** Loads the encoders that ship inside langchain4j's embedding jars on the classpath. */
public final class Encoders {

    /** The default encoder: int8 all-MiniLM-L6-v2 (23 MB, 384 dimensions, mean pooling). */
    public static final String DEFAULT_ID = "all-minilm-l6-v2-q";

    private Encoders() {
    }

    /** Loads {@code id} with one worker thread per available core. */
    public static Encoder load(String id) {
        return load(id, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads {@code id}. Large batches are split across {@code threads} workers, each running the
     * model single-threaded: on few cores that is faster than one call using all of them, and a
     * single short text (the serving case) runs on the caller's thread without hand-off.
     *
     * @throws IllegalArgumentException if the id is unknown, its jar is not on the classpath, or
     *                                  {@code threads < 1}
     */
    public static Encoder load(String id, int threads) {
        EncoderSpec spec = EncoderSpec.byId(id).orElseThrow(() -> new IllegalArgumentException(
                "unknown encoder '" + id + "'; known encoders: " + known()));
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return OnnxEncoder.load(spec, threads);
    }

    /** The encoder ids this build knows how to load (their jars may still be absent). */
    public static List<String> known() {
        return Arrays.stream(EncoderSpec.values()).map(s -> s.id).toList();
    }
}
