package dev.switchboard.runtime;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code switchboard.*} configuration as Quarkus reads it. Only {@link SwitchboardProducer}
 * reads this interface; it turns it into a plain {@link RuntimeSettings} record that the rest of the
 * runtime (and its tests) use.
 */
@ConfigMapping(prefix = "switchboard")
interface SwitchboardConfig {

    /** Project root; relative folders below resolve against it. Default: the working directory. */
    Optional<String> home();

    Routes routes();

    Knowledge knowledge();

    Data data();

    Encoder encoder();

    Retrieval retrieval();

    Uploads uploads();

    Generator generator();

    Limits limits();

    Sessions sessions();

    Models models();

    Intent intent();

    Decisions decisions();

    interface Routes {
        /** Folder of route files. */
        @WithDefault("routes")
        String dir();
    }

    interface Knowledge {
        /** Folder whose subfolders are knowledge collections. */
        @WithDefault("knowledge")
        String dir();
    }

    interface Data {
        /** Where collections are stored ({@code <dir>/collections/<tenant>/<name>}). */
        @WithDefault("data")
        String dir();
    }

    interface Encoder {
        /** Sentence encoder of the classifiers and the extractive generator. */
        @WithDefault("all-minilm-l6-v2-q")
        String id();
    }

    interface Retrieval {
        /** Encoder of the knowledge collections (chunk vectors and queries). */
        @WithDefault(RetrievalSettings.DEFAULT_ENCODER)
        String encoder();

        /** Default hybrid fusion: {@code rrf}, {@code rrf:K}, {@code weighted:W}, {@code zscore:W}; absent: the library default. */
        Optional<String> fusion();

        /** {@code none} or {@code embedding:<encoder id>}: what {@code "rerank": true} in a search uses. */
        @WithDefault("none")
        String reranker();

        /** How many fused hits the reranker re-scores. */
        @WithDefault("20")
        int rerankDepth();
    }

    interface Uploads {
        /** Largest file accepted by {@code POST /v1/collections/{name}/documents}. */
        @WithDefault("20M")
        MemorySize maxFileSize();

        /** Largest request body of that endpoint (all files of one upload, or its JSON). */
        @WithDefault("64M")
        MemorySize maxRequestSize();
    }

    interface Generator {
        /** {@code extractive} or {@code openai}: what {@code generator: default} in a route means. */
        @WithDefault("extractive")
        String kind();

        OpenAi openai();

        interface OpenAi {
            Optional<String> baseUrl();

            Optional<String> model();

            Optional<String> apiKey();

            @WithDefault("60s")
            Duration timeout();
        }
    }

    interface Limits {
        /** Longest accepted message, in characters (Unicode code points). */
        @WithDefault("4000")
        int maxMessageChars();

        /** Largest request body of every endpoint but the document upload (which has {@code uploads.max-request-size}). */
        @WithDefault("512K")
        MemorySize maxBodySize();
    }

    interface Models {
        /** The model registry: {@code <dir>/<kind>/<name>/v<N>} with a {@code CURRENT} pointer per model. */
        @WithDefault("models")
        String dir();

        /** How often each served model's {@code CURRENT} is re-read (hot swap after a CLI promote). */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Intent {
        /** Shadow candidate: a version ({@code v1}) for every served intent model, or {@code kind/name@version}, comma-separated. */
        Optional<String> shadow();
    }

    interface Decisions {
        /** Append one anonymised JSON line per message to {@code <data dir>/logs/decisions-<yyyy-MM-dd>.jsonl}. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Sessions {
        /** A session unused for this long is forgotten. */
        @WithDefault("30m")
        Duration ttl();

        /** At most this many sessions are kept; the least recently used one is evicted beyond. */
        @WithDefault("10000")
        int maxCount();
    }
}
