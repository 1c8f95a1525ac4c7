package dev.switchboard.models;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The one {@link OrtEnvironment} of the process. ONNX Runtime allows a single environment per
 * process (a second one with other thread settings fails), so every session is created from here.
 *
 * <p>By default ONNX Runtime copies its 28 MB of native libraries into a new temporary folder on
 * every start and never removes it. On Linux x64 we unpack them once into
 * {@code ${java.io.tmpdir}/<onnxruntime jar name>/} and point {@code onnxruntime.native.path}
 * there, unless the user already set that property.
 */
final class OrtRuntime {

    private static final String NATIVE_PATH = "onnxruntime.native.path";
    private static final String[] LIBRARIES = {"libonnxruntime.so", "libonnxruntime4j_jni.so"};

    private static boolean prepared;

    private OrtRuntime() {
    }

    static synchronized OrtEnvironment environment() {
        if (!prepared) {
            useSharedNativeFolder();
            prepared = true;
        }
        return OrtEnvironment.getEnvironment();
    }

    private static void useSharedNativeFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (System.getProperty(NATIVE_PATH) != null || !os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return;
        }
        Path jar;
        try {
            jar = Path.of(OrtEnvironment.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception | Error e) { // no code source (custom class loader): keep ONNX Runtime's default
            return;
        }
        Path folder = Path.of(System.getProperty("java.io.tmpdir"), jar.getFileName().toString().replace(".jar", "") + "-natives");
        try {
            Files.createDirectories(folder);
            for (String library : LIBRARIES) {
                unpack("/ai/onnxruntime/native/linux-x64/" + library, folder.resolve(library));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack ONNX Runtime natives into " + folder, e);
        }
        System.setProperty(NATIVE_PATH, folder.toString());
    }

    /** Copies a resource to {@code target} unless a file of the same size is there; atomic for concurrent JVMs. */
    private static void unpack(String resource, Path target) throws IOException {
        try (InputStream in = OrtEnvironment.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("resource " + resource + " is missing from the onnxruntime jar");
            }
            byte[] bytes = in.readAllBytes();
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return;
            }
            Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".partial");
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
