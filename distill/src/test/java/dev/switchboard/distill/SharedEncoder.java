package dev.switchboard.distill;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;

/**
 * One int8 MiniLM encoder (one ONNX thread) for the test classes of this module that only read from it:
 * loaded on first use, kept for the JVM (surefire runs a module's tests in one JVM), closed at exit.
 * Tests of an encoder's own life cycle load their own.
 */
final class SharedEncoder {

    private static Encoder encoder;

    private SharedEncoder() {
    }

    static synchronized Encoder minilm() {
        if (encoder == null) {
            Encoder loaded = Encoders.load(Encoders.DEFAULT_ID, 1);
            Runtime.getRuntime().addShutdownHook(new Thread(loaded::close));
            encoder = loaded;
        }
        return encoder;
    }
}
