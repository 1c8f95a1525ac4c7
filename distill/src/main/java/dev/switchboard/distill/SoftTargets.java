package dev.switchboard.distill;

import java.util.Objects;

/**
 * What a student trains on besides its inputs: per example the teacher's probabilities and the gold
 * label (or -1 for unlabeled text), with the {@link DistillationLoss} that combines them. Row i of
 * {@link #targets()} is {@code q_i = softmax(log p_i / T)}, computed once.
 *
 * @param teacher teacher probabilities, one row per training example
 * @param labels  gold label index per example, -1 where the text is unlabeled
 * @param loss    α and T
 */
record SoftTargets(double[][] teacher, int[] labels, DistillationLoss loss, double[][] targets) {

    SoftTargets {
        Objects.requireNonNull(loss, "loss");
        if (teacher.length != labels.length) {
            throw new IllegalArgumentException("there are " + teacher.length + " teacher rows for " + labels.length
                    + " labels");
        }
    }

    SoftTargets(double[][] teacher, int[] labels, DistillationLoss loss) {
        this(teacher, labels, loss, sharpen(teacher, loss));
    }

    private static double[][] sharpen(double[][] teacher, DistillationLoss loss) {
        double[][] q = new double[teacher.length][];
        for (int i = 0; i < q.length; i++) {
            q[i] = loss.softTargets(teacher[i]);
        }
        return q;
    }

    int size() {
        return labels.length;
    }

    /** The same targets followed by {@code count} labeled examples whose teacher row is one-hot on {@code label}. */
    SoftTargets withOneHot(int label, int count, int labelCount) {
        double[][] p = java.util.Arrays.copyOf(teacher, teacher.length + count);
        double[][] q = java.util.Arrays.copyOf(targets, targets.length + count);
        int[] y = java.util.Arrays.copyOf(labels, labels.length + count);
        for (int i = teacher.length; i < p.length; i++) {
            p[i] = new double[labelCount];
            p[i][label] = 1;
            q[i] = loss.softTargets(p[i]); // only the new rows: the others are sharpened already
            y[i] = label;
        }
        return new SoftTargets(p, y, loss, q);
    }
}
