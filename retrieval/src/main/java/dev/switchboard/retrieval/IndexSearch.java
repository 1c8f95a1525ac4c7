package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.QueryBuilder;

/**
 * One search over one point-in-time searcher: ranks chunks by BM25, by vector, or by both fused, then
 * fills every hit's BM25 score, cosine and snippet.
 */
final class IndexSearch {

    /** Each ranking that hybrid search fuses has max({@value}, 5·topK) candidates. */
    static final int MIN_CANDIDATES = 50;

    private final Encoder encoder;
    private final QueryBuilder queries;
    private final Snippets snippets;

    IndexSearch(Encoder encoder, Analyzer analyzer) {
        this.encoder = encoder;
        this.queries = new QueryBuilder(analyzer);
        this.snippets = new Snippets(analyzer, ChunkFields.TEXT);
    }

    private record Candidate(int doc, double score) {
    }

    List<SearchHit> run(IndexSearcher searcher, SearchRequest request) throws IOException {
        float[] query = encoder.embedQuery(request.query());
        if (query.length != encoder.info().dimension()) {
            throw new IllegalStateException("encoder " + encoder.info().id() + " returned " + query.length
                    + " dimensions, its info says " + encoder.info().dimension());
        }
        Query bm25 = bm25Query(request.query());
        Weight bm25Weight = bm25 == null ? null : searcher.createWeight(searcher.rewrite(bm25), ScoreMode.COMPLETE, 1f);
        int candidates = Math.max(MIN_CANDIDATES, request.topK() * 5);

        List<Candidate> ranked = switch (request.mode()) {
            case BM25 -> bm25 == null ? List.of() : top(searcher, bm25, request.topK());
            case DENSE -> top(searcher, new KnnFloatVectorQuery(ChunkFields.VECTOR, query, candidates), candidates);
            case HYBRID -> {
                List<Integer> lexical = bm25 == null ? List.of() : docs(top(searcher, bm25, candidates));
                List<Integer> dense = docs(top(searcher, new KnnFloatVectorQuery(ChunkFields.VECTOR, query, candidates), candidates));
                yield Fusion.reciprocalRank(List.of(lexical, dense), Fusion.DEFAULT_K).stream()
                        .map(f -> new Candidate(f.key(), f.score()))
                        .toList();
            }
        };

        Set<String> queryTerms = snippets.terms(request.query());
        StoredFields stored = searcher.storedFields();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<SearchHit> hits = new ArrayList<>();
        for (Candidate c : ranked) {
            if (hits.size() == request.topK()) {
                break;
            }
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(c.doc(), leaves));
            int local = c.doc() - leaf.docBase;
            double cosine = cosine(leaf, local, query);
            double bm25Score = bm25Weight == null ? 0 : bm25Score(bm25Weight, leaf, local);
            double score = request.mode() == SearchMode.DENSE ? cosine : c.score();
            var d = stored.document(c.doc());
            String text = d.get(ChunkFields.TEXT);
            hits.add(new SearchHit(d.get(ChunkFields.CHUNK_ID), d.get(ChunkFields.DOCUMENT_ID), d.get(ChunkFields.TITLE),
                    d.get(ChunkFields.SECTION), text, snippets.snippet(text, queryTerms),
                    d.getField(ChunkFields.START).numericValue().intValue(),
                    d.getField(ChunkFields.END).numericValue().intValue(), score, bm25Score, cosine));
        }
        if (request.mode() == SearchMode.DENSE) {
            // HNSW orders by Lucene's (1 + dot) / 2; re-sort on the exact cosine (stable for ties).
            hits.sort(Comparator.comparingDouble(SearchHit::score).reversed());
        }
        return hits;
    }

    /**
     * The analysed query terms OR-ed in each of {@link ChunkFields#BM25_FIELDS}, the field scores
     * summed; null when the query has only stop words or punctuation.
     */
    private Query bm25Query(String text) {
        BooleanQuery.Builder fields = new BooleanQuery.Builder();
        boolean any = false;
        for (String field : ChunkFields.BM25_FIELDS) {
            Query q = queries.createBooleanQuery(field, text, BooleanClause.Occur.SHOULD);
            if (q != null) {
                fields.add(q, BooleanClause.Occur.SHOULD);
                any = true;
            }
        }
        return any ? fields.build() : null;
    }

    private static List<Candidate> top(IndexSearcher searcher, Query query, int n) throws IOException {
        List<Candidate> out = new ArrayList<>();
        for (ScoreDoc sd : searcher.search(query, n).scoreDocs) {
            out.add(new Candidate(sd.doc, sd.score));
        }
        return out;
    }

    private static List<Integer> docs(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::doc).toList();
    }

    /** Dot product of the query with the chunk's stored unit vector. */
    private static double cosine(LeafReaderContext leaf, int local, float[] query) throws IOException {
        FloatVectorValues values = leaf.reader().getFloatVectorValues(ChunkFields.VECTOR);
        KnnVectorValues.DocIndexIterator it = values == null ? null : values.iterator();
        if (it == null || it.advance(local) != local) {
            throw new IllegalStateException("chunk without a vector in segment " + leaf.ord);
        }
        float[] v = values.vectorValue(it.index());
        double dot = 0;
        for (int i = 0; i < v.length; i++) {
            dot += (double) v[i] * query[i];
        }
        return dot;
    }

    private static double bm25Score(Weight weight, LeafReaderContext leaf, int local) throws IOException {
        Scorer scorer = weight.scorer(leaf);
        if (scorer == null) {
            return 0;
        }
        DocIdSetIterator it = scorer.iterator();
        return it.advance(local) == local ? scorer.score() : 0;
    }
}
