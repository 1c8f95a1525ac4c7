package dev.switchboard.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ContentHashTest {

    @Test
    void changesExactlyWhenContentNamesOrEncoderChange(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), "# A\nalpha");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/b.md"), "# B\nbeta");
        String h = ContentHash.of(dir, "enc");

        assertTrue(h.matches("[0-9a-f]{64}"), h);
        assertEquals(h, ContentHash.of(dir, "enc"), "stable");
        assertNotEquals(h, ContentHash.of(dir, "other-encoder"));

        Files.writeString(dir.resolve(".DS_Store"), "junk");
        assertEquals(h, ContentHash.of(dir, "enc"), "hidden files are ignored");

        Files.writeString(dir.resolve("sub/b.md"), "# B\nbetA");
        String edited = ContentHash.of(dir, "enc");
        assertNotEquals(h, edited);

        Files.move(dir.resolve("sub/b.md"), dir.resolve("sub/c.md"));
        assertNotEquals(edited, ContentHash.of(dir, "enc"), "a rename changes document ids");
    }

    @Test
    void fileBoundariesMatter(@TempDir Path dir) throws IOException {
        Path one = Files.createDirectories(dir.resolve("one"));
        Path two = Files.createDirectories(dir.resolve("two"));
        Files.writeString(one.resolve("a.md"), "xy");
        Files.writeString(one.resolve("b.md"), "z");
        Files.writeString(two.resolve("a.md"), "x");
        Files.writeString(two.resolve("b.md"), "yz");

        assertNotEquals(ContentHash.of(one, "e"), ContentHash.of(two, "e"));
    }
}
