package dev.switchboard.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import dev.switchboard.models.IntentClassifier;
import dev.switchboard.models.Prediction;
import dev.switchboard.retrieval.IndexOptions;
import dev.switchboard.retrieval.IngestReport;
import dev.switchboard.retrieval.KnowledgeIndex;
import dev.switchboard.retrieval.Rerankers;
import dev.switchboard.retrieval.SearchHit;
import dev.switchboard.retrieval.SearchRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench grounding}: the numbers behind a route's {@code min_cosine}. Indexes a knowledge folder
 * as the runtime does (default encoder, fusion and reranker) and, for in-domain and off-topic
 * messages, takes the best cosine among the top {@code --top-k} hybrid hits: the score a route's
 * retrieve step compares with {@code min_cosine}. Reports its distribution per set, for all messages
 * and for those the intent classifier lets through ({@code confidence >= --min-confidence}), and the
 * share of each set below candidate thresholds.
 *
 * <p>Sets (from {@code --data}): {@code banking77/test.jsonl} (in-domain: the demo help center covers
 * its 77 intents); CLINC150 {@code test.jsonl} split into its out-of-scope queries ({@code oos}), its
 * 8 domains other than banking and credit cards, and those two banking domains.
 */
@Command(name = "grounding", mixinStandardHelpOptions = true,
        description = "Best-hit cosine of in-domain and off-topic messages over a knowledge folder: where to set min_cosine.")
final class GroundingBenchmark implements Callable<Integer> {

    static final double[] THRESHOLDS = {0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7};

    @Spec
    CommandSpec spec;

    @Option(names = "--knowledge", description = "Knowledge folder (default: ${DEFAULT-VALUE}).", defaultValue = "knowledge/bank-help")
    Path knowledge;

    @Option(names = "--data", description = "Datasets root (default: ${DEFAULT-VALUE}).", defaultValue = "../shared/datasets")
    Path data;

    @Option(names = "--model", description = "Intent classifier of the gate (default: ${DEFAULT-VALUE}).",
            defaultValue = "models/intent/banking77/v1")
    Path model;

    @Option(names = "--min-confidence", description = "The route's classifier threshold (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.5")
    double minConfidence;

    @Option(names = "--encoder", description = "Retrieval encoder (default: ${DEFAULT-VALUE}).",
            defaultValue = KnowledgeIndex.DEFAULT_ENCODER_ID)
    String encoderId;

    @Option(names = "--rerank", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Rerank with Rerankers.sameEncoder, as the runtime does by default (default: ${DEFAULT-VALUE}).")
    boolean rerank;

    @Option(names = "--top-k", description = "Hits the route retrieves (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int topK;

    @Option(names = "--limit", description = "At most this many messages per set (default: all).")
    Integer limit;

    @Override
    public Integer call() throws IOException {
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        }
        Map<String, List<String>> sets = sets();
        PrintWriter out = spec.commandLine().getOut();
        Path tmp = Files.createTempDirectory("switchboard-grounding");
        try (Encoder encoder = Encoders.load(encoderId);
             Encoder classifierEncoder = Encoders.load(Encoders.DEFAULT_ID)) {
            IntentClassifier classifier = IntentClassifier.load(model, classifierEncoder); // checks the model's encoder
            IndexOptions options = rerank ? IndexOptions.defaults().withReranker(Rerankers.sameEncoder(encoder))
                    : IndexOptions.defaults();
            try (KnowledgeIndex index = KnowledgeIndex.open(tmp.resolve("index"), encoder, options)) {
                IngestReport report = index.ingest(knowledge);
                out.printf(Locale.ROOT, "knowledge %s: %d documents, %d chunks; encoder %s, fusion %s, %s, top %d; "
                                + "classifier %s, gate confidence >= %.2f%n%n", knowledge, report.documents(), report.chunks(),
                        encoderId, options.fusion().spec(), rerank ? "rerank " + options.reranker().id() : "no rerank",
                        topK, model, minConfidence);
                StringBuilder head = new StringBuilder("| set | messages | p1 | p5 | p25 | p50 | p75 | p95 |");
                StringBuilder rule = new StringBuilder("|---|---|---|---|---|---|---|---|");
                for (double t : THRESHOLDS) {
                    head.append(String.format(Locale.ROOT, " < %.2f |", t));
                    rule.append("---|");
                }
                out.println(head);
                out.println(rule);
                for (Map.Entry<String, List<String>> set : sets.entrySet()) {
                    List<String> texts = set.getValue();
                    List<Prediction> predictions = classifier.classifyAll(texts);
                    double[] all = new double[texts.size()];
                    List<Double> gated = new ArrayList<>();
                    for (int i = 0; i < all.length; i++) {
                        all[i] = bestCosine(index, texts.get(i));
                        if (predictions.get(i).confidence() >= minConfidence) {
                            gated.add(all[i]);
                        }
                    }
                    out.println(row(set.getKey(), all));
                    out.println(row(set.getKey() + ", classifier passed", gated.stream().mapToDouble(Double::doubleValue).toArray()));
                    out.flush();
                }
            }
        } finally {
            BenchIndex.deleteRecursively(tmp);
        }
        return 0;
    }

    /** The best cosine among the hits the route's retrieve step gets; -1 when there is none. */
    private double bestCosine(KnowledgeIndex index, String message) {
        List<SearchHit> hits = index.search(SearchRequest.builder(message).topK(topK).rerank(rerank).build());
        return hits.stream().mapToDouble(SearchHit::cosine).max().orElse(-1);
    }

    /** A table row: percentiles (nearest rank) and the share below each threshold. */
    static String row(String name, double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| %s | %d |", name, s.length));
        for (double p : new double[] {0.01, 0.05, 0.25, 0.50, 0.75, 0.95}) {
            sb.append(s.length == 0 ? " - |" : String.format(Locale.ROOT, " %.3f |", s[(int) Math.min(s.length - 1, Math.floor(p * s.length))]));
        }
        for (double t : THRESHOLDS) {
            long below = Arrays.stream(s).filter(x -> x < t).count();
            sb.append(s.length == 0 ? " - |" : String.format(Locale.ROOT, " %.3f |", below / (double) s.length));
        }
        return sb.toString();
    }

    private Map<String, List<String>> sets() {
        Map<String, List<String>> sets = new LinkedHashMap<>();
        sets.put("BANKING77 test (in-domain)", new ArrayList<>());
        sets.put("CLINC150 test, out-of-scope", new ArrayList<>());
        sets.put("CLINC150 test, 8 non-banking domains", new ArrayList<>());
        sets.put("CLINC150 test, banking + credit cards", new ArrayList<>());
        read(data.resolve("banking77/test.jsonl"), n -> "BANKING77 test (in-domain)", sets);
        read(data.resolve("clinc150/test.jsonl"), n -> switch (n.path("domain").asText()) {
            case "oos" -> "CLINC150 test, out-of-scope";
            case "banking", "credit_cards" -> "CLINC150 test, banking + credit cards";
            default -> "CLINC150 test, 8 non-banking domains";
        }, sets);
        return sets;
    }

    private void read(Path file, java.util.function.Function<JsonNode, String> setOf, Map<String, List<String>> sets) {
        BenchCorpus.readJsonl(file, (f, line, node) -> {
            if (!node.path("text").isTextual()) {
                throw new IllegalArgumentException(f + ":" + line + ": no \"text\" string field");
            }
            List<String> set = sets.get(setOf.apply(node));
            if (limit == null || set.size() < limit) {
                set.add(node.get("text").asText());
            }
        });
    }
}
