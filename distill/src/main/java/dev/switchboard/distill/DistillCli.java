package dev.switchboard.distill;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code switchboard train ...}: trains specialists and writes versioned model folders.
 * Exit codes: 0 success, 1 bad input or failure (message on stderr), 2 bad command line.
 */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard distill 0.1.0",
        description = "Trains specialists.", subcommands = {TrainCommand.class, ModelsCommand.class, LabelQueueCommand.class,
                DistillCommand.class})
public final class DistillCli {

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with these output streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine(new DistillCli(), out, err).execute(args);
    }

    /**
     * Configures a picocli command line the Switchboard way: expected errors (bad input files, bad
     * values, a training run that stalled) print {@code error: <message>} on stderr without a stack trace and exit 1.
     */
    public static CommandLine commandLine(Object command, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                    || e instanceof StallGuard.TrainingStalled) {
                commandLine.getErr().println("error: " + e.getMessage());
                commandLine.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli;
    }
}
