package dev.switchboard.evaluation;

import dev.switchboard.models.CascadeClassifier;
import dev.switchboard.models.Classifier;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.Prediction;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A classifier's in-scope accuracy as a function of its rejection threshold, on labelled texts with an
 * out-of-scope label. Each text has a score s (higher = more in scope) and a hard decision: a text is rejected
 * if its argmax is the out-of-scope label or {@code s < t}. The score is the model's own rule score where it has
 * one (an {@link IntentClassifier} with a {@code rejection} rule: that rule's score,
 * {@link IntentClassifier#outOfScopeScore}; a {@link CascadeClassifier} whose large member has one: that score
 * on the texts it escalates, +∞ on the ones its fast member answers, which no threshold of the rule reaches),
 * else the confidence of its top label — so moving t moves the model along its own trade-off curve.
 *
 * @param score            per text, the score compared with the threshold
 * @param argmaxOutOfScope per text, whether the model's top label is the out-of-scope label (rejected at any t)
 * @param right            per text, whether the top label is the gold label
 * @param outOfScope       per text, whether the gold label is the out-of-scope label
 */
record OutOfScopeSweep(double[] score, boolean[] argmaxOutOfScope, boolean[] right, boolean[] outOfScope) {

    OutOfScopeSweep {
        Objects.requireNonNull(score, "score");
        if (argmaxOutOfScope.length != score.length || right.length != score.length || outOfScope.length != score.length) {
            throw new IllegalArgumentException("all arrays must have one value per text");
        }
    }

    /**
     * @param embeddings for an {@link IntentClassifier} with a rejection rule, the texts' embeddings by its encoder
     *                   (the ones its predictions came from); ignored otherwise (may be null)
     * @param decisions  for a {@link CascadeClassifier}, its decisions on the texts (the predictions and which
     *                   member gave them); ignored otherwise (may be null)
     */
    static OutOfScopeSweep of(Classifier classifier, List<String> texts, List<Prediction> predictions, List<String> gold,
            String oosLabel, float[][] embeddings, List<CascadeClassifier.Decision> decisions) {
        int n = texts.size();
        double[] score = new double[n];
        boolean[] argmaxOos = new boolean[n];
        boolean[] right = new boolean[n];
        boolean[] oos = new boolean[n];
        IntentClassifier ruled = classifier instanceof IntentClassifier c && c.manifest().rejection() != null ? c : null;
        double[] cascadeScores = classifier instanceof CascadeClassifier c ? cascadeRuleScores(c, texts, decisions) : null;
        for (int i = 0; i < n; i++) {
            Prediction p = predictions.get(i);
            argmaxOos[i] = p.label().equals(oosLabel);
            right[i] = p.label().equals(gold.get(i));
            oos[i] = gold.get(i).equals(oosLabel);
            score[i] = cascadeScores != null ? cascadeScores[i]
                    : ruled == null ? p.confidence() : ruled.outOfScopeScore(texts.get(i), embeddings[i]);
        }
        return new OutOfScopeSweep(score, argmaxOos, right, oos);
    }

    /**
     * Per text, the large member's rule score if the cascade escalates it, else +∞; null if the large member
     * has no rule (the cascade is then swept on confidence).
     *
     * @param decisions the cascade's decisions on the texts (which member answered)
     */
    static double[] cascadeRuleScores(CascadeClassifier cascade, List<String> texts,
            List<CascadeClassifier.Decision> decisions) {
        if (!(cascade.large() instanceof IntentClassifier large) || large.manifest().rejection() == null) {
            return null;
        }
        List<Integer> up = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (decisions.get(i).escalated()) {
                up.add(i);
            }
        }
        double[] scores = new double[texts.size()];
        java.util.Arrays.fill(scores, Double.POSITIVE_INFINITY);
        float[][] embeddings = large.encoder().embed(up.stream().map(texts::get).toList());
        for (int j = 0; j < up.size(); j++) {
            scores[up.get(j)] = large.outOfScopeScore(texts.get(up.get(j)), embeddings[j]);
        }
        return scores;
    }

    /**
     * The lowest threshold (among the out-of-scope texts' scores, and −∞) at which at least {@code recall} of
     * the out-of-scope texts are rejected; where no threshold gets there (texts scored +∞, or predicted in scope
     * outright, are never rejected), the lowest one reaching the highest recall any threshold gets.
     */
    double thresholdForRecall(double recall) {
        List<Double> candidates = new ArrayList<>();
        candidates.add(Double.NEGATIVE_INFINITY);
        for (int i = 0; i < score.length; i++) {
            if (outOfScope[i]) {
                candidates.add(Math.nextUp(score[i]));
            }
        }
        candidates.sort(null);
        double reachable = Math.min(recall, recallAt(candidates.get(candidates.size() - 1)));
        for (double t : candidates) {
            if (recallAt(t) >= reachable - 1e-12) {
                return t;
            }
        }
        throw new AssertionError("the highest candidate reaches its own recall");
    }

    /** Share of out-of-scope texts rejected at threshold t. */
    double recallAt(double t) {
        int oos = 0;
        int rejected = 0;
        for (int i = 0; i < score.length; i++) {
            if (outOfScope[i]) {
                oos++;
                rejected += rejects(i, t) ? 1 : 0;
            }
        }
        return (double) rejected / oos;
    }

    /** Share of in-scope texts that get their label and are not rejected at threshold t. */
    double inScopeAccuracyAt(double t) {
        int in = 0;
        int ok = 0;
        for (int i = 0; i < score.length; i++) {
            if (!outOfScope[i]) {
                in++;
                ok += right[i] && !rejects(i, t) ? 1 : 0;
            }
        }
        return (double) ok / in;
    }

    double inScopeAccuracyAtRecall(double recall) {
        return inScopeAccuracyAt(thresholdForRecall(recall));
    }

    double recallAtRecall(double recall) {
        return recallAt(thresholdForRecall(recall));
    }

    private boolean rejects(int i, double t) {
        return argmaxOutOfScope[i] || score[i] < t;
    }
}
