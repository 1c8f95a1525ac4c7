package dev.switchboard.models;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A BERT-style sentence encoder run by ONNX Runtime: tokenise (pre-process) → padded
 * {@code input_ids / attention_mask / token_type_ids} tensors → {@code last_hidden_state} →
 * pooling and L2 normalisation (post-process).
 *
 * <p>Batching: texts are sorted by token count and cut into batches of at most {@value #BATCH}
 * (full-precision models) so that padding stays small; batches run in parallel on the worker pool,
 * each on a session configured with one intra-op thread (ONNX Runtime sessions accept concurrent
 * {@code run} calls). A call that fits in one batch runs on the caller's thread.
 *
 * <p>Int8 models run one text per call instead: their dynamic quantisation derives its scale from
 * the whole input tensor, so a padded batch changes every row's result (cosine to the unbatched
 * vector measured 0.98–0.995 for MiniLM-q). One text per call keeps an embedding independent of
 * its batch mates — training, caching and serving see the same vector — at about 0.6× the padded
 * throughput.
 */
final class OnnxEncoder implements Encoder {

    /** Largest padded batch for full-precision models. */
    static final int BATCH = 32;

    private final EncoderInfo info;
    private final int batchSize;
    private final HuggingFaceTokenizer tokenizer;
    private final OrtSession session;
    private final boolean wantsTokenTypes;
    private final ExecutorService workers;
    private volatile boolean closed;

    private OnnxEncoder(EncoderSpec spec, HuggingFaceTokenizer tokenizer, OrtSession session, int threads) {
        this.info = spec.info();
        this.batchSize = spec.quantized ? 1 : BATCH;
        this.tokenizer = tokenizer;
        this.session = session;
        this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
        this.workers = threads > 1 ? Executors.newFixedThreadPool(threads, daemonThreads(info.id())) : null;
    }

    static OnnxEncoder load(EncoderSpec spec, int threads) {
        byte[] model = resource(spec, spec.modelResource());
        HuggingFaceTokenizer tokenizer;
        try (InputStream in = stream(spec, spec.tokenizerResource())) {
            // The jars' tokenizer.json files pad and truncate to 128; we pad per batch ourselves.
            tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of(
                    "padding", "false",
                    "truncation", "true",
                    "maxLength", Integer.toString(spec.maxTokens),
                    "addSpecialTokens", "true"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer of encoder " + spec.id, e);
        }
        try {
            OrtEnvironment env = OrtRuntime.environment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = env.createSession(model, options);
            return new OnnxEncoder(spec, tokenizer, session, threads);
        } catch (OrtException e) {
            tokenizer.close();
            throw new IllegalStateException("cannot create ONNX session for encoder " + spec.id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public EncoderInfo info() {
        return info;
    }

    @Override
    public float[][] embed(List<String> texts) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("text " + i + " is null");
            }
        }
        ensureOpen();
        if (texts.isEmpty()) {
            return new float[0][];
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        Integer[] order = IntStream.range(0, encodings.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));

        List<int[]> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            batches.add(Arrays.stream(order, from, to).mapToInt(Integer::intValue).toArray());
        }
        float[][] out = new float[texts.size()][];
        if (workers == null || batches.size() == 1) {
            for (int[] batch : batches) {
                runBatch(encodings, batch, out);
            }
            return out;
        }
        List<Future<?>> pending = new ArrayList<>(batches.size());
        for (int[] batch : batches) {
            pending.add(workers.submit(() -> runBatch(encodings, batch, out)));
        }
        for (Future<?> f : pending) {
            await(f);
        }
        return out;
    }

    @Override
    public TokenEncoding encodeTokens(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        ensureOpen();
        Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        int n = ids.length;
        long[] shape = {1, n};
        OrtEnvironment env = OrtRuntime.environment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(e.getAttentionMask()), shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(e.getTypeIds()), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                int dimension = (int) hidden.getInfo().getShape()[2];
                FloatBuffer buffer = hidden.getFloatBuffer();
                float[][] states = new float[n][dimension];
                for (int t = 0; t < n; t++) {
                    buffer.get(t * dimension, states[t], 0, dimension);
                }
                long[] special = e.getSpecialTokenMask();
                long[] wordIds = e.getWordIds();
                var spans = e.getCharTokenSpans();
                int[] starts = new int[n];
                int[] ends = new int[n];
                int[] words = new int[n];
                for (int t = 0; t < n; t++) {
                    boolean isSpecial = special[t] == 1 || spans[t] == null;
                    starts[t] = isSpecial ? -1 : spans[t].getStart();
                    ends[t] = isSpecial ? -1 : spans[t].getEnd();
                    words[t] = isSpecial ? -1 : (int) wordIds[t];
                }
                return new TokenEncoding(text, Arrays.asList(e.getTokens()), starts, ends, words, states);
            }
        } catch (OrtException ex) {
            throw new IllegalStateException("encoder " + info.id() + " failed on token encoding: " + ex.getMessage(), ex);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** Runs one padded batch and writes each pooled, normalised vector to {@code out[index]}. */
    private void runBatch(Encoding[] encodings, int[] batch, float[][] out) {
        int rows = batch.length;
        int width = 0;
        for (int index : batch) {
            width = Math.max(width, encodings[index].getIds().length);
        }
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] types = new long[rows * width];
        for (int r = 0; r < rows; r++) {
            Encoding e = encodings[batch[r]];
            long[] tokenIds = e.getIds();
            long[] tokenTypes = e.getTypeIds();
            long[] attention = e.getAttentionMask();
            System.arraycopy(tokenIds, 0, ids, r * width, tokenIds.length);
            System.arraycopy(tokenTypes, 0, types, r * width, tokenTypes.length);
            System.arraycopy(attention, 0, mask, r * width, attention.length);
        }
        long[] shape = {rows, width};
        OrtEnvironment env = OrtRuntime.environment();
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                OnnxTensor hidden = (OnnxTensor) result.get(0);
                long[] dims = hidden.getInfo().getShape();
                int dimension = (int) dims[2];
                FloatBuffer states = hidden.getFloatBuffer();
                for (int r = 0; r < rows; r++) {
                    out[batch[r]] = pool(states, r, width, dimension, mask);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException("encoder " + info.id() + " failed on a batch of " + rows + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * MEAN: v = Σ_t m_t·h_t / Σ_t m_t over the attention mask m; CLS: v = h_0. Then v / ‖v‖₂.
     */
    private float[] pool(FloatBuffer states, int row, int width, int dimension, long[] mask) {
        float[] v = new float[dimension];
        int base = row * width * dimension;
        if (info.pooling() == Pooling.CLS) {
            states.get(base, v, 0, dimension);
        } else {
            int count = 0;
            for (int t = 0; t < width; t++) {
                if (mask[row * width + t] == 0) {
                    continue;
                }
                count++;
                int offset = base + t * dimension;
                for (int d = 0; d < dimension; d++) {
                    v[d] += states.get(offset + d);
                }
            }
            for (int d = 0; d < dimension; d++) {
                v[d] /= Math.max(count, 1);
            }
        }
        Vectors.normalize(v);
        return v;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (workers != null) {
            workers.shutdown();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close encoder " + info.id(), e);
        } finally {
            tokenizer.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("encoder " + info.id() + " is closed");
        }
    }

    private static void await(Future<?> future) {
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static InputStream stream(EncoderSpec spec, String name) {
        InputStream in = OnnxEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalArgumentException("encoder '" + spec.id + "' is not on the classpath: resource " + name
                    + " not found; add the Maven dependency " + spec.artifact());
        }
        return in;
    }

    private static byte[] resource(EncoderSpec spec, String name) {
        try (InputStream in = stream(spec, name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String id) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "encoder-" + id + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
