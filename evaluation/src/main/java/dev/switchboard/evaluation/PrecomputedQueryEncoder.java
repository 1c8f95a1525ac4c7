package dev.switchboard.evaluation;

import dev.switchboard.models.Encoder;
import dev.switchboard.models.EncoderInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link Encoder} decorator that answers {@link #embedQuery(String)} from vectors computed
 * beforehand with {@link #precompute(String)}, so that a search benchmark times the index and not
 * the query's encoding. Passages ({@link #embed(List)}) always go to the delegate.
 *
 * <p>A query that was not precomputed, or any query while {@link #passThrough(boolean) pass-through}
 * is on, is embedded by the delegate (counted in {@link #delegateQueryCalls()}); that is how the
 * benchmark measures the end-to-end figure with the same index. Returned vectors are copies.
 *
 * <p>Does not own the delegate: {@link #close()} makes this decorator unusable and leaves the
 * delegate open.
 */
final class PrecomputedQueryEncoder implements Encoder {

    private final Encoder delegate;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();
    private final AtomicLong delegateQueryCalls = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private volatile boolean passThrough;
    private volatile boolean closed;

    PrecomputedQueryEncoder(Encoder delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
    }

    /** Embeds {@code query} with the delegate now and keeps the vector; returns it. */
    float[] precompute(String query) {
        checkOpen();
        float[] vector = delegate.embedQuery(query);
        cache.put(query, vector.clone());
        return vector;
    }

    /** When on, every query is embedded by the delegate, cached or not. */
    void passThrough(boolean on) {
        passThrough = on;
    }

    /** Queries embedded by the delegate since construction, {@link #precompute} excluded. */
    long delegateQueryCalls() {
        return delegateQueryCalls.get();
    }

    /** Queries answered from the cache. */
    long cacheHits() {
        return hits.get();
    }

    /** Number of precomputed queries. */
    int cached() {
        return cache.size();
    }

    @Override
    public EncoderInfo info() {
        return delegate.info();
    }

    @Override
    public float[][] embed(List<String> texts) {
        checkOpen();
        return delegate.embed(texts);
    }

    @Override
    public float[] embedQuery(String query) {
        checkOpen();
        Objects.requireNonNull(query, "query must not be null");
        float[] vector = passThrough ? null : cache.get(query);
        if (vector != null) {
            hits.incrementAndGet();
            return vector.clone();
        }
        delegateQueryCalls.incrementAndGet();
        return delegate.embedQuery(query);
    }

    @Override
    public float[][] embedQueries(List<String> queries) {
        float[][] out = new float[queries.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embedQuery(queries.get(i));
        }
        return out;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("precomputed-query encoder over " + delegate.info().id() + " is closed");
        }
    }
}
