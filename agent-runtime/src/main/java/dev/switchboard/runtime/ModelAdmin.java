package dev.switchboard.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.ModelId;
import dev.switchboard.models.ModelManifest;
import dev.switchboard.models.ModelRegistry;
import dev.switchboard.models.RegistryEvent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model admin API's behaviour, independent of HTTP: views of the served registry models (intent models
 * and slot taggers alike), promote, rollback and shadow (intent models only). Refusals are
 * {@link ApiException}s: 404 for a model no route serves or a version that does not exist, 422 for a version
 * that cannot serve (the registry's or the loader's reason) or a shadow request for a slot tagger, 409 for a
 * conflict (already serving, nothing to roll back to).
 */
final class ModelAdmin {

    static final String ACTOR = "admin-api";

    private final ModelServing serving;

    ModelAdmin(Switchboard switchboard) {
        this.serving = Objects.requireNonNull(switchboard, "switchboard").models();
    }

    /** The response of {@code GET /v1/admin/models}. */
    record ModelList(List<ModelView> models) {
    }

    /**
     * One served model.
     *
     * @param servingVersion  the version answering requests now
     * @param registryVersion what the registry says serves (differs from it only after a failed load: see lastError)
     * @param latencyMs       latency of the serving version's calls since it was loaded: a classification, or a
     *                        slot tagging (encoder included in both)
     * @param shadow          the shadow candidate and its agreement with the serving version, or null (always for
     *                        a slot tagger)
     * @param cascade         for an {@code intent-cascade}: its threshold and how many of the serving version's
     *                        classifications went to the large member; null for other kinds
     */
    record ModelView(String model, String servingVersion, String registryVersion, Instant loadedAt,
                     ManifestSummary manifest, Latency latencyMs, ShadowView shadow, String lastError,
                     List<String> versions, RegistryEvent lastChange, CascadeView cascade) {
    }

    /** {@code escalatedShare = escalated / classified}, null before the first classification. */
    record CascadeView(double threshold, long classified, long escalated, Double escalatedShare) {
    }

    record ManifestSummary(String kind, String encoder, int labels, Map<String, Double> metrics, String parentVersion,
                           String codeVersion, Instant created, String datasetSha256) {
    }

    record Latency(long count, Double p50, Double p99) {
    }

    record ShadowView(String version, long scored, long agreed, Double agreementRate, long dropped) {
    }

    ModelList list() {
        return new ModelList(serving.all().stream().map(ModelAdmin::view).toList());
    }

    ModelView show(String kind, String name) {
        return view(served(kind, name));
    }

    ModelView promote(String kind, String name, String body) {
        Served m = served(kind, name);
        JsonNode json = JsonBodies.object(body);
        JsonBodies.rejectUnknown(json, "", List.of("version", "reason", "by"));
        String version = JsonBodies.requiredText(json, "version");
        String reason = JsonBodies.optionalText(json, "reason");
        String by = JsonBodies.optionalText(json, "by");
        registryCall(() -> m.versions().promote(version, by == null ? ACTOR : by, reason), "version");
        return view(m);
    }

    ModelView rollback(String kind, String name, String body) {
        Served m = served(kind, name);
        String reason = null;
        String by = null;
        if (body != null && !body.isBlank()) {
            JsonNode json = JsonBodies.object(body);
            JsonBodies.rejectUnknown(json, "", List.of("reason", "by"));
            reason = JsonBodies.optionalText(json, "reason");
            by = JsonBodies.optionalText(json, "by");
        }
        String who = by == null ? ACTOR : by;
        String why = reason;
        registryCall(() -> m.versions().rollback(who, why), null);
        return view(m);
    }

    /**
     * {@code {"version": "v1"}} starts shadowing with v1; {@code {"version": null}} stops. An intent model's
     * only: 422 {@code shadow_unsupported} for a slot tagger.
     */
    ModelView shadow(String kind, String name, String body) {
        Served served = served(kind, name);
        if (!(served instanceof ServedModel m)) {
            throw ApiException.unprocessable("shadow_unsupported", "shadow mode scores intent models only; "
                    + served.id() + " is a slot tagger", null);
        }
        JsonNode json = JsonBodies.object(body);
        JsonBodies.rejectUnknown(json, "", List.of("version"));
        if (!json.has("version")) {
            throw ApiException.invalid("missing_field", "'version' is required (null stops shadowing)", "version");
        }
        String version = JsonBodies.optionalText(json, "version");
        registryCall(() -> {
            m.shadow(version);
            return null;
        }, "version");
        return view(m);
    }

    private Served served(String kind, String name) {
        ModelId id;
        try {
            id = new ModelId(kind, name);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("invalid_model", e.getMessage(), null);
        }
        return serving.find(id).orElseThrow(() -> ApiException.notFound("model_not_found", "no route serves model "
                + id + " from the registry; served: " + String.join(", ", serving.all().stream()
                .map(s -> s.id().toString()).toList()), null));
    }

    private static <T> T registryCall(java.util.function.Supplier<T> call, String param) {
        try {
            return call.get();
        } catch (ModelRegistry.RegistryException e) {
            throw switch (e.problem()) {
                case NOT_FOUND -> ApiException.notFound("version_not_found", e.getMessage(), param);
                case INVALID -> ApiException.unprocessable("invalid_model", e.getMessage(), param);
                case CONFLICT -> ApiException.conflict("registry_conflict", e.getMessage(), param);
            };
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("invalid_model", e.getMessage(), param);
        }
    }

    static ModelView view(Served m) {
        HotSwap<?> versions = m.versions();
        HotSwap.Live<?> live = versions.live();
        ModelManifest mf = live.manifest();
        ModelRegistry registry = versions.registry();
        String registryVersion;
        try {
            registryVersion = registry.serving(m.id());
        } catch (RuntimeException e) {
            registryVersion = null;
        }
        List<RegistryEvent> history = registry.history(m.id());
        LatencyHistogram h = live.latency();
        long n = h.count();
        ServedModel.ShadowStats s = m instanceof ServedModel intent ? intent.shadowStats() : null;
        return new ModelView(m.id().toString(), live.version(), registryVersion, live.loadedAt(),
                new ManifestSummary(mf.kind(), mf.encoder(), mf.labels().size(), mf.metrics(), mf.parentVersion(),
                        mf.codeVersion(), mf.created(), mf.dataset().sha256()),
                new Latency(n, n == 0 ? null : h.percentileMillis(0.5), n == 0 ? null : h.percentileMillis(0.99)),
                s == null ? null : new ShadowView(s.version(), s.scored(), s.agreed(), s.agreementRate(), s.dropped()),
                versions.lastError(), registry.versions(m.id()), history.isEmpty() ? null : history.get(history.size() - 1),
                live.model() instanceof CascadeClassifier c ? cascade(c) : null);
    }

    private static CascadeView cascade(CascadeClassifier c) {
        long n = c.classifiedCount();
        long up = c.escalatedCount();
        return new CascadeView(c.threshold(), n, up, n == 0 ? null : Math.round(10_000.0 * up / n) / 10_000.0);
    }
}
