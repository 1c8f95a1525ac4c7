package dev.switchboard.models;

import ai.onnxruntime.OrtEnvironment;

/**
 * The one {@link OrtEnvironment} of the process. ONNX Runtime allows a single environment per
 * process (a second one with other thread settings fails), so every session is created from here.
 */
final class OrtRuntime {

    private OrtRuntime() {
    }

    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }
}
