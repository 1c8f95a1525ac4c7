package dev.switchboard.distill;

/**
 * Validation scores the trainer records. Same conventions as the evaluation module's IntentMetrics
 * (which distill cannot depend on): macro-F1 is the unweighted mean of per-label F1 over the labels
 * that occur in gold or predicted; an undefined precision or recall counts as 0.
 */
final class Scores {

    private Scores() {
    }

    /** The index of each row's largest value (ties: the first). */
    static int[] argmax(double[][] p) {
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            for (int k = 1; k < p[i].length; k++) {
                if (p[i][k] > p[i][out[i]]) {
                    out[i] = k;
                }
            }
        }
        return out;
    }

    /** The same for logits (ties: the first). */
    static int[] argmax(float[][] logits) {
        int[] out = new int[logits.length];
        for (int i = 0; i < logits.length; i++) {
            for (int k = 1; k < logits[i].length; k++) {
                if (logits[i][k] > logits[i][out[i]]) {
                    out[i] = k;
                }
            }
        }
        return out;
    }

    static double accuracy(int[] gold, int[] predicted) {
        int right = 0;
        for (int i = 0; i < gold.length; i++) {
            if (gold[i] == predicted[i]) {
                right++;
            }
        }
        return (double) right / gold.length;
    }

    static double macroF1(int[] gold, int[] predicted, int labelCount) {
        int[] tp = new int[labelCount];
        int[] goldCount = new int[labelCount];
        int[] predCount = new int[labelCount];
        for (int i = 0; i < gold.length; i++) {
            goldCount[gold[i]]++;
            predCount[predicted[i]]++;
            if (gold[i] == predicted[i]) {
                tp[gold[i]]++;
            }
        }
        double sum = 0;
        int labels = 0;
        for (int k = 0; k < labelCount; k++) {
            if (goldCount[k] == 0 && predCount[k] == 0) {
                continue;
            }
            labels++;
            double precision = predCount[k] == 0 ? 0 : (double) tp[k] / predCount[k];
            double recall = goldCount[k] == 0 ? 0 : (double) tp[k] / goldCount[k];
            sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return sum / labels;
    }
}
