package dev.switchboard.evaluation;

import dev.switchboard.distill.DistillCli;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code switchboard eval ...} and {@code switchboard bench ...}; each command lives in its own class.
 * Exit codes: 0 success, 1 bad input or failure (message on stderr), 2 bad command line.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard evaluation 0.1.0",
        description = "Evaluates specialists and runs benchmarks.", subcommands = {EvalCommand.class, BenchCommand.class})
public final class EvaluationCli {

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with these output streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return DistillCli.commandLine(new EvaluationCli(), out, err).execute(args);
    }
}
