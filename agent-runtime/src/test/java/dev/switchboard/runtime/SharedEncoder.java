package dev.switchboard.runtime;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;

/**
 * One int8 MiniLM encoder (one ONNX thread) for this module's test classes that only read from it, instead
 * of a load and close per class: loaded on first use, kept for the JVM (surefire runs a module's tests in
 * one JVM), closed at exit.
 */
final class SharedEncoder {

    private SharedEncoder() {
    }

    static Encoder minilm() {
        return Holder.MINILM;
    }

    /** Loaded when {@link #minilm} first reads it (class initialisation is lazy and thread-safe). */
    private static final class Holder {
        static final Encoder MINILM = Encoders.load(Encoders.DEFAULT_ID, 1);

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(MINILM::close));
        }
    }
}
