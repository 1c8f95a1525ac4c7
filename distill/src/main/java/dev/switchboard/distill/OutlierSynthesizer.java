package dev.switchboard.distill;

import dev.switchboard.models.Vectors;
import java.util.Arrays;
import java.util.Random;

/**
 * Makes pseudo out-of-scope training embeddings from in-scope ones, for models trained with an
 * out-of-scope label (a background class learns little from CLINC150's 100 real examples alone):
 * {@code normalise(a·x_i + (1-a)·x_j)} for a pair of in-scope examples and {@code a ~ U[0.3, 0.7]} —
 * points between intents, where a linear head is otherwise confident for no reason. (Spliced texts for
 * the n-gram head were tried too and lowered CLINC150 validation in-scope accuracy at 90% OOS recall from
 * 0.9517 to 0.9387, so the n-gram head trains on real texts only.) A pair has different labels, and different domains when the data names at least two domains (on
 * CLINC150 validation, cross-domain mixtures rejected more out-of-scope queries at the same in-scope
 * accuracy than any-label mixtures). Pairs and mixing weights come from a {@link Random} seeded with the
 * given seed.
 */
final class OutlierSynthesizer {

    static final double MIN_MIX = 0.3;
    static final double MAX_MIX = 0.7;

    private OutlierSynthesizer() {
    }

    /**
     * {@code count} synthetic embeddings (in-scope = label other than {@code oosIndex}).
     *
     * @param domains the domain of each example ({@code null} entries or a null array: unknown)
     */
    static float[][] embeddings(float[][] x, int[] y, String[] domains, int oosIndex, int count, long seed) {
        Random random = new Random(seed);
        int[] inScope = inScope(y, oosIndex);
        boolean byDomain = distinctDomains(domains, inScope) >= 2;
        float[][] out = new float[count][];
        for (int s = 0; s < count; s++) {
            int[] pair = pair(inScope, y, byDomain ? domains : null, random);
            double a = MIN_MIX + (MAX_MIX - MIN_MIX) * random.nextDouble();
            float[] z = new float[x[pair[0]].length];
            for (int d = 0; d < z.length; d++) {
                z[d] = (float) (a * x[pair[0]][d] + (1 - a) * x[pair[1]][d]);
            }
            Vectors.normalize(z);
            out[s] = z;
        }
        return out;
    }

    private static int[] inScope(int[] y, int oosIndex) {
        int[] in = java.util.stream.IntStream.range(0, y.length).filter(i -> y[i] != oosIndex).toArray();
        if (in.length == 0 || Arrays.stream(in).map(i -> y[i]).distinct().count() < 2) {
            throw new IllegalArgumentException("synthetic outliers need in-scope examples of at least 2 labels");
        }
        return in;
    }

    private static long distinctDomains(String[] domains, int[] inScope) {
        if (domains == null) {
            return 0;
        }
        if (Arrays.stream(inScope).anyMatch(i -> domains[i] == null)) {
            return 0;
        }
        return Arrays.stream(inScope).mapToObj(i -> domains[i]).distinct().count();
    }

    /** Two in-scope examples with different labels (and different domains if {@code domains} is given). */
    private static int[] pair(int[] inScope, int[] y, String[] domains, Random random) {
        int i;
        int j;
        do {
            i = inScope[random.nextInt(inScope.length)];
            j = inScope[random.nextInt(inScope.length)];
        } while (y[i] == y[j] || (domains != null && domains[i].equals(domains[j])));
        return new int[] {i, j};
    }
}
