package dev.switchboard.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Property-style tests over seeded random scores (jqwik is not in this build). */
class ViterbiTest {

    /** Random BIO problems: 1-4 labels, 1-12 pieces, emissions and CRF transitions in [-6, 6]. */
    private record Problem(BioTagSet tags, double[][] emissions, double[] start, double[][] transitions) {

        static Problem random(Random random, int maxLength) {
            List<String> labels = new ArrayList<>();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                labels.add("l" + i);
            }
            BioTagSet tags = BioTagSet.ofLabels(labels);
            int k = tags.size();
            int n = 1 + random.nextInt(maxLength);
            double[][] e = new double[n][k];
            for (double[] row : e) {
                for (int y = 0; y < k; y++) {
                    // Invalid tags are often the most likely ones: the constraint must overrule them.
                    row[y] = 12 * random.nextDouble() - 6 + (tags.isInside(y) ? 3 : 0);
                }
            }
            double[] start = new double[k];
            double[][] transitions = new double[k][k];
            double[] startMask = tags.startMask();
            double[][] mask = tags.transitionMask();
            for (int f = 0; f < k; f++) {
                start[f] = 12 * random.nextDouble() - 6 + startMask[f];
                for (int t = 0; t < k; t++) {
                    transitions[f][t] = 12 * random.nextDouble() - 6 + mask[f][t];
                }
            }
            return new Problem(tags, e, start, transitions);
        }

        double score(int[] path) {
            double s = start[path[0]] + emissions[0][path[0]];
            for (int t = 1; t < path.length; t++) {
                s += transitions[path[t - 1]][path[t]] + emissions[t][path[t]];
            }
            return s;
        }
    }

    @Test
    void neverEmitsAnInvalidTransition() {
        Random random = new Random(20261122);
        for (int trial = 0; trial < 2000; trial++) {
            Problem p = Problem.random(random, 12);
            int[] path = Viterbi.decode(p.emissions, p.start, Viterbi.Transitions.of(p.transitions));
            assertEquals(p.emissions.length, path.length);
            assertTrue(p.tags.isValid(path), "trial " + trial + ": invalid path " + java.util.Arrays.toString(path));
        }
    }

    @Test
    void findsTheBestPathAndExactMarginalsByExhaustiveSearch() {
        Random random = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            Problem p = Problem.random(random, 4);
            int n = p.emissions.length;
            int k = p.tags.size();
            double best = Double.NEGATIVE_INFINITY;
            double z = 0;
            double[][] marginals = new double[n][k];
            int[] path = new int[n];
            int total = (int) Math.pow(k, n);
            for (int code = 0; code < total; code++) {
                for (int t = 0, c = code; t < n; t++, c /= k) {
                    path[t] = c % k;
                }
                double s = p.score(path);
                if (s == Double.NEGATIVE_INFINITY) {
                    continue;
                }
                best = Math.max(best, s);
                double w = Math.exp(s);
                z += w;
                for (int t = 0; t < n; t++) {
                    marginals[t][path[t]] += w;
                }
            }
            Viterbi.Transitions transitions = Viterbi.Transitions.of(p.transitions);
            int[] decoded = Viterbi.decode(p.emissions, p.start, transitions);
            assertEquals(best, p.score(decoded), 1e-9, "trial " + trial);
            double[][] m = Viterbi.marginals(p.emissions, p.start, transitions);
            for (int t = 0; t < n; t++) {
                double rowSum = 0;
                for (int y = 0; y < k; y++) {
                    assertEquals(marginals[t][y] / z, m[t][y], 1e-9, "trial " + trial + " t " + t + " tag " + y);
                    rowSum += m[t][y];
                }
                assertEquals(1.0, rowSum, 1e-9);
            }
        }
    }

    @Test
    void positionDependentConstraintsAreObeyed() {
        // Piece 1 continues piece 0's word: only O->O or B/I-x -> I-x are allowed there.
        BioTagSet tags = BioTagSet.ofLabels(List.of("a", "b"));
        double[][] mask = tags.transitionMask();
        Viterbi.Transitions word = (t, from, to) -> {
            boolean continues = from == 0 ? to == 0 : tags.isInside(to) && tags.labelOf(to).equals(tags.labelOf(from));
            return t == 1 && !continues ? Double.NEGATIVE_INFINITY : mask[from][to];
        };
        // Emissions want B-a, B-b, O: piece 1 cannot begin a new entity inside the word.
        double[][] e = {{0, 5, 0, 0, 0}, {0, 0, 0, 5, 0}, {5, 0, 0, 0, 0}};
        int[] path = Viterbi.decode(e, tags.startMask(), word);
        assertArrayEquals(new int[] {1, 2, 0}, path);
        assertArrayEquals(new int[] {1, 3, 0}, Viterbi.decode(e, tags.startMask(), Viterbi.Transitions.of(mask)));
    }

    @Test
    void rejectsShapesThatDisagreeAndProblemsWithoutAFinitePath() {
        assertEquals("emissions row 0 has 2 scores but there are 3 tags", assertThrows(IllegalArgumentException.class,
                () -> Viterbi.decode(new double[][] {{0, 0}}, new double[3], (t, f, g) -> 0)).getMessage());
        double[] impossible = {Double.NEGATIVE_INFINITY};
        assertEquals("no tag sequence has a finite score", assertThrows(IllegalArgumentException.class,
                () -> Viterbi.decode(new double[][] {{0}}, impossible, (t, f, g) -> 0)).getMessage());
        assertEquals(0, Viterbi.decode(new double[0][], new double[3], (t, f, g) -> 0).length);
    }
}
