package dev.switchboard.runtime;

import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.SlotTagger;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Gives {@link ModelAdminIT}'s app its own registry (so that promoting does not touch the project's
 * models/): copies of BANKING77 v1 and v2 with v1 serving, plus v3 = v1's weights with its labels shuffled
 * (a shadow candidate that disagrees with the live model on most messages), and a copy of the shipped
 * {@code intent/banking77-cascade} v1. Its folder is published to the test as the system property
 * {@value #ROOT_PROPERTY}. The app's routes are the project's plus {@code it-routes/support-cascade.yaml}
 * (the support route on the cascade) and {@code it-routes/booking.yaml} (an extract step on the registry slot
 * tagger {@code slots/restaurant8k}: v1 serving, a copy of the shipped v1; v2, the same weights with
 * {@code validation_f1} 0.5 in its manifest, so that only the version tells them apart; v3 with a weights file
 * that does not read).
 */
public class ModelRegistryResource implements QuarkusTestResourceLifecycleManager {

    static final String ROOT_PROPERTY = "it.models.dir";

    @Override
    public Map<String, String> start() {
        try {
            Path home = Path.of(System.getProperty("switchboard.home", "..")).toAbsolutePath().normalize();
            Path root = Files.createTempDirectory("it-models");
            Path model = Files.createDirectories(root.resolve("intent/banking77"));
            for (String v : List.of("v1", "v2")) {
                Path to = Files.createDirectories(model.resolve(v));
                for (String f : List.of("manifest.json", "head.safetensors")) {
                    Files.copy(home.resolve("models/intent/banking77").resolve(v).resolve(f), to.resolve(f));
                }
            }
            ModelManifest m1 = ModelManifest.read(model.resolve("v1/manifest.json"));
            List<String> shuffled = new ArrayList<>(m1.labels());
            Collections.shuffle(shuffled, new Random(7));
            Path v3 = Files.createDirectories(model.resolve("v3"));
            Files.copy(model.resolve("v1/head.safetensors"), v3.resolve("head.safetensors"));
            new ModelManifest(m1.kind(), m1.name(), "v3", m1.encoder(), shuffled, m1.seed(), m1.dataset(), m1.metrics(),
                    m1.teacher(), "v1", m1.codeVersion(), m1.created(), m1.parameters(), m1.rejection())
                    .write(v3.resolve("manifest.json"));
            Files.writeString(model.resolve("CURRENT"), "v1\n");
            TestRegistry.copyTree(home.resolve("models/intent/banking77-cascade/v1"), root.resolve("intent/banking77-cascade/v1"));
            Path shippedSlots = home.resolve("models/slots/restaurant8k/v1");
            Path slots = root.resolve("slots/restaurant8k");
            TestRegistry.version(shippedSlots, slots.resolve("v1"), m -> m);
            TestRegistry.version(shippedSlots, slots.resolve("v2"), m -> TestRegistry.withMetric(
                    TestRegistry.with(m, m.version(), "v1", m.metrics()), "validation_f1", 0.5));
            TestRegistry.breakWeights(TestRegistry.version(shippedSlots, slots.resolve("v3"), m -> m), SlotTagger.MODEL_FILE);
            Files.writeString(slots.resolve("CURRENT"), "v1\n");

            Path routes = Files.createTempDirectory("it-routes");
            try (var s = Files.list(home.resolve("routes"))) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    Files.copy(f, routes.resolve(f.getFileName()));
                }
            }
            for (String route : List.of("support-cascade.yaml", "booking.yaml")) {
                try (InputStream in = ModelRegistryResource.class.getResourceAsStream("/it-routes/" + route)) {
                    Files.copy(Objects.requireNonNull(in, "it-routes/" + route), routes.resolve(route));
                }
            }
            System.setProperty(ROOT_PROPERTY, root.toString());
            return Map.of("switchboard.models.dir", root.toString(), "switchboard.models.poll-interval", "200ms",
                    "switchboard.routes.dir", routes.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // the temporary registry is left for inspection; it is a few MB under java.io.tmpdir
    }
}
