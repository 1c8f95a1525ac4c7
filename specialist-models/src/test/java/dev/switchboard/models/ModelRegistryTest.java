package dev.switchboard.models;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Promote, rollback, atomicity and validation on copies of the shipped BANKING77 versions. */
class ModelRegistryTest {

    private static final Path SHIPPED = Path.of(System.getProperty("switchboard.home", ".."))
            .resolve("models/intent/banking77");
    private static final ModelId BANKING = ModelId.parse("intent/banking77");
    private static final Path SHIPPED_CASCADE = SHIPPED.resolveSibling("banking77-cascade").resolve("v1");
    private static final ModelId CASCADE = ModelId.parse("intent/banking77-cascade");

    @TempDir
    Path root;
    private ModelRegistry registry;

    @BeforeEach
    void copyShippedVersions() throws IOException {
        for (String v : List.of("v1", "v2")) {
            copyDir(SHIPPED.resolve(v), root.resolve("intent/banking77").resolve(v));
        }
        registry = ModelRegistry.open(root);
    }

    @Test
    void withoutAPointerTheNewestVersionServesNumerically() throws IOException {
        assertEquals(List.of("v1", "v2"), registry.versions(BANKING));
        assertEquals("v2", registry.serving(BANKING));
        // v10 is newer than v2 although it sorts before it as text
        copyVersion("v1", "v10", m -> m);
        assertEquals(List.of("v1", "v2", "v10"), registry.versions(BANKING));
        assertEquals("v10", registry.serving(BANKING));
        assertEquals(List.of(BANKING), registry.models());
    }

    @Test
    void promoteAndRollbackMoveThePointerAndRecordWhoWhenWhy() throws IOException {
        RegistryEvent e = registry.promote(BANKING, "v1", "alice", "v2 misroutes refunds");
        assertEquals("v2", e.from());
        assertEquals("v1", e.to());
        assertEquals("v1", registry.serving(BANKING));
        assertEquals("v1", Files.readString(root.resolve("intent/banking77/CURRENT")).strip());

        registry.promote(BANKING, "v2", "bob", "fixed");
        assertEquals("v2", registry.serving(BANKING));
        RegistryEvent back = registry.rollback(BANKING, "carol", "oops");
        assertEquals(RegistryEvent.ROLLBACK, back.action());
        assertEquals("v2", back.from());
        assertEquals("v1", back.to());
        assertEquals("v1", registry.serving(BANKING));

        List<RegistryEvent> history = registry.history(BANKING);
        assertEquals(List.of("alice", "bob", "carol"), history.stream().map(RegistryEvent::who).toList());
        assertEquals("v2 misroutes refunds", history.get(0).reason());
        // v1 was first promoted over the implicit v2, so one more rollback goes back to v2, then nothing is left
        assertEquals("v2", registry.rollback(BANKING, "carol", "").to());
        var none = assertThrows(ModelRegistry.RegistryException.class, () -> registry.rollback(BANKING, "carol", ""));
        assertEquals(ModelRegistry.Problem.CONFLICT, none.problem());
        assertTrue(none.getMessage().contains("no version served before v2"), none.getMessage());
    }

    @Test
    void promotingTheServingVersionOrAMissingOneIsRefused() {
        assertFalse(Files.exists(root.resolve("intent/banking77/CURRENT")));
        RegistryEvent pin = registry.promote(BANKING, "v2", "a", "pin the implicit newest");
        assertNull(pin.from());
        assertEquals("v2", pin.to());
        var same = assertThrows(ModelRegistry.RegistryException.class, () -> registry.promote(BANKING, "v2", "a", ""));
        assertEquals(ModelRegistry.Problem.CONFLICT, same.problem());
        var missing = assertThrows(ModelRegistry.RegistryException.class, () -> registry.promote(BANKING, "v9", "a", ""));
        assertEquals(ModelRegistry.Problem.NOT_FOUND, missing.problem());
        assertEquals("intent/banking77 has no version 'v9' (versions: v1, v2)", missing.getMessage());
        var model = assertThrows(ModelRegistry.RegistryException.class,
                () -> registry.promote(ModelId.parse("intent/nope"), "v1", "a", ""));
        assertTrue(model.getMessage().startsWith("no model intent/nope in "), model.getMessage());
        assertEquals(1, registry.history(BANKING).size());
    }

    @Test
    void versionsThatDoNotFitTheServingOneAreRefusedWithTheReason() throws IOException {
        registry.promote(BANKING, "v2", "a", "pin");
        copyVersion("v1", "v3", m -> new ModelManifest(m.kind(), m.name(), "v3", "bge-small-en-v1.5-q", m.labels(),
                m.seed(), m.dataset(), m.metrics(), m.teacher(), m.parentVersion(), m.codeVersion(), m.created(),
                m.parameters(), m.rejection()));
        assertRefused("v3", "intent/banking77 v3 cannot serve: it was trained on encoder bge-small-en-v1.5-q but the "
                + "serving v2 uses all-minilm-l6-v2-q");

        List<String> renamed = new ArrayList<>(registry.manifest(BANKING, "v1").labels());
        renamed.set(0, "refund_missing");
        copyVersion("v1", "v4", m -> new ModelManifest(m.kind(), m.name(), "v4", m.encoder(), renamed, m.seed(),
                m.dataset(), m.metrics(), m.teacher(), m.parentVersion(), m.codeVersion(), m.created(), m.parameters(),
                m.rejection()));
        assertRefused("v4", "intent/banking77 v4 cannot serve: its labels differ from the serving v2's "
                + "(new: [refund_missing], missing: [Refund_not_showing_up])");

        copyVersion("v1", "v5", m -> new ModelManifest("slot-tagger", m.name(), "v5", m.encoder(), m.labels(), m.seed(),
                m.dataset(), m.metrics(), m.teacher(), m.parentVersion(), m.codeVersion(), m.created(), m.parameters(),
                m.rejection()));
        assertRefused("v5", "intent/banking77 v5 cannot serve: its kind is 'slot-tagger' but the serving v2 is "
                + "'intent-classifier'");

        copyVersion("v1", "v6", m -> m); // manifest still says v1
        assertRefused("v6", "intent/banking77 v6 cannot serve: its manifest names banking77 v1");
        assertEquals("v2", registry.serving(BANKING));
    }

    @Test
    void corruptWeightsOrManifestAreRefused() throws IOException {
        registry.promote(BANKING, "v2", "a", "pin");
        copyVersion("v1", "v3", m -> new ModelManifest(m.kind(), m.name(), "v3", m.encoder(), m.labels(), m.seed(),
                m.dataset(), m.metrics(), m.teacher(), m.parentVersion(), m.codeVersion(), m.created(), m.parameters(),
                m.rejection()));
        Path head = root.resolve("intent/banking77/v3/head.safetensors");
        byte[] bytes = Files.readAllBytes(head);
        Files.write(head, java.util.Arrays.copyOf(bytes, bytes.length - 100)); // truncated, as by a failed copy
        var e = assertThrows(ModelRegistry.RegistryException.class, () -> registry.promote(BANKING, "v3", "a", ""));
        assertEquals(ModelRegistry.Problem.INVALID, e.problem());
        assertTrue(e.getMessage().startsWith("intent/banking77 v3 cannot serve: corrupt weights: " + head), e.getMessage());

        Files.writeString(root.resolve("intent/banking77/v3/manifest.json"), "{\"kind\": ");
        var m = assertThrows(ModelRegistry.RegistryException.class, () -> registry.promote(BANKING, "v3", "a", ""));
        assertTrue(m.getMessage().contains("manifest.json is not valid JSON"), m.getMessage());
        assertEquals("v2", registry.serving(BANKING));
        assertTrue(registry.list(BANKING).get(2).problem().contains("not valid JSON"));
    }

    @Test
    void aSlotTaggerWithoutItsWeightsFileIsRefusedByName() throws IOException {
        Path shipped = SHIPPED.getParent().getParent().resolve("slots/restaurant8k/v1");
        ModelId slots = ModelId.parse("slots/restaurant8k");
        copyDir(shipped, root.resolve("slots/restaurant8k/v1"));
        assertEquals(SlotTagger.KIND, registry.validate(slots, "v1").kind());
        copyDir(shipped, root.resolve("slots/restaurant8k/v2"));
        Path v2 = root.resolve("slots/restaurant8k/v2");
        Files.writeString(v2.resolve("manifest.json"), Files.readString(v2.resolve("manifest.json")).replace("\"v1\"", "\"v2\""));
        Files.move(v2.resolve(SlotTagger.MODEL_FILE), v2.resolve("renamed.safetensors"));
        assertRefused(slots, "v2", "slots/restaurant8k v2 cannot serve: it has no slots.safetensors");
    }

    @Test
    void aCascadeVersionIsCheckedThroughBothMembers() throws IOException {
        Path model = root.resolve("intent/banking77-cascade");
        copyTree(SHIPPED_CASCADE, model.resolve("v1"));
        assertEquals(CascadeClassifier.KIND, registry.validate(CASCADE, "v1").kind());
        registry.promote(CASCADE, "v1", "a", "pin");
        // its n-gram member serves on its own too
        copyTree(SHIPPED_CASCADE.resolve(CascadeClassifier.FAST_DIR), root.resolve("intent/banking77-tiny/v1"));
        assertEquals(NgramClassifier.KIND, registry.validate(ModelId.parse("intent/banking77-tiny"), "v1").kind());

        List<String> renamed = new ArrayList<>(registry.manifest(CASCADE, "v1").labels());
        renamed.set(0, "refund_missing");
        copyCascade("v2", "fast", m -> withLabels(m, renamed));
        assertRefused(CASCADE, "v2", "intent/banking77-cascade v2 cannot serve: fast/'s labels differ from the manifest's "
                + "(new: [refund_missing], missing: [Refund_not_showing_up])");

        List<String> swapped = new ArrayList<>(registry.manifest(CASCADE, "v1").labels());
        java.util.Collections.swap(swapped, 0, 1);
        copyCascade("v3", "large", m -> withLabels(m, swapped));
        assertRefused(CASCADE, "v3", "intent/banking77-cascade v3 cannot serve: large/'s labels differ from the manifest's "
                + "(same labels, another order)");

        copyCascade("v4", "large", m -> m);
        Path head = model.resolve("v4/large/head.safetensors");
        byte[] bytes = Files.readAllBytes(head);
        Files.write(head, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        var corrupt = assertThrows(ModelRegistry.RegistryException.class, () -> registry.promote(CASCADE, "v4", "a", ""));
        assertTrue(corrupt.getMessage().startsWith("intent/banking77-cascade v4 cannot serve: corrupt weights: " + head),
                corrupt.getMessage());

        copyCascade("v5", "fast", m -> m);
        Files.delete(model.resolve("v5/fast/ngrams.safetensors"));
        assertRefused(CASCADE, "v5", "intent/banking77-cascade v5 cannot serve: its folder fast/ holds no .safetensors weights");

        // a cascade may not replace a plain classifier (routes and shadows assume one kind per model)
        registry.promote(BANKING, "v2", "a", "pin");
        copyTree(SHIPPED_CASCADE, root.resolve("intent/banking77/v3"));
        Path top = root.resolve("intent/banking77/v3/manifest.json");
        ModelManifest c = ModelManifest.read(top);
        new ModelManifest(c.kind(), "banking77", "v3", c.encoder(), c.labels(), c.seed(), c.dataset(), c.metrics(), c.teacher(),
                c.parentVersion(), c.codeVersion(), c.created(), c.parameters(), c.rejection()).write(top);
        assertRefused(BANKING, "v3", "intent/banking77 v3 cannot serve: its kind is 'intent-cascade' but the serving v2 is "
                + "'intent-classifier'");
        assertEquals("v1", registry.serving(CASCADE));
    }

    /** A copy of the shipped cascade as version {@code version}, with one member's manifest edited. */
    private void copyCascade(String version, String member, java.util.function.UnaryOperator<ModelManifest> edit)
            throws IOException {
        Path dir = root.resolve("intent/banking77-cascade").resolve(version);
        copyTree(SHIPPED_CASCADE, dir);
        ModelManifest c = ModelManifest.read(dir.resolve("manifest.json"));
        new ModelManifest(c.kind(), c.name(), version, c.encoder(), c.labels(), c.seed(), c.dataset(), c.metrics(), c.teacher(),
                c.parentVersion(), c.codeVersion(), c.created(), c.parameters(), c.rejection()).write(dir.resolve("manifest.json"));
        Path manifest = dir.resolve(member).resolve("manifest.json");
        edit.apply(ModelManifest.read(manifest)).write(manifest);
    }

    private static ModelManifest withLabels(ModelManifest m, List<String> labels) {
        return new ModelManifest(m.kind(), m.name(), m.version(), m.encoder(), labels, m.seed(), m.dataset(), m.metrics(),
                m.teacher(), m.parentVersion(), m.codeVersion(), m.created(), m.parameters(), m.rejection());
    }

    @Test
    void aFailureBetweenTheTemporaryPointerAndTheRenameLeavesThePreviousVersionServing() {
        registry.promote(BANKING, "v1", "a", "");
        var failing = ModelRegistry.withFault(root, tmp -> {
            throw new IllegalStateException("injected failure");
        });
        assertThrows(IllegalStateException.class, () -> failing.promote(BANKING, "v2", "a", ""));
        assertEquals("v1", registry.serving(BANKING));
        assertEquals(1, registry.history(BANKING).size());
        registry.promote(BANKING, "v2", "a", "");
        assertEquals("v2", registry.serving(BANKING));
        assertEquals(List.of(), strayPointers(), "the next change removes stray temporary pointers");
    }

    @Test
    void aKilledProcessMidPromotionLeavesThePreviousVersionServing() throws Exception {
        registry.promote(BANKING, "v1", "a", "");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), RegistryCrash.class.getName(),
                root.toString(), BANKING.toString(), "v2").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), "the child halts between the temporary write and the rename: " + output);
        assertEquals(1, strayPointers().size(), "the child wrote its temporary pointer");
        assertEquals("v1", registry.serving(BANKING));
        assertEquals(1, registry.history(BANKING).size());
        assertEquals("v2", registry.rollback(BANKING, "a", "after the crash").to());
        assertEquals(List.of(), strayPointers());
    }

    @Test
    void aPointerToNoVersionIsReportedNotFollowed() throws IOException {
        Files.writeString(root.resolve("intent/banking77/CURRENT"), "v7\n");
        var e = assertThrows(ModelRegistry.RegistryException.class, () -> registry.serving(BANKING));
        assertTrue(e.getMessage().endsWith("CURRENT names 'v7', which is not a version folder of intent/banking77 "
                + "(versions: [v1, v2])"), e.getMessage());
        // a valid version may still replace the broken pointer
        registry.promote(BANKING, "v1", "a", "repair");
        assertEquals("v1", registry.serving(BANKING));
        assertNull(registry.history(BANKING).get(0).from());
    }

    private void assertRefused(String version, String message) {
        assertRefused(BANKING, version, message);
    }

    private void assertRefused(ModelId model, String version, String message) {
        var e = assertThrows(ModelRegistry.RegistryException.class, () -> registry.promote(model, version, "a", ""));
        assertEquals(ModelRegistry.Problem.INVALID, e.problem());
        assertEquals(message, e.getMessage());
    }

    private void copyVersion(String from, String to, java.util.function.UnaryOperator<ModelManifest> edit)
            throws IOException {
        Path target = root.resolve("intent/banking77").resolve(to);
        copyDir(root.resolve("intent/banking77").resolve(from), target);
        Path manifest = target.resolve("manifest.json");
        ModelManifest m = edit.apply(ModelManifest.read(manifest));
        manifest.toFile().setWritable(true);
        m.write(manifest);
    }

    private List<Path> strayPointers() {
        try (Stream<Path> s = Files.list(root.resolve("intent/banking77"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(".CURRENT-")).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Copies a folder with its sub-folders, writable. */
    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(f.getFileName());
                if (Files.isDirectory(f)) {
                    copyTree(f, t);
                } else {
                    Files.copy(f, t);
                    t.toFile().setWritable(true);
                }
            }
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(f.getFileName());
                Files.copy(f, t);
                t.toFile().setWritable(true);
            }
        }
    }
}
