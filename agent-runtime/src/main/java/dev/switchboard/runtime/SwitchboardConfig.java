package dev.switchboard.runtime;

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

    Generator generator();

    Limits limits();

    Sessions sessions();

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
        /** Where indexes are written ({@code <dir>/index/<collection>}). */
        @WithDefault("data")
        String dir();
    }

    interface Encoder {
        /** Sentence encoder shared by classifiers, retrieval and the extractive generator. */
        @WithDefault("all-minilm-l6-v2-q")
        String id();
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
