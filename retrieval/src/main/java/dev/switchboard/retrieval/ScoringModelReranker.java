package dev.switchboard.retrieval;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.scoring.ScoringModel;
import java.util.List;

/** See {@link Rerankers#scoringModel(ScoringModel)}. */
final class ScoringModelReranker implements Reranker {

    private final ScoringModel model;

    ScoringModelReranker(ScoringModel model) {
        this.model = model;
    }

    @Override
    public List<SearchHit> rerank(String query, List<SearchHit> hits) {
        if (hits.isEmpty()) {
            return List.of();
        }
        List<TextSegment> segments = hits.stream().map(h -> TextSegment.from(Reranking.text(h))).toList();
        Response<List<Double>> response = model.scoreAll(segments, query);
        List<Double> scores = response == null ? null : response.content();
        if (scores == null || scores.size() != hits.size()) {
            throw new IllegalStateException("scoring model " + model.getClass().getName() + " returned "
                    + (scores == null ? "no scores" : scores.size() + " scores") + " for " + hits.size() + " segments");
        }
        double[] score = new double[scores.size()];
        for (int i = 0; i < score.length; i++) {
            Double s = scores.get(i);
            if (s == null || s.isNaN()) {
                throw new IllegalStateException("scoring model " + model.getClass().getName() + " returned " + s
                        + " for segment " + i);
            }
            score[i] = s;
        }
        return Reranking.reorder(hits, score);
    }

    @Override
    public String id() {
        return "scoring-model:" + model.getClass().getSimpleName();
    }
}
