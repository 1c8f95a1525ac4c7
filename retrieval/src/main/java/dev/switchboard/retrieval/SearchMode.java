package dev.switchboard.retrieval;

/** How {@link KnowledgeIndex#search(SearchRequest)} ranks chunks. */
public enum SearchMode {
    /** Lexical: Lucene BM25 over title + section + text (English analyzer: stemming, stop words). */
    BM25,
    /** Semantic: nearest chunk vectors (HNSW) to the query embedding, by cosine similarity. */
    DENSE,
    /** The BM25 and the dense rankings fused as {@link FusionConfig} says (default: z-score weighted). */
    HYBRID
}
