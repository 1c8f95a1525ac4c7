package dev.switchboard.retrieval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.switchboard.models.Encoder;
import dev.switchboard.models.Encoders;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Command line for knowledge indexes: {@code ingest <path> --index <dir>} and
 * {@code search <query> --index <dir> [--mode bm25|dense|hybrid] [--top-k 5] [--json]}.
 *
 * <p>Exit codes: 0 success; 1 an error, or an ingest with failed files; 2 bad usage. Errors are one
 * sentence on stderr; {@code --verbose} adds the stack trace.
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
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (used by {@link #main} and by tests, which set out/err). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new RetrievalCli());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
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

        @Option(names = "--encoder", paramLabel = "<id>", defaultValue = Encoders.DEFAULT_ID,
                description = "Encoder id; must match the one the index was built with (default: ${DEFAULT-VALUE}).")
        String encoder;

        @Option(names = "--verbose", description = "Print stack traces of errors.")
        boolean verbose;
    }

    interface Verbose {
        Common common();
    }

    @Command(name = "ingest", mixinStandardHelpOptions = true,
            description = "Index the .md, .markdown and .txt files of a folder (recursively) or one file.")
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
                out.printf("documents: %d%nchunks:    %d%nskipped:   %d%nfailed:    %d%n",
                        report.documents(), report.chunks(), report.skipped().size(), report.failures().size());
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

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Common common() {
            return common;
        }

        @Override
        public Integer call() throws Exception {
            SearchRequest request = new SearchRequest(String.join(" ", words), topK, mode);
            if (!KnowledgeIndex.exists(common.index)) {
                throw new IllegalArgumentException("no index in " + common.index + ": run 'ingest <folder> --index "
                        + common.index + "' first");
            }
            PrintWriter out = spec.commandLine().getOut();
            try (Encoder encoder = Encoders.load(common.encoder); KnowledgeIndex index = KnowledgeIndex.open(common.index, encoder)) {
                List<SearchHit> hits = index.search(request);
                if (json) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("query", request.query());
                    body.put("mode", request.mode().name().toLowerCase(Locale.ROOT));
                    body.put("top_k", request.topK());
                    body.put("hits", hits);
                    out.println(new ObjectMapper()
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
