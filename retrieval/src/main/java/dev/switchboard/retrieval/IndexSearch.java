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

    private final Encoder encoder;
    private final QueryBuilder queries;
    private final Snippets snippets;
    private final IndexOptions options;

    IndexSearch(Encoder encoder, Analyzer analyzer, IndexOptions options) {
        this.encoder = encoder;
        this.queries = new QueryBuilder(analyzer);
        this.snippets = new Snippets(analyzer, ChunkFields.TEXT);
        this.options = options;
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
        FusionConfig fusion = request.fusion() != null ? request.fusion() : options.fusion();
        boolean rerank = request.rerank() && options.reranker() != null;
        // Enough candidates for the fusion, and for the reranker to choose from.
        int wanted = rerank ? Math.max(request.topK(), options.rerankDepth()) : request.topK();
        int candidates = Math.max(fusion.candidates(), wanted * 5);

        List<Candidate> ranked = switch (request.mode()) {
            case BM25 -> bm25 == null ? List.of() : top(searcher, bm25, wanted);
            case DENSE -> top(searcher, new KnnFloatVectorQuery(ChunkFields.VECTOR, query, candidates), candidates);
            case HYBRID -> {
                List<Fusion.Ranked> lexical = bm25 == null ? List.of() : ranked(top(searcher, bm25, candidates));
                List<Fusion.Ranked> dense = denseRanking(searcher, query, candidates);
                yield Fusion.fuse(fusion, lexical, dense).stream()
                        .map(f -> new Candidate(f.key(), f.score()))
                        .toList();
            }
        };

        Set<String> queryTerms = snippets.terms(request.query());
        StoredFields stored = searcher.storedFields();
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<SearchHit> hits = new ArrayList<>();
        for (Candidate c : ranked) {
            if (hits.size() == wanted) {
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
        List<SearchHit> out = rerank ? options.reranker().rerank(request.query(), hits) : hits;
        return out.stream()
                .filter(h -> h.score() >= request.minScore())
                .limit(request.topK())
                .toList();
    }

    /** The KNN candidates with their exact cosine (HNSW scores are (1 + dot) / 2). */
    private static List<Fusion.Ranked> denseRanking(IndexSearcher searcher, float[] query, int candidates) throws IOException {
        List<Fusion.Ranked> out = new ArrayList<>();
        for (Candidate c : top(searcher, new KnnFloatVectorQuery(ChunkFields.VECTOR, query, candidates), candidates)) {
            out.add(new Fusion.Ranked(c.doc(), 2 * c.score() - 1));
        }
        return out;
    }

    private static List<Fusion.Ranked> ranked(List<Candidate> candidates) {
        return candidates.stream().map(c -> new Fusion.Ranked(c.doc(), c.score())).toList();
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
