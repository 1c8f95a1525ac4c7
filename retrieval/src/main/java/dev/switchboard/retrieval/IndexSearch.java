package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CombinedFieldQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.QueryBuilder;

/**
 * One search over one point-in-time searcher: ranks chunks by BM25, by vector, or by both fused, then
 * fills every hit's BM25 score, cosine, snippet and metadata.
 *
 * <p>The request's filters become one Lucene query ({@link FilterQueries}) applied to both rankings
 * before they rank: a FILTER clause of the BM25 query, and the filter of the HNSW search (Lucene
 * pre-filters the graph walk, falling back to an exact scan when few chunks match). So the top k are
 * the top k among matching chunks, never fewer because better non-matching chunks took the slots.
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
        Query filter = FilterQueries.of(request.filters()); // fails on a bad filter before any work
        float[] query = encoder.embedQuery(request.query());
        if (query.length != encoder.info().dimension()) {
            throw new IllegalStateException("encoder " + encoder.info().id() + " returned " + query.length
                    + " dimensions, its info says " + encoder.info().dimension());
        }
        Query bm25 = bm25Query(request.query());
        Weight bm25Weight = bm25 == null ? null : searcher.createWeight(searcher.rewrite(bm25), ScoreMode.COMPLETE, 1f);
        Query lexical = bm25 == null ? null : lexicalQuery(bm25, filter);
        FusionConfig fusion = request.fusion() != null ? request.fusion() : options.fusion();
        boolean rerank = request.rerank() && options.reranker() != null;
        // Enough candidates for the fusion, and for the reranker to choose from.
        int wanted = rerank ? Math.max(request.topK(), options.rerankDepth()) : request.topK();
        int candidates = Math.max(fusion.candidates(), wanted * 5);

        List<Candidate> ranked = switch (request.mode()) {
            case BM25 -> lexical == null ? List.of() : top(searcher, lexical, wanted);
            case DENSE -> denseRanking(searcher, query, candidates, filter).stream()
                    .map(r -> new Candidate(r.doc(), r.score()))
                    .toList();
            case HYBRID -> {
                List<Fusion.Ranked> lexicalRanking = lexical == null ? List.of() : ranked(top(searcher, lexical, candidates));
                List<Fusion.Ranked> dense = denseRanking(searcher, query, candidates, filter);
                yield Fusion.fuse(fusion, lexicalRanking, dense).stream()
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
            hits.add(hit(stored.document(c.doc()), c.score(), bm25Score, cosine, queryTerms));
        }
        List<SearchHit> out = rerank ? options.reranker().rerank(request.query(), query, hits) : hits;
        return out.stream()
                .filter(h -> h.score() >= request.minScore())
                .limit(request.topK())
                .toList();
    }

    /** A hit for the stored chunk {@code d}, its snippet chosen for {@code queryTerms}. */
    SearchHit hit(org.apache.lucene.document.Document d, double score, double bm25Score, double cosine,
                  Set<String> queryTerms) {
        ChunkFields.Stored s = ChunkFields.read(d);
        Chunk chunk = s.chunk();
        Snippets.Snippet snippet = snippets.locate(chunk.text(), queryTerms);
        Document doc = s.document();
        return new SearchHit(s.chunkId(), doc.id(), doc.title(), chunk.section(), chunk.text(), snippet.text(),
                chunk.start(), chunk.end(), score, bm25Score, cosine, doc.source(), doc.tags(), doc.updatedAt(),
                doc.metadata(), chunk.start() + snippet.start(), chunk.start() + snippet.end());
    }

    /** BM25 over searchable chunks (duplicates are kept out) meeting the filter. */
    private static Query lexicalQuery(Query bm25, Query filter) {
        BooleanQuery.Builder b = new BooleanQuery.Builder()
                .add(bm25, BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term(ChunkFields.KIND, ChunkFields.KIND_DUPLICATE)), BooleanClause.Occur.MUST_NOT);
        if (filter != null) {
            b.add(filter, BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    /**
     * The vector candidates among the chunks meeting the filter (HNSW searched with the filter, so
     * the k nearest are the k nearest matching chunks), ordered by their exact cosine — HNSW orders by
     * Lucene's (1 + dot) / 2, on int8 vectors with {@link IndexOptions.VectorFormat#INT8}. Stable for
     * ties.
     */
    private static List<Fusion.Ranked> denseRanking(IndexSearcher searcher, float[] query, int candidates, Query filter)
            throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<Fusion.Ranked> out = new ArrayList<>();
        for (Candidate c : top(searcher, new KnnFloatVectorQuery(ChunkFields.VECTOR, query, candidates, filter), candidates)) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(c.doc(), leaves));
            out.add(new Fusion.Ranked(c.doc(), cosine(leaf, c.doc() - leaf.docBase, query)));
        }
        out.sort(Comparator.comparingDouble(Fusion.Ranked::score).reversed());
        return out;
    }

    private static List<Fusion.Ranked> ranked(List<Candidate> candidates) {
        return candidates.stream().map(c -> new Fusion.Ranked(c.doc(), c.score())).toList();
    }

    /**
     * BM25F over {@link ChunkFields#BM25_FIELDS}: one {@link CombinedFieldQuery} per analysed query
     * term, OR-ed; null when the query has only stop words or punctuation. BM25F adds a term's
     * frequencies over the fields (equal weights) and normalises by the summed field lengths before
     * saturating, as if title, section and text were one document; summing per-field BM25 instead let
     * a one-word title match outscore the passage that answers (emanual_qa nDCG@10 0.611 → 0.673;
     * docs/benchmarks.md, "Retrieval quality").
     */
    private Query bm25Query(String text) {
        BooleanQuery.Builder terms = new BooleanQuery.Builder();
        boolean any = false;
        try (TokenStream tokens = queries.getAnalyzer().tokenStream(ChunkFields.TEXT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (tokens.incrementToken()) {
                CombinedFieldQuery.Builder q = new CombinedFieldQuery.Builder(term.toString());
                ChunkFields.BM25_FIELDS.forEach(q::addField);
                terms.add(q.build(), BooleanClause.Occur.SHOULD);
                any = true;
            }
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyse the query: " + e.getMessage(), e);
        }
        return any ? terms.build() : null;
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
