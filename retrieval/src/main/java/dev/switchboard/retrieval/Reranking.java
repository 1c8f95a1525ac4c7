package dev.switchboard.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** What the rerankers share: the text a hit is judged on, and re-ordering by new scores. */
final class Reranking {

    private Reranking() {
    }

    /** {@code "title. section. text"}, as the index embeds the chunk. */
    static String text(SearchHit hit) {
        return ChunkFields.embeddingText(hit.title(), hit.section(), hit.text());
    }

    /** The hits with {@code score[i]} as hit i's score, best first; equal scores keep their order. */
    static List<SearchHit> reorder(List<SearchHit> hits, double[] score) {
        List<Integer> order = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -score[i])); // List.sort is stable
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (int i : order) {
            out.add(hits.get(i).withScore(score[i]));
        }
        return out;
    }
}
