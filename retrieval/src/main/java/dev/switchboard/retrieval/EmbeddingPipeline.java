package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Embeds texts in batches on a background thread, ahead of the caller, which takes the vectors in
 * order with {@link #next()}: while the caller indexes batch n, the encoder works on batch n + 1. At
 * most {@code depth} finished batches wait for the caller (bounding memory); the encoder keeps its
 * own worker threads for each batch.
 *
 * <p>One text list per pipeline; single consumer. A single batch is embedded on the caller's thread.
 */
final class EmbeddingPipeline implements AutoCloseable {

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "switchboard-embed");
        t.setDaemon(true);
        return t;
    });

    /** A finished batch, or the failure that ended the producer. */
    private record Batch(float[][] vectors, RuntimeException error) {
    }

    private final Encoder encoder;
    private final List<String> texts;
    private final int batchSize;
    private final BlockingQueue<Batch> ready;
    private final Future<?> producer;
    private float[][] current = new float[0][];
    private int position;
    private int taken;

    EmbeddingPipeline(Encoder encoder, List<String> texts, int batchSize, int depth) {
        this.encoder = encoder;
        this.texts = texts;
        this.batchSize = batchSize;
        this.ready = new ArrayBlockingQueue<>(depth);
        this.producer = texts.size() > batchSize ? THREADS.submit(this::produce) : null;
    }

    /** The vector of the next text, in order. */
    float[] next() {
        if (taken == texts.size()) {
            throw new IllegalStateException("all " + texts.size() + " texts were taken");
        }
        if (position == current.length) {
            current = producer == null ? embed(0) : take();
            position = 0;
        }
        taken++;
        return current[position++];
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.cancel(true);
        }
    }

    private void produce() {
        try {
            for (int from = 0; from < texts.size(); from += batchSize) {
                Batch batch;
                try {
                    batch = new Batch(embed(from), null);
                } catch (RuntimeException e) {
                    batch = new Batch(null, e);
                } catch (Error e) { // the consumer must not wait forever for this batch
                    batch = new Batch(null, new IllegalStateException("encoder failed: " + e, e));
                }
                ready.put(batch);
                if (batch.error() != null) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed by the consumer
        }
    }

    private float[][] take() {
        Batch batch;
        try {
            batch = ready.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embeddings", e);
        }
        if (batch.error() != null) {
            throw batch.error();
        }
        return batch.vectors();
    }

    private float[][] embed(int from) {
        List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
        float[][] vectors = encoder.embed(batch);
        int dimension = encoder.info().dimension();
        if (vectors.length != batch.size()) {
            throw new IllegalStateException("encoder " + encoder.info().id() + " returned " + vectors.length
                    + " vectors for " + batch.size() + " texts");
        }
        for (float[] v : vectors) {
            if (v.length != dimension) {
                throw new IllegalStateException("encoder " + encoder.info().id() + " returned " + v.length
                        + " dimensions, its info says " + dimension);
            }
        }
        return vectors;
    }
}
