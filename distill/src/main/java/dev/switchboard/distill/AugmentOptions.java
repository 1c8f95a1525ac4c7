package dev.switchboard.distill;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code train intent}'s augmentation options (a picocli mixin): {@link TextAugmenter} copies and LLM
 * paraphrases ({@link Paraphraser}) added to the train split only, after dedupe and the validation split,
 * so no augmented text is validated or tested on.
 */
final class AugmentOptions {

    @Option(names = "--augment", defaultValue = "0", paramLabel = "K",
            description = "Add K randomly edited copies (word deletion + adjacent swaps) of each train example (default: ${DEFAULT-VALUE}).")
    int copies;

    @Option(names = "--augment-deletion", defaultValue = "" + TextAugmenter.DEFAULT_DELETION, paramLabel = "P",
            description = "Per-word deletion probability of an augmented copy (default: ${DEFAULT-VALUE}).")
    double deletion;

    @Option(names = "--augment-swaps", defaultValue = "" + TextAugmenter.DEFAULT_SWAPS, paramLabel = "N",
            description = "Adjacent word swaps per augmented copy (default: ${DEFAULT-VALUE}).")
    int swaps;

    @Option(names = "--paraphrase", paramLabel = "BASE_URL",
            description = "Also add LLM paraphrases of each train example from this OpenAI-compatible API root "
                    + "(e.g. https://api.openai.com/v1 or http://localhost:11434/v1); needs --paraphrase-model.")
    String paraphraseUrl;

    @Option(names = "--paraphrase-model", description = "Model name sent to --paraphrase.")
    String paraphraseModel;

    @Option(names = "--paraphrases", defaultValue = "1", description = "Paraphrases asked for per example (default: ${DEFAULT-VALUE}).")
    int paraphrases;

    @Option(names = "--paraphrase-key-env", defaultValue = "OPENAI_API_KEY",
            description = "Environment variable holding the API key, if any (default: ${DEFAULT-VALUE}).")
    String keyEnv;

    boolean active() {
        return copies > 0 || paraphraseUrl != null;
    }

    /** The dataset with augmented train examples appended; records what was added in {@code parameters}. */
    IntentDataset apply(IntentDataset dataset, long seed, Map<String, Object> parameters, PrintWriter err) {
        OptionChecks.atLeast("--augment", copies, 0);
        if (!active()) {
            return dataset;
        }
        List<String> avoid = new ArrayList<>();
        dataset.validation().forEach(e -> avoid.add(e.text()));
        dataset.test().forEach(e -> avoid.add(e.text()));
        List<IntentExample> added = new ArrayList<>();
        if (copies > 0) {
            TextAugmenter augmenter = new TextAugmenter(deletion, swaps, seed);
            List<IntentExample> edited = augmenter.augment(dataset.train(), copies, avoid);
            added.addAll(edited);
            parameters.put("augment_copies", copies);
            parameters.put("augment_deletion", deletion);
            parameters.put("augment_swaps", swaps);
            parameters.put("augmented_examples", edited.size());
            err.printf(Locale.ROOT, "augment: %d edited copies added to %d train examples%n", edited.size(),
                    dataset.train().size());
        }
        if (paraphraseUrl != null) {
            Paraphraser paraphraser = Paraphraser.openAiCompatible(paraphraseUrl, paraphraseModel, System.getenv(keyEnv),
                    Duration.ofSeconds(60));
            List<IntentExample> para = paraphrase(paraphraser, dataset.train(), avoid, err);
            added.addAll(para);
            parameters.put("paraphraser", paraphraser.id());
            parameters.put("paraphrased_examples", para.size());
        }
        List<IntentExample> train = new ArrayList<>(dataset.train());
        train.addAll(added);
        err.flush();
        return new IntentDataset(dataset.dir(), train, dataset.validation(), dataset.test(), dataset.labels(),
                dataset.validationFile(), dataset.sha256(), dataset.preparation());
    }

    private List<IntentExample> paraphrase(Paraphraser paraphraser, List<IntentExample> train, List<String> avoid,
            PrintWriter err) {
        Set<String> seen = new HashSet<>();
        avoid.forEach(t -> seen.add(Deduplicator.key(t)));
        train.forEach(e -> seen.add(Deduplicator.key(e.text())));
        List<IntentExample> out = new ArrayList<>();
        for (int i = 0; i < train.size(); i++) {
            IntentExample e = train.get(i);
            for (String p : paraphraser.paraphrase(e.text(), paraphrases)) {
                if (seen.add(Deduplicator.key(p))) {
                    out.add(new IntentExample(p, e.label(), e.domain()));
                }
            }
            if ((i + 1) % 100 == 0 || i + 1 == train.size()) {
                err.printf(Locale.ROOT, "paraphrase: %d of %d examples, %d paraphrases kept%n", i + 1, train.size(), out.size());
                err.flush();
            }
        }
        return out;
    }
}
