package dev.switchboard.runtime;

import dev.switchboard.retrieval.CollectionId;
import dev.switchboard.retrieval.SearchMode;

import java.util.List;
import java.util.Objects;

/**
 * One step of a route, as written in a route file. The compact constructors are the single place
 * where a step's values are validated; their messages name the YAML field (snake_case) so that the
 * route parser can prefix them with the file and the step's position.
 */
sealed interface RouteStep {

    /** The step's key in the route file: {@code classify}, {@code extract}, {@code retrieve}, {@code answer}. */
    String type();

    /**
     * Classifies the message's intent with {@code model}: a registry model {@code kind/name} (e.g.
     * {@code intent/banking77}: its serving version, hot-swapped on promote/rollback), or a version folder
     * relative to the project root (e.g. {@code models/intent/banking77/v1}: pinned). A top-1 confidence
     * below {@code minConfidence} escalates with reason {@code low_confidence}.
     */
    record Classify(String model, double minConfidence) implements RouteStep {

        /** Default of {@code min_confidence}. */
        static final double DEFAULT_MIN_CONFIDENCE = 0.5;

        public Classify {
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("model is required (a model folder such as models/intent/banking77/v1)");
            }
            if (!(minConfidence >= 0.0 && minConfidence <= 1.0)) {
                throw new IllegalArgumentException("min_confidence must be between 0 and 1, got " + minConfidence);
            }
        }

        @Override
        public String type() {
            return "classify";
        }
    }

    /**
     * Extracts entities. Without {@code model}: the recognizers of {@code types} (names known to
     * {@code PatternExtractor}), as before. With {@code model}: a trained slot tagger (a registry model
     * {@code kind/name} such as {@code slots/restaurant8k}: its serving version, hot-swapped on promote/rollback;
     * or a version folder relative to the project root: pinned) merged with the recognizers of
     * {@code types}, or with every recognizer when {@code types} is empty ({@code CombinedExtractor}).
     */
    record Extract(List<String> types, String model) implements RouteStep {

        public Extract {
            Objects.requireNonNull(types, "types");
            if (model != null && model.isBlank()) {
                throw new IllegalArgumentException("model must not be blank (a slot tagger such as slots/restaurant8k)");
            }
            if (types.isEmpty() && model == null) {
                throw new IllegalArgumentException("types must list at least one entity type");
            }
            for (String t : types) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException("types must not contain blank entries");
                }
            }
            types = List.copyOf(types);
        }

        /** A pattern-only step. */
        Extract(List<String> types) {
            this(types, null);
        }

        @Override
        public String type() {
            return "extract";
        }
    }

    /**
     * Searches the knowledge collection {@code collection} of {@code tenant} for the {@code topK}
     * best chunks. Only hits whose query/chunk cosine is at least {@code minCosine} ground the answer;
     * when none is, the message escalates with reason {@code no_grounding}.
     */
    record Retrieve(String tenant, String collection, int topK, SearchMode mode, double minCosine) implements RouteStep {

        /** Defaults of {@code tenant}, {@code top_k}, {@code mode} and {@code min_cosine}. */
        static final String DEFAULT_TENANT = CollectionId.DEFAULT_TENANT;
        static final int DEFAULT_TOP_K = 4;
        static final SearchMode DEFAULT_MODE = SearchMode.HYBRID;
        /**
         * Measured for the default retrieval encoder, int8 bge-small, on the demo help center: 0.4% of
         * in-domain messages fall below it, most off-topic ones do (docs/benchmarks.md, "Grounding
         * threshold"). Another encoder has another cosine scale (0.3 suited int8 MiniLM).
         */
        static final double DEFAULT_MIN_COSINE = 0.6;
        static final int MAX_TOP_K = 50;

        public Retrieve {
            if (collection == null || collection.isBlank()) {
                throw new IllegalArgumentException("collection is required (a folder name under the knowledge directory, "
                        + "or a collection created through the API)");
            }
            tenant = tenant == null ? DEFAULT_TENANT : tenant;
            CollectionId.of(tenant, collection); // validates both names
            if (topK < 1 || topK > MAX_TOP_K) {
                throw new IllegalArgumentException("top_k must be between 1 and " + MAX_TOP_K + ", got " + topK);
            }
            Objects.requireNonNull(mode, "mode");
            if (!(minCosine >= -1.0 && minCosine <= 1.0)) {
                throw new IllegalArgumentException("min_cosine must be between -1 and 1, got " + minCosine);
            }
        }

        /** A step on the default tenant's collection. */
        Retrieve(String collection, int topK, SearchMode mode, double minCosine) {
            this(DEFAULT_TENANT, collection, topK, mode, minCosine);
        }

        CollectionId collectionId() {
            return CollectionId.of(tenant, collection);
        }

        @Override
        public String type() {
            return "retrieve";
        }
    }

    /**
     * Answers from the retrieved passages with {@code generator}: {@code extractive}, {@code openai}
     * or {@code default} (= {@code switchboard.generator.kind}).
     */
    record Answer(String generator) implements RouteStep {

        static final List<String> GENERATORS = List.of("default", "extractive", "openai");

        public Answer {
            if (generator == null || !GENERATORS.contains(generator)) {
                throw new IllegalArgumentException("generator must be one of " + String.join(", ", GENERATORS)
                        + ", got " + (generator == null ? "nothing" : "'" + generator + "'"));
            }
        }

        @Override
        public String type() {
            return "answer";
        }
    }
}
