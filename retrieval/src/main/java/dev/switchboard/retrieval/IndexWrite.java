package dev.switchboard.retrieval;

import dev.switchboard.models.Encoder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * One write of a {@link KnowledgeIndex} (upserts and deletions), run under its write lock; the
 * caller commits, or rolls back if this throws.
 *
 * <ol>
 *   <li>Plan, against {@code before} (the searcher of the state after the previous write): a chunk is
 *       searchable unless deduplication is on and its content hash is held by a searchable chunk of a
 *       document this write leaves alone, or by an earlier chunk of this write; else it is a
 *       duplicate (see {@link ChunkFields}).</li>
 *   <li>Write: deletions, then each document's chunks replacing its old ones in one
 *       {@code updateDocuments}, taking the vectors from an {@link EmbeddingPipeline} that embeds the
 *       searchable chunks one batch ahead.</li>
 *   <li>Promote: for each hash that only the removed chunks made searchable, the first duplicate
 *       (by document id, then chunk index) of a document left alone is embedded and made
 *       searchable.</li>
 * </ol>
 */
final class IndexWrite {

    /** A document cut into chunks, with each chunk's content hash. */
    record Prepared(Document document, List<Chunk> chunks, List<String> hashes) {
        static Prepared of(Document d, List<Chunk> chunks) {
            return new Prepared(d, chunks, chunks.stream().map(c -> ChunkFields.contentHash(c.text())).toList());
        }
    }

    /**
     * What a write did.
     *
     * @param chunks     searchable chunks written for the upserted documents
     * @param duplicates duplicate chunks written for them
     * @param deleted    how many of the documents to delete were there
     */
    record Result(int chunks, int duplicates, int deleted) {
    }

    private final IndexWriter writer;
    private final IndexSearcher before;
    private final Encoder encoder;
    private final String collection;
    private final boolean deduplicate;

    IndexWrite(IndexWriter writer, IndexSearcher before, Encoder encoder, String collection, boolean deduplicate) {
        this.writer = writer;
        this.before = before;
        this.encoder = encoder;
        this.collection = collection;
        this.deduplicate = deduplicate;
    }

    Result apply(List<Prepared> upserts, Collection<String> deletions) throws IOException {
        Set<String> touched = new HashSet<>(deletions);
        upserts.forEach(p -> touched.add(p.document().id()));
        // What the replaced and deleted documents held.
        Set<String> removedHashes = new HashSet<>();
        Set<String> present = new HashSet<>();
        if (!touched.isEmpty()) {
            for (var d : all(before, new TermInSetQuery(ChunkFields.DOCUMENT_ID, touched.stream().sorted().map(BytesRef::new).toList()))) {
                removedHashes.add(d.get(ChunkFields.HASH));
                present.add(d.get(ChunkFields.DOCUMENT_ID));
            }
        }
        present.retainAll(Set.copyOf(deletions));

        Holders holders = new Holders(touched);
        Set<String> searchable = new HashSet<>();
        List<String> texts = new ArrayList<>();
        List<boolean[]> plan = new ArrayList<>(upserts.size());
        int duplicates = 0;
        for (Prepared p : upserts) {
            boolean[] keep = new boolean[p.chunks().size()];
            for (int i = 0; i < keep.length; i++) {
                String hash = p.hashes().get(i);
                keep[i] = !deduplicate || (!searchable.contains(hash) && !holders.heldElsewhere(hash));
                searchable.add(hash);
                if (keep[i]) {
                    Chunk c = p.chunks().get(i);
                    texts.add(ChunkFields.embeddingText(p.document().title(), c.section(), c.text()));
                } else {
                    duplicates++;
                }
            }
            plan.add(keep);
        }

        try (EmbeddingPipeline vectors = new EmbeddingPipeline(encoder, texts, KnowledgeIndex.EMBED_BATCH,
                KnowledgeIndex.PIPELINE_DEPTH)) {
            for (String id : deletions) {
                writer.deleteDocuments(new Term(ChunkFields.DOCUMENT_ID, id));
            }
            for (int k = 0; k < upserts.size(); k++) {
                Prepared p = upserts.get(k);
                List<org.apache.lucene.document.Document> docs = new ArrayList<>(p.chunks().size());
                for (int i = 0; i < p.chunks().size(); i++) {
                    float[] vector = plan.get(k)[i] ? vectors.next() : null;
                    docs.add(ChunkFields.of(p.document(), p.chunks().get(i), p.hashes().get(i), collection, vector));
                }
                writer.updateDocuments(new Term(ChunkFields.DOCUMENT_ID, p.document().id()), docs);
            }
        }
        promoteOrphans(removedHashes, searchable, holders);
        return new Result(texts.size(), duplicates, present.size());
    }

    /** Content that only the removed chunks made searchable: a duplicate elsewhere takes over. */
    private void promoteOrphans(Set<String> removedHashes, Set<String> searchable, Holders holders) throws IOException {
        List<ChunkFields.Stored> promoted = new ArrayList<>();
        for (String hash : removedHashes) {
            if (!searchable.contains(hash) && !holders.heldElsewhere(hash)) {
                holders.duplicateToPromote(hash).ifPresent(promoted::add);
            }
        }
        if (promoted.isEmpty()) {
            return;
        }
        float[][] vectors = encoder.embed(promoted.stream()
                .map(s -> ChunkFields.embeddingText(s.document().title(), s.chunk().section(), s.chunk().text()))
                .toList());
        for (int i = 0; i < promoted.size(); i++) {
            ChunkFields.Stored s = promoted.get(i);
            writer.updateDocument(new Term(ChunkFields.CHUNK_ID, s.chunkId()),
                    ChunkFields.of(s.document(), s.chunk(), s.hash(), collection, vectors[i]));
        }
    }

    /** Who holds a content hash, in the state before the write, among the documents it leaves alone. */
    private final class Holders {
        private final Set<String> touched;
        private final Map<String, Boolean> held = new HashMap<>();

        Holders(Set<String> touched) {
            this.touched = touched;
        }

        /** Whether a searchable chunk of a document this write leaves alone has the hash. */
        boolean heldElsewhere(String hash) throws IOException {
            Boolean known = held.get(hash);
            if (known == null) {
                known = false;
                for (var d : all(before, ofKind(hash, ChunkFields.KIND_CHUNK))) {
                    known |= !touched.contains(d.get(ChunkFields.DOCUMENT_ID));
                }
                held.put(hash, known);
            }
            return known;
        }

        /** The duplicate with this hash, outside the written documents, first by (document id, chunk index). */
        Optional<ChunkFields.Stored> duplicateToPromote(String hash) throws IOException {
            return all(before, ofKind(hash, ChunkFields.KIND_DUPLICATE)).stream()
                    .map(ChunkFields::read)
                    .filter(s -> !touched.contains(s.document().id()))
                    .min(Comparator.comparing((ChunkFields.Stored s) -> s.document().id())
                            .thenComparingInt(s -> s.chunk().index()));
        }

        private static Query ofKind(String hash, String kind) {
            return new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(ChunkFields.HASH, hash)), BooleanClause.Occur.FILTER)
                    .add(new TermQuery(new Term(ChunkFields.KIND, kind)), BooleanClause.Occur.FILTER)
                    .build();
        }
    }

    /** Every stored chunk matching {@code query}. */
    static List<org.apache.lucene.document.Document> all(IndexSearcher searcher, Query query) throws IOException {
        int n = searcher.count(query);
        if (n == 0) {
            return List.of();
        }
        StoredFields stored = searcher.storedFields();
        List<org.apache.lucene.document.Document> out = new ArrayList<>(n);
        for (ScoreDoc sd : searcher.search(query, n).scoreDocs) {
            out.add(stored.document(sd.doc));
        }
        return out;
    }
}
