package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsNamesShapesValuesOrderAndMetadata() {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", new SafeTensors.Tensor(new int[] {2, 3}, new float[] {1, -2, 3.5f, Float.MIN_VALUE, 0, -0f}));
        tensors.put("b", new SafeTensors.Tensor(new int[] {2}, new float[] {0.25f, 1e30f}));
        tensors.put("scalar", new SafeTensors.Tensor(new int[] {}, new float[] {7}));
        Path file = dir.resolve("t.safetensors");
        SafeTensors.of(tensors, Map.of("format", "test")).write(file);

        SafeTensors read = SafeTensors.read(file);
        assertEquals(List.of("w", "b", "scalar"), List.copyOf(read.tensors().keySet()));
        for (String name : tensors.keySet()) {
            assertArrayEquals(tensors.get(name).shape(), read.tensor(name).shape(), name);
            assertArrayEquals(tensors.get(name).data(), read.tensor(name).data(), name);
        }
        assertEquals(Map.of("format", "test"), read.metadata());
    }

    @Test
    void writesTheSpecifiedLayout() throws Exception {
        Path file = dir.resolve("t.safetensors");
        SafeTensors.of(Map.of("x", new SafeTensors.Tensor(new int[] {2}, new float[] {1.5f, -2f})), Map.of()).write(file);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        assertEquals(0, (8 + n) % 8, "data must start 8-byte aligned");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(8 + n + 8, bytes.length);
        buf.position((int) (8 + n));
        assertEquals(1.5f, buf.getFloat());
        assertEquals(-2f, buf.getFloat());
    }

    @Test
    void equalContentsGiveIdenticalBytes() throws Exception {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        var t = Map.of("x", new SafeTensors.Tensor(new int[] {1}, new float[] {1}));
        SafeTensors.of(t, ab).write(dir.resolve("1"));
        SafeTensors.of(t, ba).write(dir.resolve("2"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("1")), Files.readAllBytes(dir.resolve("2")));
    }

    @Test
    void readsAFileBuiltByHandFromTheSpecification() throws Exception {
        // Two tensors stored in the opposite order of the header keys, no padding, with metadata.
        String header = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}";
        Path file = dir.resolve("hand.safetensors");
        Files.write(file, file(header, 3f, 10f, 20f));
        SafeTensors read = SafeTensors.read(file);
        assertArrayEquals(new float[] {10f, 20f}, read.tensor("a").data());
        assertArrayEquals(new int[] {1, 2}, read.tensor("a").shape());
        assertArrayEquals(new float[] {3f}, read.tensor("b").data());
        assertEquals(Map.of("k", "v"), read.metadata());
    }

    @Test
    void rejectsOtherDtypesHolesTruncationAndGarbageWithTheFileName() throws Exception {
        Path f16 = dir.resolve("f16.safetensors");
        Files.write(f16, file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 1f));
        var e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(f16));
        assertTrue(e.getMessage().startsWith(f16.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("tensor 'h' has dtype 'F16'; only F32 is supported"), e.getMessage());

        Path hole = dir.resolve("hole.safetensors");
        Files.write(hole, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 1f, 2f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(hole)).getMessage()
                .contains("tensor 'a' starts at byte 4 but the previous tensor ends at 0"));

        Path shape = dir.resolve("shape.safetensors");
        Files.write(shape, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 1f, 2f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(shape)).getMessage()
                .contains("tensor 'a' of shape [3] needs 12 bytes"));

        Path trailing = dir.resolve("trailing.safetensors");
        Files.write(trailing, file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 1f, 2f));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(trailing)).getMessage()
                .contains("4 trailing bytes after the last tensor"));

        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, "this is not a safetensors file".getBytes(StandardCharsets.UTF_8));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(garbage)).getMessage()
                .contains("header length"));
    }

    @Test
    void tensorValidatesItsShapeAndLookupNamesMissingTensors() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SafeTensors.Tensor(new int[] {2, 2}, new float[3]));
        assertEquals("shape [2, 2] needs 4 values but data has 3", e.getMessage());
        SafeTensors st = SafeTensors.of(Map.of("a", new SafeTensors.Tensor(new int[] {1}, new float[1])), Map.of());
        assertEquals("no tensor named 'b' (have [a])",
                assertThrows(IllegalArgumentException.class, () -> st.tensor("b")).getMessage());
    }

    private static byte[] file(String header, float... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        out.writeBytes(len.array());
        out.writeBytes(json);
        ByteBuffer values = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            values.putFloat(f);
        }
        out.writeBytes(values.array());
        return out.toByteArray();
    }
}
