package dev.switchboard.models;

import java.util.Arrays;
import java.util.Optional;

/**
 * The encoders whose ONNX file and tokenizer ship inside langchain4j's embedding jars. Each jar has
 * {@code <resource>.onnx} and {@code <resource>-tokenizer.json} at its root.
 *
 * <p>Token limits follow the models' training setups: 256 word pieces for all-MiniLM-L6-v2
 * (sentence-transformers' {@code max_seq_length}), 512 for bge-small-en-v1.5.
 */
enum EncoderSpec {
    MINILM_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q", Pooling.MEAN, 256, ""),
    MINILM("all-minilm-l6-v2", "all-minilm-l6-v2", Pooling.MEAN, 256, ""),
    BGE_SMALL_Q("bge-small-en-v1.5-q", "bge-small-en-v1.5-q", Pooling.CLS, 512, EncoderSpec.BGE_QUERY_PREFIX),
    BGE_SMALL("bge-small-en-v1.5", "bge-small-en-v1.5", Pooling.CLS, 512, EncoderSpec.BGE_QUERY_PREFIX);

    /** bge-*-en-v1.5 retrieval instruction, prepended to queries only. */
    static final String BGE_QUERY_PREFIX = "Represent this sentence for searching relevant passages: ";

    static final int DIMENSION = 384;

    final String id;
    final String resource;
    final Pooling pooling;
    final int maxTokens;
    final String queryPrefix;
    /** int8 weights with dynamic activation quantisation: see {@link OnnxEncoder} on batching. */
    final boolean quantized;

    EncoderSpec(String id, String resource, Pooling pooling, int maxTokens, String queryPrefix) {
        this.id = id;
        this.resource = resource;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        this.queryPrefix = queryPrefix;
        this.quantized = id.endsWith("-q");
    }

    EncoderInfo info() {
        return new EncoderInfo(id, DIMENSION, pooling, maxTokens, queryPrefix);
    }

    String modelResource() {
        return resource + ".onnx";
    }

    String tokenizerResource() {
        return resource + "-tokenizer.json";
    }

    String artifact() {
        return "dev.langchain4j:langchain4j-embeddings-" + resource.replace("bge-small-en-v1.5", "bge-small-en-v15");
    }

    static Optional<EncoderSpec> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }
}
