package dev.switchboard.distill;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.switchboard.models.Generators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A teacher that asks a chat model (any LangChain4j {@link ChatModel}; {@link #openAiCompatible} for an
 * OpenAI-compatible server) to label texts. Texts go in batches of {@code batchSize}: a system message
 * lists the labels and asks for JSON only; the user message numbers the texts from 1. The reply must be
 * <pre>
 *   {"results": [{"id": 1, "labels": {"card_arrival": 0.8, "card_delivery_estimate": 0.2}}, ...]}
 * </pre>
 * with one result per text (any order) and at most {@value #MAX_LABELS} labels each, probabilities in
 * [0, 1] summing to at most 1 (+0.01). A text's soft label puts those probabilities on those labels and
 * spreads the remainder {@code 1 − Σ} evenly over the other labels. A reply wrapped in a Markdown code
 * fence is accepted. Anything else — not JSON, a missing or repeated id, an unknown label, a bad
 * probability — fails with an {@link IllegalStateException} naming the teacher and the problem. Thread-safe
 * if the chat model is.
 */
public final class LlmTeacher implements Teacher {

    public static final int DEFAULT_BATCH_SIZE = 20;
    static final int MAX_LABELS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SYSTEM_PROMPT = """
            You label customer-support messages with intents. The allowed intents are:
            %s
            For each numbered message, give its most likely intent and, if you are unsure, up to two \
            alternatives, each with a probability; the probabilities of one message sum to at most 1. \
            Use only the allowed intents, spelled exactly. Reply with JSON only, no prose, in this shape:
            {"results": [{"id": 1, "labels": {"<intent>": 0.9, "<other intent>": 0.1}}]}""";

    private final ChatModel model;
    private final String id;
    private final List<String> labels;
    private final Map<String, Integer> index = new HashMap<>();
    private final int batchSize;

    /**
     * @param id        names the teacher in manifests, e.g. {@code openai:gpt-4o-mini}
     * @param batchSize texts per request, at least 1
     */
    public LlmTeacher(ChatModel model, String id, List<String> labels, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        this.id = Objects.requireNonNull(id, "id");
        this.labels = List.copyOf(labels);
        OptionChecks.atLeast("batch size", batchSize, 1);
        if (this.labels.size() < 2) {
            throw new IllegalArgumentException("a teacher needs at least 2 labels");
        }
        this.batchSize = batchSize;
        for (int k = 0; k < this.labels.size(); k++) {
            index.put(this.labels.get(k), k);
        }
    }

    /**
     * A teacher on an OpenAI-compatible {@code /chat/completions} endpoint, id {@code openai:<model>}; no
     * retries ({@link Generators#openAiChatModel}); temperature 0, so that a text gets the same soft label
     * on every run as far as the server allows.
     *
     * @param baseUrl the API root with its version path, e.g. {@code https://api.openai.com/v1}
     * @param apiKey  bearer token, or null/blank for none
     */
    public static LlmTeacher openAiCompatible(String baseUrl, String modelName, String apiKey, Duration timeout,
            List<String> labels) {
        ChatModel chat = Generators.openAiChatModel(baseUrl, modelName, apiKey, timeout, OptionalDouble.of(0.0));
        return new LlmTeacher(chat, "openai:" + modelName, labels, DEFAULT_BATCH_SIZE);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> labels() {
        return labels;
    }

    @Override
    public double[][] probabilities(List<String> texts) {
        double[][] out = new double[texts.size()][];
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            double[][] p = parse(ask(batch), batch.size());
            System.arraycopy(p, 0, out, from, p.length);
        }
        return out;
    }

    private String ask(List<String> batch) {
        StringBuilder user = new StringBuilder("Messages:\n");
        for (int i = 0; i < batch.size(); i++) {
            user.append(i + 1).append(". ").append(batch.get(i).replace('\n', ' ').strip()).append('\n');
        }
        ChatResponse response = model.chat(ChatRequest.builder().messages(
                SystemMessage.from(SYSTEM_PROMPT.formatted(String.join("\n", labels))), UserMessage.from(user.toString()))
                .build());
        AiMessage message = response == null ? null : response.aiMessage();
        String reply = message == null ? null : message.text();
        if (reply == null || reply.isBlank()) {
            throw new IllegalStateException("LLM teacher " + id + " got an empty reply");
        }
        return reply;
    }

    /** Soft labels from a reply for {@code count} numbered texts (see the class javadoc). */
    double[][] parse(String reply, int count) {
        String body = reply.strip();
        if (body.startsWith("```")) {
            body = body.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad("the reply is not JSON (" + e.getOriginalMessage() + "); it starts: " + preview(reply));
        }
        JsonNode results = root == null ? null : root.get("results");
        if (results == null || !results.isArray()) {
            throw bad("the reply has no \"results\" array; it starts: " + preview(reply));
        }
        double[][] out = new double[count][];
        for (JsonNode r : results) {
            JsonNode idNode = r.get("id");
            if (idNode == null || !idNode.canConvertToInt()) {
                throw bad("a result has no integer \"id\"");
            }
            int i = idNode.asInt();
            if (i < 1 || i > count) {
                throw bad("result id " + i + " is not in 1.." + count);
            }
            if (out[i - 1] != null) {
                throw bad("result id " + i + " appears twice");
            }
            out[i - 1] = distribution(r.get("labels"), i);
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (out[i] == null) {
                missing.add(i + 1);
            }
        }
        if (!missing.isEmpty()) {
            throw bad("the reply has no result for message(s) " + missing);
        }
        return out;
    }

    private double[] distribution(JsonNode given, int id) {
        if (given == null || !given.isObject() || given.isEmpty()) {
            throw bad("result " + id + " has no \"labels\" object");
        }
        if (given.size() > MAX_LABELS) {
            throw bad("result " + id + " has " + given.size() + " labels, at most " + MAX_LABELS + " are allowed");
        }
        double[] p = new double[labels.size()];
        double sum = 0;
        for (var e : given.properties()) {
            Integer k = index.get(e.getKey());
            if (k == null) {
                throw bad("result " + id + " names unknown label '" + e.getKey() + "'");
            }
            double v = e.getValue().isNumber() ? e.getValue().asDouble() : Double.NaN;
            if (!(v >= 0 && v <= 1)) {
                throw bad("result " + id + " gives '" + e.getKey() + "' the probability " + e.getValue()
                        + ", not a number in [0, 1]");
            }
            p[k] = v;
            sum += v;
        }
        if (sum > 1.01) {
            throw bad("the probabilities of result " + id + " sum to " + sum + ", more than 1");
        }
        double rest = Math.max(0, 1 - sum) / (labels.size() - given.size());
        double total = 0;
        for (int k = 0; k < p.length; k++) {
            if (!given.has(labels.get(k))) {
                p[k] = rest;
            }
            total += p[k];
        }
        if (total <= 0) {
            throw bad("result " + id + " gives every label probability 0");
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= total;
        }
        return p;
    }

    private IllegalStateException bad(String problem) {
        return new IllegalStateException("LLM teacher " + id + ": " + problem);
    }

    private static String preview(String s) {
        String one = s.strip().replace('\n', ' ');
        return "'" + (one.length() > 80 ? one.substring(0, 80) + "…" : one) + "'";
    }
}
