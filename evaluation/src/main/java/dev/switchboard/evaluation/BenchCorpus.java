package dev.switchboard.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.retrieval.Document;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The documents and queries of the retrieval benchmarks: the {@code corpus.jsonl} records of some
 * shared datasets, then as many seeded variants of them as a benchmark asks for.
 *
 * <p>{@link #documents()} yields round 0 = the original records, interleaved across datasets (record
 * 0 of each dataset, then record 1, ...), then round r = 1, 2, ... = one variant of every record in
 * the same order. A variant has id {@code <dataset>/<record id>~v<r>}, the original title, and a text
 * whose paragraphs and the sentences inside each paragraph are shuffled and whose words are each
 * dropped with a probability p drawn uniformly from [{@value #MIN_DROP}, {@value #MAX_DROP}) per
 * variant (at least one word kept per sentence). The random generator of a variant is seeded from
 * (seed, round, record position), so the corpus is the same on every run with the same seed.
 */
final class BenchCorpus {

    static final List<String> DEFAULT_DATASETS = List.of("emanual_qa", "covid_faq", "covid_qa");
    static final double MIN_DROP = 0.05;
    static final double MAX_DROP = 0.20;
    /** A fixed timestamp: generated documents must not depend on the clock. */
    private static final Instant UPDATED_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAGRAPHS = Pattern.compile("\\n\\s*\\n");
    private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern WORDS = Pattern.compile("\\s+");

    private record Record(String dataset, String id, String title, String text) {
    }

    private final List<Record> records;
    private final List<String> datasets;
    private final long seed;

    private BenchCorpus(List<Record> records, List<String> datasets, long seed) {
        this.records = records;
        this.datasets = datasets;
        this.seed = seed;
    }

    /**
     * Reads {@code <root>/<dataset>/corpus.jsonl} for each dataset.
     *
     * @throws IllegalArgumentException naming the file and line of a missing file or bad record
     */
    static BenchCorpus load(Path root, List<String> datasets, long seed) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("no datasets given");
        }
        List<List<Record>> perDataset = new ArrayList<>();
        for (String dataset : datasets) {
            List<Record> list = new ArrayList<>();
            readJsonl(root.resolve(dataset).resolve("corpus.jsonl"), (file, line, node) -> {
                String id = text(node, "id", file, line);
                String body = text(node, "text", file, line);
                JsonNode title = node.get("title");
                if (!body.isBlank()) {
                    list.add(new Record(dataset, id, title != null && title.isTextual() ? title.asText() : "", body));
                }
            });
            perDataset.add(list);
        }
        List<Record> interleaved = new ArrayList<>();
        int longest = perDataset.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<Record> list : perDataset) {
                if (i < list.size()) {
                    interleaved.add(list.get(i));
                }
            }
        }
        if (interleaved.isEmpty()) {
            throw new IllegalArgumentException("the corpora of " + datasets + " under " + root + " have no text");
        }
        return new BenchCorpus(List.copyOf(interleaved), List.copyOf(datasets), seed);
    }

    /**
     * The distinct texts of {@code <root>/<dataset>/queries.jsonl} for each dataset, shuffled with
     * {@code new Random(seed)}.
     */
    static List<String> queries(Path root, List<String> datasets, long seed) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String dataset : datasets) {
            readJsonl(root.resolve(dataset).resolve("queries.jsonl"), (file, line, node) -> {
                String q = text(node, "text", file, line).strip();
                if (!q.isEmpty()) {
                    distinct.add(q);
                }
            });
        }
        List<String> out = new ArrayList<>(distinct);
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    /** Number of original records. */
    int size() {
        return records.size();
    }

    List<String> datasets() {
        return datasets;
    }

    /** The originals, then variant rounds 1, 2, ... without end (see the class comment). */
    Iterator<Document> documents() {
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Document next() {
                if (next == Long.MAX_VALUE) {
                    throw new NoSuchElementException();
                }
                long n = next++;
                return document((int) (n / records.size()), (int) (n % records.size()));
            }
        };
    }

    /** Round 0: the original record; round r > 0: its r-th variant. */
    Document document(int round, int position) {
        Record r = records.get(position);
        Map<String, String> metadata = Map.of("dataset", r.dataset(), "variant", Integer.toString(round));
        String source = r.dataset() + "/corpus.jsonl";
        if (round == 0) {
            return new Document(r.dataset() + "/" + r.id(), r.title(), r.text(), source, metadata, List.of(), UPDATED_AT);
        }
        Random random = new Random(seed * 1_000_003L + round * 7_919L + position);
        return new Document(r.dataset() + "/" + r.id() + "~v" + round, r.title(), variant(r.text(), random), source,
                metadata, List.of(), UPDATED_AT);
    }

    /** Shuffles paragraphs and their sentences, and drops words (see the class comment). */
    static String variant(String text, Random random) {
        double drop = MIN_DROP + (MAX_DROP - MIN_DROP) * random.nextDouble();
        List<String> paragraphs = new ArrayList<>();
        for (String paragraph : PARAGRAPHS.split(text.strip())) {
            List<String> sentences = new ArrayList<>(List.of(SENTENCES.split(paragraph.strip())));
            Collections.shuffle(sentences, random);
            List<String> kept = new ArrayList<>();
            for (String sentence : sentences) {
                String[] words = WORDS.split(sentence.strip());
                StringBuilder sb = new StringBuilder();
                for (String w : words) {
                    if (!w.isEmpty() && random.nextDouble() >= drop) {
                        sb.append(sb.isEmpty() ? "" : " ").append(w);
                    }
                }
                if (sb.isEmpty() && words.length > 0) {
                    sb.append(words[random.nextInt(words.length)]);
                }
                if (!sb.isEmpty()) {
                    kept.add(sb.toString());
                }
            }
            if (!kept.isEmpty()) {
                paragraphs.add(String.join(" ", kept));
            }
        }
        Collections.shuffle(paragraphs, random);
        String out = String.join("\n\n", paragraphs);
        return out.isBlank() ? text : out;
    }

    /** One parsed line of a JSONL file. */
    interface LineHandler {
        void accept(Path file, int line, JsonNode node);
    }

    /** Calls {@code handler} for each non-blank line of {@code file}; a line that is not JSON is an error naming it. */
    static void readJsonl(Path file, LineHandler handler) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " does not exist (expected the layout of ../shared/datasets)");
        }
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": not JSON: " + e.getOriginalMessage());
                }
                handler.accept(file, lineNo, node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, Path file, int line) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new IllegalArgumentException(file + ":" + line + ": no \"" + field + "\" field");
        }
        return value.asText();
    }
}
