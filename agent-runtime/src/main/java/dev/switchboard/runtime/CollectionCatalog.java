package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.switchboard.retrieval.CollectionId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What the runtime knows about a collection beyond its index: its description and, for a collection
 * that mirrors a knowledge folder, that folder and the {@link ContentHash} it was last indexed from.
 * One small JSON file per collection, {@code <root>/<tenant>/<name>.json}, written atomically
 * (temporary file + move) so that a crash never leaves half a file. Outside the knowledge base's
 * folder, which belongs to the retrieval module.
 */
final class CollectionCatalog {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /**
     * @param description free text given at creation (empty if none)
     * @param folder      the knowledge folder this collection mirrors, or null for a collection
     *                    created through the API
     * @param contentHash the folder's content hash when it was last fully indexed, or null (never
     *                    indexed, or indexing was interrupted)
     */
    record Entry(String description, String folder, String contentHash) {

        Entry {
            description = description == null ? "" : description;
        }

        boolean mirrorsFolder() {
            return folder != null;
        }

        static Entry api(String description) {
            return new Entry(description, null, null);
        }
    }

    private final Path root;

    CollectionCatalog(Path root) {
        this.root = root;
    }

    /** The entry of {@code id}; empty if none was written (or it cannot be read: treated as unknown). */
    Optional<Entry> read(CollectionId id) {
        Path file = file(id);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Entry.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void write(CollectionId id, Entry entry) {
        Path file = file(id);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), entry);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    void delete(CollectionId id) {
        Path file = file(id);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private Path file(CollectionId id) {
        // CollectionId allows only [a-z0-9_-] in both parts: no path tricks are possible here.
        return root.resolve(id.tenant()).resolve(id.name() + ".json");
    }
}
