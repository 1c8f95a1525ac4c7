package dev.switchboard.distill;

/**
 * What happens to a dataset's examples between reading and training (see {@link PreparationReport} for
 * what it did). Both steps are on for {@code train} unless {@code --no-anonymize} / {@code --no-dedupe}.
 *
 * <ol>
 *   <li><b>Anonymize</b>: every text (train, validation, test) goes through
 *       {@link dev.switchboard.models.PiiAnonymizer#standard()}, which replaces e-mail addresses, phone,
 *       card and IBAN numbers by the stable placeholders {@code <EMAIL>}, {@code <PHONE>}, {@code <CARD>},
 *       {@code <IBAN>}. Training on placeholders is right even though the runtime classifies raw text
 *       (it anonymizes only what it logs): personal data carries no intent signal, so the model learns
 *       the intent from the rest of the message either way, while the model, its n-gram buckets and the
 *       embedding cache never hold a customer's address or number; and texts distilled from the
 *       (anonymized) decision log look exactly like the training data. For slot data the placeholders
 *       shift character offsets: spans are re-mapped; personal data <em>inside or across</em> a labelled
 *       span is left as it is (it is the value the tagger must learn to extract from raw text) and counted
 *       as kept.</li>
 *   <li><b>Dedupe</b>, on texts normalised by {@link Deduplicator#key} (case, whitespace and punctuation
 *       ignored): a text repeated in train with the same label is kept once (the first); a text in train
 *       with conflicting labels is dropped entirely; a train text that also occurs in the validation or
 *       test data is dropped from train (it would leak). Validation and test are never changed.</li>
 * </ol>
 *
 * @param anonymize replace personal data by placeholders
 * @param dedupe    drop duplicate, conflicting and leaked train examples
 */
public record DataPreparation(boolean anonymize, boolean dedupe) {

    /** Both steps: what {@code train} does by default. */
    public static final DataPreparation STANDARD = new DataPreparation(true, true);

    /** Neither step: the files as they are. */
    public static final DataPreparation NONE = new DataPreparation(false, false);
}
