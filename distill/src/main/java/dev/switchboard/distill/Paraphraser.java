package dev.switchboard.distill;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.switchboard.models.Generators;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Paraphrases training texts with a chat LLM, the same OpenAI-compatible {@code /chat/completions}
 * boundary (LangChain4j {@link ChatModel}) that {@code Generators.openAiCompatible} uses for answers.
 * It has its own prompt because the generator's prompt is about answering from passages.
 *
 * <p>Prompt: the system message {@link #SYSTEM_PROMPT}; one user message
 * {@code "Write N paraphrases of this customer message:\n<text>"}. The reply is read one paraphrase a
 * line; list markers ({@code 1.}, {@code 2)}, {@code -}, {@code *}) and surrounding quotes are removed,
 * blank lines, lines equal to the original (case, whitespace and punctuation ignored) and repeats are
 * dropped, and at most N are kept.
 */
public final class Paraphraser {

    static final String SYSTEM_PROMPT = """
            You rewrite customer-support messages for training an intent classifier. Write each paraphrase \
            on its own line, with no numbering and no commentary. Keep the meaning and the customer's intent \
            exactly; vary wording and word order; keep placeholders such as <EMAIL>, <PHONE>, <CARD> and <IBAN> \
            unchanged.""";

    private final String id;
    private final ChatModel model;

    /** A paraphraser on any LangChain4j chat model; {@code id} names it in logs and manifests. */
    public Paraphraser(String id, ChatModel model) {
        this.id = Objects.requireNonNull(id, "id");
        this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * A paraphraser on an OpenAI-compatible endpoint (OpenAI, vLLM, llama.cpp server, Ollama ...), id
     * {@code "openai:<model>"}, no retries, the server's default temperature ({@link Generators#openAiChatModel}).
     *
     * @param baseUrl the API root including its version path, e.g. {@code https://api.openai.com/v1}
     * @param apiKey  bearer token; null or blank sends none
     * @throws IllegalArgumentException if the URL is not absolute http(s) or the model is blank
     */
    public static Paraphraser openAiCompatible(String baseUrl, String modelName, String apiKey, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--paraphrase must be an absolute http(s) URL, got '" + baseUrl + "'");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("--paraphrase must be an absolute http(s) URL, got '" + baseUrl + "'");
        }
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("--paraphrase needs --paraphrase-model");
        }
        return new Paraphraser("openai:" + modelName, Generators.openAiChatModel(baseUrl, modelName, apiKey, timeout,
                OptionalDouble.empty()));
    }

    public String id() {
        return id;
    }

    /** Up to {@code n} paraphrases of {@code text} (fewer if the model repeats itself or the original). */
    public List<String> paraphrase(String text, int n) {
        OptionChecks.atLeast("paraphrases", n, 1);
        ChatResponse response = model.chat(ChatRequest.builder().messages(SystemMessage.from(SYSTEM_PROMPT),
                UserMessage.from("Write " + n + " paraphrase" + (n == 1 ? "" : "s") + " of this customer message:\n"
                        + text.strip())).build());
        String reply = response == null || response.aiMessage() == null ? null : response.aiMessage().text();
        if (reply == null || reply.isBlank()) {
            throw new IllegalStateException("paraphraser '" + id + "' got an empty reply from its model");
        }
        return parse(reply, text, n);
    }

    /** The paraphrases in a reply (see class javadoc). */
    static List<String> parse(String reply, String original, int n) {
        Set<String> seen = new HashSet<>();
        seen.add(Deduplicator.key(original));
        List<String> out = new ArrayList<>();
        for (String line : reply.split("\\R")) {
            String s = line.strip().replaceFirst("^(?:\\d{1,2}[.)]|[-*•])\\s+", "").strip();
            if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("“") && s.endsWith("”"))) {
                s = s.substring(1, s.length() - 1).strip();
            }
            if (!s.isBlank() && seen.add(Deduplicator.key(s)) && out.size() < n) {
                out.add(s);
            }
        }
        return out;
    }
}
