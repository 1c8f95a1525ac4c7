package dev.switchboard.retrieval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Command line for knowledge indexes: {@code ingest <path> --index <dir> [--encoder id]} and
 * {@code search <query> --index <dir> [--mode bm25|dense|hybrid] [--top-k n] [--min-score x]
 * [--filter key=value]... [--fusion rrf|rrf:K|weighted:W|zscore:W] [--[no-]rerank] [--json]}.
 *
 * <p>Defaults are the measured configuration: encoder {@value KnowledgeIndex#DEFAULT_ENCODER_ID},
 * {@link FusionConfig#defaults()}, and for hybrid searches the same-encoder reranker
 * ({@link Rerankers#sameEncoder(Encoder)}, depth {@value Rerankers#DEFAULT_DEPTH}).
 *
 * <p>Filters ({@link Search#parseFilters}): {@code tags=a,b} → any of the tags; {@code updated_after=D} →
 * updated at or after D, {@code updated_before=D} → updated before D (D an ISO-8601 date or
 * date-time, UTC unless it has an offset); any other {@code key=value} → that field (a metadata key,
 * {@code document_id} or {@code source}) equals the value. Several filters must all hold.
 *
 * <p>Exit codes: 0 success; 1 an error, or an ingest with failed files; 2 bad usage. Errors and
 * usage errors are one line on stderr; {@code --verbose} adds the stack trace of errors.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true,
        description = "Build and search Switchboard knowledge indexes (Lucene BM25 + vectors).",
        subcommands = {RetrievalCli.Ingest.class, RetrievalCli.Search.class})
public final class RetrievalCli implements Runnable {

    /** Held so that the level set in {@link #main} is not lost when the logger is collected. */
    private static final Logger LUCENE_LOG = Logger.getLogger("org.apache.lucene");

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        LUCENE_LOG.setLevel(Level.WARNING); // hides the "vector incubator API enabled" notice
        // PDFBox and POI warn about every odd font or style they work around; a file that cannot be
        // read is reported as a failure anyway.
        for (String noisy : new String[] {"org.apache.pdfbox", "org.apache.fontbox", "org.apache.poi"}) {
            System.getProperties().putIfAbsent("org.slf4j.simpleLogger.log." + noisy, "error");
        }
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (used by {@link #main} and by tests, which set out/err). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RetrievalCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            PrintWriter err = cmd.getErr();
            String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("error: " + message);
            if (cmd.getCommand() instanceof Verbose v && v.common().verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: ingest or search");
    }

    /** Options every subcommand takes. */
    static final class Common {
        @Option(names = "--index", required = true, paramLabel = "<dir>", description = "Index folder.")
        Path index;

        @Option(names = "--encoder", paramLabel = "<id>", defaultValue = KnowledgeIndex.DEFAULT_ENCODER_ID,
                description = "Encoder id; must match the one the index was built with (default: ${DEFAULT-VALUE}).")
        String encoder;

        @Option(names = "--verbose", description = "Print stack traces of errors.")
        boolean verbose;
    }

    interface Verbose {
        Common common();
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = {"Index a file, or the files of a folder (recursively): .md, .markdown, .txt, .html, .htm, "
                    + ".pdf, .docx, and .jsonl records {\"id\", \"title\", \"text\", ...metadata}.",
                    "Prints a summary; exits 1 if a file failed (unsupported, empty, corrupt, over 20 MB), "
                    + "after indexing the others."})
    static final class Ingest implements Callable<Integer>, Verbose {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "<path>", description = "Folder or file to ingest.")
        Path path;

        @Mixin
        Common common;

        @Override
        public Common common() {
            return common;
        }

        @Override
        public Integer call() {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("no such file or folder: " + path);
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Encoder encoder = Encoders.load(common.encoder); KnowledgeIndex index = KnowledgeIndex.open(common.index, encoder)) {
                IngestReport report = index.ingest(path);
                String duplicates = report.duplicateChunks() == 0 ? ""
                        : " (+" + report.duplicateChunks() + " duplicates of other chunks, not searchable)";
                out.printf("documents: %d%nchunks:    %d%s%nskipped:   %d%nfailed:    %d%n", report.documents(), report.chunks(),
                        duplicates, report.skipped().size(), report.failures().size());
                out.printf("index %s now holds %d documents in %d chunks%n", common.index, index.documentCount(), index.chunkCount());
                out.flush();
                if (common.verbose) {
                    report.skipped().forEach(s -> err.println("skipped: " + s));
                }
                report.failures().forEach(f -> err.println("failed: " + f.source() + ": " + f.reason()));
                err.flush();
                return report.failures().isEmpty() ? 0 : 1;
            }
        }
    }

    @Command(name = "search", mixinStandardHelpOptions = true, description = "Search an index.")
    static final class Search implements Callable<Integer>, Verbose {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "<query>", arity = "1..*", description = "The query (several words are joined).")
        List<String> words;

        @Mixin
        Common common;

        @Option(names = "--mode", defaultValue = "hybrid", paramLabel = "bm25|dense|hybrid",
                description = "Ranking (default: ${DEFAULT-VALUE}).")
        SearchMode mode;

        @Option(names = "--top-k", defaultValue = "5", paramLabel = "<n>", description = "Hits to show (default: ${DEFAULT-VALUE}).")
        int topK;

        @Option(names = "--min-score", paramLabel = "<x>",
                description = "Drop hits scoring below x (BM25 score, cosine, or fusion score by mode).")
        Double minScore;

        @Option(names = "--filter", paramLabel = "<key=value>",
                description = "Metadata filter, repeatable (all must hold): tags=a,b (any of), updated_after=2024-01-01,"
                        + " updated_before=2024-06-01T12:00:00Z, or field=value (exact).")
        List<String> filters = List.of();

        @Option(names = "--fusion", paramLabel = "rrf|rrf:K|weighted:W|zscore:W",
                description = "Hybrid fusion: reciprocal rank (k, default 60), or weighted with dense weight W in [0, 1] over"
                        + " min-max (weighted) or z-score (zscore) normalised scores; optionally @N candidates per ranking"
                        + " (default: the index's).")
        String fusion;

        @Option(names = "--rerank", negatable = true,
                description = "Re-score the best " + Rerankers.DEFAULT_DEPTH + " hits with the index's encoder (title and passage"
                        + " views, Rerankers.sameEncoder); default: on for --mode hybrid, off otherwise.")
        Boolean rerank;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Common common() {
            return common;
        }

        @Override
        public Integer call() throws Exception {
            CommandLine cl = spec.commandLine();
            if (topK < 1 || topK > SearchRequest.MAX_TOP_K) {
                throw new CommandLine.ParameterException(cl, "--top-k must be in 1.." + SearchRequest.MAX_TOP_K + ", got " + topK);
            }
            if (minScore != null && minScore.isNaN()) {
                throw new CommandLine.ParameterException(cl, "--min-score must be a number");
            }
            if (fusion != null && mode != SearchMode.HYBRID) {
                throw new CommandLine.ParameterException(cl, "--fusion applies only to --mode hybrid");
            }
            SearchRequest.Builder builder = SearchRequest.builder(String.join(" ", words)).topK(topK).mode(mode);
            try {
                builder.filters(parseFilters(filters));
                if (fusion != null) {
                    builder.fusion(FusionConfig.parse(fusion));
                }
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, e.getMessage(), e);
            }
            if (minScore != null) {
                builder.minScore(minScore);
            }
            if (rerank != null) {
                builder.rerank(rerank);
            }
            SearchRequest request = builder.build();
            if (!KnowledgeIndex.exists(common.index)) {
                throw new IllegalArgumentException("no index in " + common.index + ": run 'ingest <folder> --index "
                        + common.index + "' first");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Encoder encoder = Encoders.load(common.encoder);
                 KnowledgeIndex index = KnowledgeIndex.open(common.index, encoder,
                         IndexOptions.defaults().withReranker(Rerankers.sameEncoder(encoder)))) {
                List<SearchHit> hits = index.search(request);
                if (json) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("query", request.query());
                    body.put("mode", request.mode().name().toLowerCase(Locale.ROOT));
                    body.put("top_k", request.topK());
                    body.put("hits", hits);
                    out.println(new ObjectMapper()
                            .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance)) // ISO-8601
                            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(body));
                } else {
                    printTable(out, hits);
                }
                out.flush();
                return 0;
            }
        }

        /**
         * Parses {@code --filter} values (see the class comment); the date bounds of
         * {@code updated_after}/{@code updated_before} become one {@link Filter.DateRange}.
         *
         * @throws IllegalArgumentException naming the bad filter
         */
        static List<Filter> parseFilters(List<String> specs) {
            List<Filter> out = new ArrayList<>();
            Instant after = null;
            Instant before = null;
            Set<String> seen = new HashSet<>();
            for (String spec : specs) {
                int eq = spec.indexOf('=');
                if (eq <= 0 || spec.substring(0, eq).isBlank()) {
                    throw new IllegalArgumentException("--filter '" + spec + "' is not key=value");
                }
                String key = spec.substring(0, eq).strip();
                String value = spec.substring(eq + 1).strip();
                if (value.isEmpty()) {
                    throw new IllegalArgumentException("--filter '" + spec + "' has no value");
                }
                if ((key.equals("updated_after") || key.equals("updated_before")) && !seen.add(key)) {
                    throw new IllegalArgumentException("--filter " + key + " is given twice");
                }
                switch (key) {
                    case Document.TAGS -> out.add(Filter.anyOf(Document.TAGS, Arrays.stream(value.split(","))
                            .map(String::strip).filter(t -> !t.isEmpty()).toList()));
                    case "updated_after" -> after = date(spec, value);
                    case "updated_before" -> before = date(spec, value);
                    case Document.UPDATED_AT -> throw new IllegalArgumentException("--filter '" + spec
                            + "': filter dates with updated_after=DATE or updated_before=DATE");
                    default -> out.add(Filter.equalTo(key, value));
                }
            }
            if (after != null || before != null) {
                out.add(Filter.updatedBetween(after, before));
            }
            return out;
        }

        private static Instant date(String spec, String value) {
            Instant instant = JsonlRecords.parseInstant(value);
            if (instant == null) {
                throw new IllegalArgumentException("--filter '" + spec
                        + "': not an ISO-8601 date or date-time (e.g. 2024-01-31 or 2024-01-31T12:00:00Z)");
            }
            return instant;
        }

        private static void printTable(PrintWriter out, List<SearchHit> hits) {
            if (hits.isEmpty()) {
                out.println("no hits");
                return;
            }
            out.printf("%-3s %-9s %-7s %-7s %s%n", "#", "score", "cosine", "bm25", "chunk  [section]");
            int rank = 1;
            for (SearchHit h : hits) {
                out.printf("%-3d %-9.4f %-7.3f %-7.2f %s%s%n", rank++, h.score(), h.cosine(), h.bm25Score(), h.chunkId(),
                        h.section().isEmpty() ? "" : "  [" + h.section() + "]");
                out.printf("    %s — %s%n", h.title(), h.snippet());
            }
        }
    }
}
