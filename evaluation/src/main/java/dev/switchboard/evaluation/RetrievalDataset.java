package dev.switchboard.evaluation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.retrieval.Document;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A retrieval test collection in the layout of {@code ../shared/datasets} (BEIR-like):
 * {@code corpus.jsonl} ({@code {"id","title","text",...}}), {@code queries.jsonl}
 * ({@code {"id","text",...}}) and {@code qrels.tsv} (header {@code query-id corpus-id score}, then
 * tab-separated rows; score is the graded gain).
 *
 * @param corpus  the documents; {@code source} becomes the document's source, other scalar fields
 *                its metadata (reserved names are dropped)
 * @param skipped records of {@code corpus.jsonl} that cannot be indexed (blank text), as
 *                {@code file:line: reason}; they stay unretrievable, so qrels pointing at them count
 *                as misses
 * @param queries every query, in file order
 * @param qrels   query id → document id → gain
 */
record RetrievalDataset(List<Document> corpus, List<String> skipped, List<Query> queries,
                        Map<String, Map<String, Double>> qrels) {

    record Query(String id, String text) {
    }

    static final String CORPUS = "corpus.jsonl";
    static final String QUERIES = "queries.jsonl";
    static final String QRELS = "qrels.tsv";
    /** Fixed so that two runs index identical documents. */
    private static final Instant EPOCH = Instant.EPOCH;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @throws IllegalArgumentException naming the file, line and field when the folder or a record is bad
     */
    static RetrievalDataset read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("dataset folder " + folder + " does not exist");
        }
        List<Document> corpus = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> docIds = new HashSet<>();
        forEachRecord(folder.resolve(CORPUS), (where, node) -> {
            String id = field(node, "id", where, true);
            if (!docIds.add(id)) {
                throw new IllegalArgumentException(where + ": duplicate document id " + id);
            }
            String title = field(node, "title", where, false);
            String text = field(node, "text", where, false);
            if (text.isBlank()) {
                skipped.add(where + ": document " + id + " has a blank text");
                return;
            }
            String source = field(node, "source", where, false);
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                if (!key.equals("id") && !Document.RESERVED.contains(key) && e.getValue().isValueNode() && !e.getValue().isNull()) {
                    metadata.put(key, e.getValue().asText());
                }
            }
            try {
                corpus.add(new Document(id, title, text, source, metadata, List.of(), EPOCH));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        });
        List<Query> queries = new ArrayList<>();
        Set<String> queryIds = new HashSet<>();
        forEachRecord(folder.resolve(QUERIES), (where, node) -> {
            String id = field(node, "id", where, true);
            if (!queryIds.add(id)) {
                throw new IllegalArgumentException(where + ": duplicate query id " + id);
            }
            queries.add(new Query(id, field(node, "text", where, true)));
        });
        return new RetrievalDataset(List.copyOf(corpus), List.copyOf(skipped), List.copyOf(queries), readQrels(folder.resolve(QRELS)));
    }

    private interface RecordHandler {
        void accept(String where, JsonNode node);
    }

    private static void forEachRecord(Path file, RecordHandler handler) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing " + file);
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + n;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException(where + ": expected a JSON object");
                }
                handler.accept(where, node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A string field; "" when optional and absent. */
    private static String field(JsonNode node, String name, String where, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(where + ": missing field \"" + name + "\"");
            }
            return "";
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new IllegalArgumentException(where + ": field \"" + name + "\" must be a string");
        }
        String s = v.asText();
        if (required && s.isBlank()) {
            throw new IllegalArgumentException(where + ": field \"" + name + "\" is blank");
        }
        return s;
    }

    private static Map<String, Map<String, Double>> readQrels(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("missing " + file);
        }
        Map<String, Map<String, Double>> qrels = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !List.of(header.strip().split("\t")).equals(List.of("query-id", "corpus-id", "score"))) {
                throw new IllegalArgumentException(file + ":1: expected the header \"query-id<TAB>corpus-id<TAB>score\"");
            }
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cols = line.strip().split("\t");
                if (cols.length != 3) {
                    throw new IllegalArgumentException(file + ":" + n + ": expected 3 tab-separated columns, got " + cols.length);
                }
                double score;
                try {
                    score = Double.parseDouble(cols[2]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + n + ": score '" + cols[2] + "' is not a number");
                }
                if (!(score >= 0) || Double.isInfinite(score)) {
                    throw new IllegalArgumentException(file + ":" + n + ": score must be a finite number >= 0, got " + cols[2]);
                }
                qrels.computeIfAbsent(cols[0], q -> new HashMap<>()).merge(cols[1], score, Math::max);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return qrels;
    }
}
