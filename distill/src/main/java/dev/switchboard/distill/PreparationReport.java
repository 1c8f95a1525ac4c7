package dev.switchboard.distill;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link DataPreparation} did to one dataset; {@code train} prints {@link #lines()} and records
 * {@link #parameters()} in the model's manifest.
 *
 * @param preparation       the steps that ran
 * @param textsAnonymized   texts (all splits) in which at least one span was replaced
 * @param spansReplaced     personal-data spans replaced by placeholders (all splits)
 * @param spansKept         personal-data spans left in place because they overlap a labelled slot span
 * @param duplicatesDropped train examples dropped as repeats of an earlier one with the same label
 * @param leakedDropped     train examples dropped because their text occurs in validation or test
 * @param conflictingTexts  distinct train texts that carry more than one label
 * @param conflictingDropped train examples dropped with those texts
 * @param conflictExamples  up to {@value #EXAMPLES} of them, {@code "text" → label | label}
 * @param warnings          problems that are not errors (e.g. overlapping slot spans), file and line named;
 *                          up to {@value #EXAMPLES} kept, {@code warningCount} counts all
 * @param warningCount      how many warnings there were
 */
public record PreparationReport(DataPreparation preparation, int textsAnonymized, int spansReplaced, int spansKept,
        int duplicatesDropped, int leakedDropped, int conflictingTexts, int conflictingDropped,
        List<String> conflictExamples, List<String> warnings, int warningCount) {

    /** How many conflict examples and warnings are kept. */
    public static final int EXAMPLES = 5;

    public PreparationReport {
        Objects.requireNonNull(preparation, "preparation");
        conflictExamples = List.copyOf(conflictExamples);
        warnings = List.copyOf(warnings);
    }

    /** The report of loading without preparation. */
    public static PreparationReport none() {
        return new PreparationReport(DataPreparation.NONE, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of(), 0);
    }

    /** Examples dropped from train in all. */
    public int dropped() {
        return duplicatesDropped + leakedDropped + conflictingDropped;
    }

    /** Human-readable summary lines (for stderr). */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(preparation.anonymize()
                ? String.format(Locale.ROOT, "anonymized: %d personal-data spans replaced in %d texts%s", spansReplaced,
                        textsAnonymized, spansKept == 0 ? "" : ", " + spansKept + " kept inside labelled slot spans")
                : "anonymized: no (--no-anonymize)");
        lines.add(preparation.dedupe()
                ? String.format(Locale.ROOT, "dedupe: dropped %d duplicate, %d leaked (also in validation/test) and %d "
                        + "conflicting train examples (%d texts with more than one label)", duplicatesDropped, leakedDropped,
                        conflictingDropped, conflictingTexts)
                : "dedupe: no (--no-dedupe)");
        conflictExamples.forEach(c -> lines.add("  conflicting: " + c));
        if (warningCount > 0) {
            lines.add(warningCount + " warning(s):");
            warnings.forEach(w -> lines.add("  " + w));
            if (warningCount > warnings.size()) {
                lines.add("  ... " + (warningCount - warnings.size()) + " more");
            }
        }
        return lines;
    }

    /** Manifest parameters: {@code anonymized}, {@code pii_spans_replaced}, {@code dedupe}, the drop counts. */
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("anonymized", preparation.anonymize());
        p.put("pii_spans_replaced", spansReplaced);
        p.put("pii_texts", textsAnonymized);
        if (spansKept > 0) {
            p.put("pii_spans_kept_in_labels", spansKept);
        }
        p.put("dedupe", preparation.dedupe());
        p.put("duplicates_dropped", duplicatesDropped);
        p.put("leaked_dropped", leakedDropped);
        p.put("conflicting_texts", conflictingTexts);
        p.put("conflicting_dropped", conflictingDropped);
        if (warningCount > 0) {
            p.put("data_warnings", warningCount);
        }
        return p;
    }
}
