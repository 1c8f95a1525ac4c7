package dev.switchboard.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One entity list from both extractors: the learned {@link SlotTagger} (source {@value SlotTagger#SOURCE},
 * confidence = mean posterior of the span's tags) and the deterministic {@link PatternExtractor}
 * (source {@value Entity#PATTERN_SOURCE}, normalised values).
 *
 * <p>Overlap rule: <b>a pattern entity wins over any model entity it overlaps</b>, which is dropped;
 * model entities that overlap no pattern entity are kept as they are. Patterns fire only on regular
 * forms (amounts, dates, e-mails, card tails, order ids), where they are more precise than the model
 * and carry a normalised value. Neither extractor overlaps itself, so the result is pairwise
 * non-overlapping, sorted by start. Immutable and thread-safe.
 */
public final class CombinedExtractor implements Extractor {

    private final SlotTagger tagger;
    private final PatternExtractor patterns;

    private CombinedExtractor(SlotTagger tagger, PatternExtractor patterns) {
        this.tagger = tagger;
        this.patterns = patterns;
    }

    public static CombinedExtractor of(SlotTagger tagger, PatternExtractor patterns) {
        return new CombinedExtractor(Objects.requireNonNull(tagger, "tagger"), Objects.requireNonNull(patterns, "patterns"));
    }

    @Override
    public List<Entity> extract(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        return merge(patterns.extract(text), tagger.extract(text));
    }

    /** Extracts from many texts, in order; the model side is batched ({@link SlotTagger#extractAll}). */
    public List<List<Entity>> extractAll(List<String> texts) {
        List<List<Entity>> learned = tagger.extractAll(texts);
        List<List<Entity>> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            out.add(merge(patterns.extract(texts.get(i)), learned.get(i)));
        }
        return List.copyOf(out);
    }

    /**
     * The overlap rule on two lists that are each non-overlapping: every pattern entity, plus each
     * model entity that overlaps none of them; sorted by start.
     */
    public static List<Entity> merge(List<Entity> fromPatterns, List<Entity> fromModel) {
        List<Entity> merged = new ArrayList<>(fromPatterns);
        for (Entity e : fromModel) {
            if (fromPatterns.stream().noneMatch(e::overlaps)) {
                merged.add(e);
            }
        }
        merged.sort(Comparator.comparingInt(Entity::start).thenComparingInt(Entity::end));
        return List.copyOf(merged);
    }

    public SlotTagger tagger() {
        return tagger;
    }

    public PatternExtractor patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return "CombinedExtractor[" + tagger + ", " + patterns + "]";
    }
}
