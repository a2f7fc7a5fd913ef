package org.fwprune.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code fwprune} command-line tool: one subcommand per job. */
@Command(name = "fwprune", mixinStandardHelpOptions = true, version = "fwprune 0.1.0-SNAPSHOT",
    description = "Frank-Wolfe pruning of CNNs on TensorFlow Java.",
    subcommands = {TrainCommand.class, MemoryCommand.class, CommandLine.HelpCommand.class})
public final class FwpruneCli {

  /** Runs the tool and exits with its status (2 for usage errors). */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the tool and returns its exit status, for tests. */
  public static int run(String... args) {
    return new CommandLine(new FwpruneCli()).execute(args);
  }
}
