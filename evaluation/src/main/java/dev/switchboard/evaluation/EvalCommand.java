package dev.switchboard.evaluation;

import picocli.CommandLine.Command;

/** {@code eval}: one subcommand per kind of specialist. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluates a trained specialist on a dataset split.",
        subcommands = {EvalIntentCommand.class, EvalRetrievalCommand.class, EvalSlotsCommand.class})
final class EvalCommand {
}
