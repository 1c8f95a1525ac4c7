package dev.switchboard.models;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/** Creates {@link Generator}s. */
public final class Generators {

    /** Default {@code maxSentences} of {@link #extractive(Encoder)}: 3. */
    public static final int DEFAULT_MAX_SENTENCES = ExtractiveGenerator.DEFAULT_MAX_SENTENCES;
    /**
     * Default {@code minSimilarity} of {@link #extractive(Encoder)}: 0.40. Measured with the int8 MiniLM
     * encoder: in-domain questions answered 97.5% (emanual_qa, covid_faq) against 99.5% at 0.35, while
     * off-topic questions refused rose from 29% / 89% to 49% / 96%.
     */
    public static final double DEFAULT_MIN_SIMILARITY = ExtractiveGenerator.DEFAULT_MIN_SIMILARITY;

    private Generators() {
    }

    /**
     * The embedded extractive generator (id {@code "extractive"}) with {@value #DEFAULT_MAX_SENTENCES}
     * sentences at most and a cosine threshold of {@value #DEFAULT_MIN_SIMILARITY}. It quotes passage
     * sentences, needs no language model and says so in its answers. The encoder is borrowed: closing
     * it is the caller's job.
     */
    public static Generator extractive(Encoder encoder) {
        return extractive(encoder, DEFAULT_MAX_SENTENCES, DEFAULT_MIN_SIMILARITY);
    }

    /**
     * The extractive generator quoting at most {@code maxSentences} sentences whose cosine similarity
     * to the question is at least {@code minSimilarity}.
     *
     * @throws IllegalArgumentException if {@code maxSentences < 1} or {@code minSimilarity} is not in [-1, 1]
     */
    public static Generator extractive(Encoder encoder, int maxSentences, double minSimilarity) {
        return new ExtractiveGenerator(encoder, maxSentences, minSimilarity);
    }

    /** A grounded generator on any LangChain4j chat model; {@code id} names it in answers and logs. */
    public static Generator fromChatModel(String id, ChatModel model) {
        return new ChatModelGenerator(id, model);
    }

    /**
     * A grounded generator on an OpenAI-compatible {@code /chat/completions} endpoint (OpenAI, vLLM,
     * llama.cpp server, Ollama, LiteLLM ...), id {@code "openai:<model>"}. Requests are not retried
     * (the caller falls back, e.g. to the extractive generator, rather than making the customer wait)
     * and the server's default temperature is used. Failures surface from {@link Generator#generate} as
     * LangChain4j's unchecked exceptions, e.g. {@code dev.langchain4j.exception.TimeoutException} or
     * {@code AuthenticationException} (HTTP 401) with the server's error message.
     *
     * @param baseUrl the API root including its version path, e.g. {@code https://api.openai.com/v1}
     * @param model   the model name sent in each request
     * @param apiKey  sent as a bearer token; null or blank sends none (local servers)
     * @param timeout connect and read timeout of each request
     * @throws IllegalArgumentException if {@code baseUrl} is not an absolute http(s) URL, {@code model}
     *                                  is blank or {@code timeout} is not positive
     */
    public static Generator openAiCompatible(String baseUrl, String model, String apiKey, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(timeout, "timeout");
        checkHttpUrl(baseUrl);
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new ChatModelGenerator("openai:" + model, openAiChatModel(baseUrl, model, apiKey, timeout,
                OptionalDouble.empty()));
    }

    /**
     * The LangChain4j chat model on an OpenAI-compatible {@code /chat/completions} endpoint that
     * {@link #openAiCompatible} and distill's paraphraser and LLM teacher all use, built in one place so
     * that they talk to a server the same way: requests are never retried (each caller either falls back
     * or fails with the server's error, rather than waiting through retries) and a null or blank key sends
     * no bearer token (local servers need none). Arguments are not checked here: each caller checks them
     * with the error messages of its own options.
     *
     * @param timeout     connect and read timeout of each request
     * @param temperature sampling temperature, or empty for the server's default
     */
    public static ChatModel openAiChatModel(String baseUrl, String model, String apiKey, Duration timeout,
            OptionalDouble temperature) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl)
                .modelName(model)
                .apiKey(apiKey == null || apiKey.isBlank() ? null : apiKey)
                .timeout(timeout)
                .maxRetries(0)
                .temperature(temperature.isPresent() ? temperature.getAsDouble() : null)
                .build();
    }

    private static void checkHttpUrl(String baseUrl) {
        try {
            URI uri = new URI(baseUrl);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, got '" + baseUrl + "'");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, got '" + baseUrl + "': "
                    + e.getReason(), e);
        }
    }
}
