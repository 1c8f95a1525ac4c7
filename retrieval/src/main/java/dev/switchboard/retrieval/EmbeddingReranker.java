package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * See {@link Rerankers#embedding(Encoder, double)} and {@link Rerankers#sameEncoder(Encoder, double)}:
 * {@code view(h) = max(cos(q, title(h)), cos(q, passage(h)))},
 * {@code score(h) = mix·view'(h) + (1 − mix)·prior'(h)} with x' min-max normalised over the hits, or
 * {@code view(h)} itself when mix = 1.
 */
final class EmbeddingReranker implements Reranker {

    static final int CACHE_SIZE = 4096;

    private final Encoder encoder;
    private final double mix;
    /** True when {@code encoder} is the index's: the passage cosine is the hit's {@link SearchHit#cosine()}. */
    private final boolean passageFromHit;
    /** Passage and title vectors by text; query vectors under "\0" + query. Access-ordered LRU. */
    private final Map<String, float[]> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    EmbeddingReranker(Encoder encoder, double mix, boolean passageFromHit) {
        if (!(mix >= 0 && mix <= 1)) {
            throw new IllegalArgumentException("rerank mix must be in [0, 1], got " + mix);
        }
        this.encoder = encoder;
        this.mix = mix;
        this.passageFromHit = passageFromHit;
    }

    @Override
    public List<SearchHit> rerank(String query, List<SearchHit> hits) {
        return hits.isEmpty() ? List.of() : rerank(queryVector(query), hits);
    }

    /** With the index's encoder, its query vector is this reranker's: no second embedding of the query. */
    @Override
    public List<SearchHit> rerank(String query, float[] indexQueryVector, List<SearchHit> hits) {
        if (!passageFromHit || indexQueryVector == null) {
            return rerank(query, hits);
        }
        return hits.isEmpty() ? List.of() : rerank(indexQueryVector, hits);
    }

    private List<SearchHit> rerank(float[] q, List<SearchHit> hits) {
        List<String> texts = new ArrayList<>();
        for (SearchHit h : hits) {
            if (!h.title().isBlank()) {
                texts.add(h.title());
            }
            if (!passageFromHit) {
                texts.add(Reranking.text(h));
            }
        }
        Map<String, float[]> vectors = vectors(texts);
        double[] view = new double[hits.size()];
        for (int i = 0; i < view.length; i++) {
            SearchHit h = hits.get(i);
            double passage = passageFromHit ? h.cosine() : dot(q, vectors.get(Reranking.text(h)));
            view[i] = h.title().isBlank() ? passage : Math.max(passage, dot(q, vectors.get(h.title())));
        }
        double[] score = view;
        if (mix < 1) {
            double[] v = minMax(view);
            double[] prior = minMax(hits.stream().mapToDouble(SearchHit::score).toArray());
            score = new double[v.length];
            for (int i = 0; i < v.length; i++) {
                score[i] = mix * v[i] + (1 - mix) * prior[i];
            }
        }
        return Reranking.reorder(hits, score);
    }

    @Override
    public String id() {
        return (passageFromHit ? "same-encoder:" : "embedding:") + encoder.info().id()
                + String.format(Locale.ROOT, "@%.2f", mix);
    }

    private float[] queryVector(String query) {
        String key = "\0" + query;
        synchronized (cache) {
            float[] v = cache.get(key);
            if (v != null) {
                return v;
            }
        }
        float[] v = encoder.embedQuery(query);
        synchronized (cache) {
            cache.put(key, v);
        }
        return v;
    }

    /** The vectors of {@code texts}, embedding those not cached in one batch. */
    private Map<String, float[]> vectors(List<String> texts) {
        Map<String, float[]> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        synchronized (cache) {
            for (String t : texts) {
                float[] v = cache.get(t);
                if (v != null) {
                    out.put(t, v);
                } else if (!out.containsKey(t) && !missing.contains(t)) {
                    missing.add(t);
                }
            }
        }
        if (!missing.isEmpty()) {
            float[][] embedded = encoder.embed(missing);
            synchronized (cache) {
                for (int j = 0; j < embedded.length; j++) {
                    out.put(missing.get(j), embedded[j]);
                    cache.put(missing.get(j), embedded[j]);
                }
            }
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException("query has " + a.length + " dimensions, passage " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code (x − min) / (max − min)}, 1 for all when max = min. */
    static double[] minMax(double[] x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = max > min ? (x[i] - min) / (max - min) : 1.0;
        }
        return out;
    }
}
