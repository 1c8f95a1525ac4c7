package dev.switchboard.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A minimal reader and writer of the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, for {@code F32} tensors only. Layout: an unsigned 64-bit little-endian header length
 * {@code N}; {@code N} bytes of UTF-8 JSON {@code {name: {"dtype", "shape", "data_offsets": [begin, end]},
 * "__metadata__": {string: string}}}; then the raw little-endian tensor bytes, offsets relative to the
 * end of the header. The writer pads the header with spaces so the data starts 8-byte aligned, as
 * the reference implementation does, and writes tensors in the given order and metadata sorted by key,
 * so equal contents give byte-identical files.
 */
public final class SafeTensors {

    /** A float tensor: {@code data} in row-major order, {@code data.length == product(shape)}. */
    public record Tensor(int[] shape, float[] data) {

        public Tensor {
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(data, "data");
            long size = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
                }
                size *= d;
            }
            if (size != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size
                        + " values but data has " + data.length);
            }
            shape = shape.clone();
            data = data.clone();
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        @Override
        public float[] data() {
            return data.clone();
        }

        /** A 2-D tensor holding {@code rows} (all of one length, at least one) row after row. */
        public static Tensor ofRows(float[][] rows) {
            int cols = rows[0].length;
            float[] flat = new float[rows.length * cols];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(rows[r], 0, flat, r * cols, cols);
            }
            return new Tensor(new int[] {rows.length, cols}, flat);
        }

        /**
         * The rows of a 2-D tensor.
         *
         * @throws IllegalArgumentException "expected a 2-D tensor, got shape [...]" otherwise
         */
        public float[][] rows() {
            if (shape.length != 2) {
                throw new IllegalArgumentException("expected a 2-D tensor, got shape " + Arrays.toString(shape));
            }
            float[][] m = new float[shape[0]][shape[1]];
            for (int r = 0; r < shape[0]; r++) {
                System.arraycopy(data, r * shape[1], m[r], 0, shape[1]);
            }
            return m;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    /** The reference implementation refuses larger headers too. */
    private static final long MAX_HEADER = 100_000_000L;

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Tensors to write, in this order, and string metadata (may be empty). */
    public static SafeTensors of(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        for (var e : tensors.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("invalid tensor name: " + e.getKey());
            }
            Objects.requireNonNull(e.getValue(), () -> "tensor " + e.getKey());
        }
        metadata.forEach((k, v) -> {
            Objects.requireNonNull(k, "metadata key");
            Objects.requireNonNull(v, () -> "metadata value of " + k);
        });
        return new SafeTensors(tensors, metadata);
    }

    /** The tensors, in file order. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} entries (empty when the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor called {@code name}. @throws IllegalArgumentException if there is none */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor named '" + name + "' (have " + tensors.keySet() + ")");
        }
        return t;
    }

    /** Writes the file (replacing it if present). */
    public void write(Path file) {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            // Sorted, so that equal contents give byte-identical files.
            ObjectNode meta = header.putObject(METADATA);
            new TreeMap<>(metadata).forEach(meta::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (int d : e.getValue().shape) {
                shape.add(d);
            }
            long end = offset + 4L * e.getValue().data.length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            buf.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            buf.asFloatBuffer().put(t.data);
            buf.position(buf.position() + 4 * t.data.length);
        }
        try {
            Files.write(file, buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a safetensors file.
     *
     * @throws IllegalArgumentException naming the file and the problem if it is not valid safetensors,
     *                                  holds a dtype other than F32, or leaves bytes unaccounted for
     * @throws UncheckedIOException     if it cannot be read
     */
    public static SafeTensors read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static SafeTensors parse(byte[] bytes) {
        if (bytes.length < 8) {
            throw new IllegalArgumentException("not a safetensors file: only " + bytes.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw new IllegalArgumentException("header length " + Long.toUnsignedString(headerLength)
                    + " does not fit in a file of " + bytes.length + " bytes");
        }
        int dataStart = 8 + (int) headerLength;
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("header is not valid JSON: " + e.getMessage());
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException("header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        var entries = new ArrayList<Map.Entry<String, long[]>>();
        for (var field : header.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals(METADATA)) {
                node.properties().forEach(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String dtype = node.path("dtype").asText();
            if (!dtype.equals("F32")) {
                throw new IllegalArgumentException("tensor '" + name + "' has dtype '" + dtype + "'; only F32 is supported");
            }
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new IllegalArgumentException("tensor '" + name + "' needs a 'shape' array and two 'data_offsets'");
            }
            long[] spec = new long[2 + shapeNode.size()];
            spec[0] = offsets.get(0).asLong(-1);
            spec[1] = offsets.get(1).asLong(-1);
            long size = 1;
            for (int i = 0; i < shapeNode.size(); i++) {
                spec[2 + i] = shapeNode.get(i).asLong(-1);
                if (spec[2 + i] < 0 || spec[2 + i] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("tensor '" + name + "' has an invalid shape " + shapeNode);
                }
                size *= spec[2 + i];
            }
            if (spec[0] < 0 || spec[1] < spec[0] || spec[1] - spec[0] != 4 * size) {
                throw new IllegalArgumentException("tensor '" + name + "' of shape " + shapeNode + " needs " + 4 * size
                        + " bytes but data_offsets are " + offsets);
            }
            entries.add(Map.entry(name, spec));
        }
        entries.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0])
                .thenComparingLong(e -> e.getValue()[1]));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long expected = 0;
        for (var e : entries) {
            long[] spec = e.getValue();
            if (spec[0] != expected) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' starts at byte " + spec[0]
                        + " but the previous tensor ends at " + expected + " (holes and overlaps are not allowed)");
            }
            if (dataStart + spec[1] > bytes.length) {
                throw new IllegalArgumentException("tensor '" + e.getKey() + "' ends at byte " + spec[1]
                        + " past the end of the data (" + (bytes.length - dataStart) + " bytes)");
            }
            float[] data = new float[(int) ((spec[1] - spec[0]) / 4)];
            ByteBuffer.wrap(bytes, dataStart + (int) spec[0], 4 * data.length).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(data);
            int[] shape = new int[spec.length - 2];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = (int) spec[2 + i];
            }
            tensors.put(e.getKey(), new Tensor(shape, data));
            expected = spec[1];
        }
        if (dataStart + expected != bytes.length) {
            throw new IllegalArgumentException((bytes.length - dataStart - expected)
                    + " trailing bytes after the last tensor");
        }
        return new SafeTensors(tensors, metadata);
    }
}
