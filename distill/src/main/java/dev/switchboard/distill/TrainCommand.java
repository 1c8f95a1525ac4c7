package dev.switchboard.distill;

import picocli.CommandLine.Command;

/** {@code train}: one subcommand per kind of specialist. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Trains a specialist.",
        subcommands = {TrainIntentCommand.class, TrainSlotsCommand.class})
final class TrainCommand {
}
