package dev.switchboard.evaluation;

import java.util.List;
import java.util.Objects;

/**
 * Scores of a classifier that may reject texts as out of scope, on data whose out-of-scope examples
 * carry the label {@code oosLabel} (CLINC150's {@code oos}):
 * <ul>
 *   <li>in-scope accuracy = in-scope examples predicted right AND not rejected / in-scope examples
 *       (an in-scope query rejected counts as wrong);</li>
 *   <li>OOS recall = out-of-scope examples rejected / out-of-scope examples;</li>
 *   <li>OOS precision = out-of-scope examples rejected / examples rejected (0 if none is rejected).</li>
 * </ul>
 *
 * @param inScope          in-scope examples
 * @param outOfScope       out-of-scope examples
 * @param rejected         examples rejected
 * @param inScopeAccuracy  see above
 * @param oosRecall        see above
 * @param oosPrecision     see above
 */
public record OutOfScopeMetrics(int inScope, int outOfScope, int rejected, double inScopeAccuracy, double oosRecall,
        double oosPrecision) {

    /**
     * @param gold      gold labels
     * @param predicted predicted labels (ignored where rejected)
     * @param rejected  whether each text was rejected as out of scope
     * @param oosLabel  the gold label of out-of-scope examples
     * @throws IllegalArgumentException if the lists differ in length or there is no in-scope or no out-of-scope example
     */
    public static OutOfScopeMetrics of(List<String> gold, List<String> predicted, List<Boolean> rejected, String oosLabel) {
        Objects.requireNonNull(oosLabel, "oosLabel");
        if (gold.size() != predicted.size() || gold.size() != rejected.size()) {
            throw new IllegalArgumentException("gold, predicted and rejected differ in length: " + gold.size() + ", "
                    + predicted.size() + ", " + rejected.size());
        }
        int in = 0;
        int inRight = 0;
        int oos = 0;
        int oosRejected = 0;
        int rejectedCount = 0;
        for (int i = 0; i < gold.size(); i++) {
            boolean r = rejected.get(i);
            rejectedCount += r ? 1 : 0;
            if (gold.get(i).equals(oosLabel)) {
                oos++;
                oosRejected += r ? 1 : 0;
            } else {
                in++;
                inRight += !r && gold.get(i).equals(predicted.get(i)) ? 1 : 0;
            }
        }
        if (in == 0 || oos == 0) {
            throw new IllegalArgumentException("out-of-scope metrics need in-scope and '" + oosLabel + "' examples, got "
                    + in + " and " + oos);
        }
        return new OutOfScopeMetrics(in, oos, rejectedCount, (double) inRight / in, (double) oosRejected / oos,
                rejectedCount == 0 ? 0 : (double) oosRejected / rejectedCount);
    }
}
