package org.fwprune.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.fwprune.core.train.DivergenceException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the {@code fwprune} command-line tool: one subcommand per job. Exit status 0 on
 * success, 2 for usage errors (bad or out-of-range options, missing input folders: the message
 * and the usage are printed, no stack trace), 1 when the job fails (I/O, diverging training: the
 * message is printed, no stack trace).
 */
@Command(name = "fwprune", resourceBundle = "org.fwprune.examples.cli.Options",
    mixinStandardHelpOptions = true, version = "fwprune 0.1.0-SNAPSHOT",
    description = "Frank-Wolfe pruning of CNNs on TensorFlow Java.",
    subcommands = {TrainCommand.class, PruneCommand.class, EvaluateCommand.class,
        ExportCommand.class, ReproduceCommand.class, MergeCommand.class, MemoryCommand.class,
        BenchmarkCommand.class, CompareCommand.class, StudyCommand.class,
        CommandLine.HelpCommand.class})
public final class FwpruneCli {

  /** The flag that shows TensorFlow's native log lines, hidden by default. */
  static final String VERBOSE = "--verbose";

  @Option(names = VERBOSE, scope = ScopeType.INHERIT,
      description = "Show TensorFlow's native log lines (start-up information), hidden by default.")
  boolean verbose;

  /**
   * Runs the tool and exits with its status (2 for usage errors). Without {@value #VERBOSE} the
   * work runs in a child JVM whose native start-up lines are filtered out ({@link QuietLauncher}).
   */
  public static void main(String[] args) {
    boolean child = QuietLauncher.isChild(System.getenv());
    if (child) {
      QuietLauncher.haltWithParent();
    }
    if (child || List.of(args).contains(VERBOSE)) {
      System.exit(run(args));
    }
    int status;
    try {
      status = QuietLauncher.run(FwpruneCli.class, System.err, args);
    } catch (IOException e) {
      System.err.println("fwprune: cannot start a second JVM to hide TensorFlow's native log ("
          + e.getMessage() + "); running here instead");
      status = run(args);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = 130;
    }
    System.exit(status);
  }

  /** Runs the tool and returns its exit status, for tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * Runs the tool with picocli's messages (usage, errors) sent to {@code out} and {@code err};
   * the commands' own results still go to {@code System.out}.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return commandLine().setOut(out).setErr(err).execute(args);
  }

  static CommandLine commandLine() {
    return new CommandLine(new FwpruneCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(FwpruneCli::handleFailure);
  }

  /** Expected failures print their message only; anything else is a bug and keeps its trace. */
  private static int handleFailure(Exception e, CommandLine command,
      CommandLine.ParseResult parsed) throws Exception {
    if (e instanceof IOException || e instanceof DivergenceException) {
      command.getErr().println(command.getCommandName() + ": " + e.getMessage());
      return 1;
    }
    throw e;
  }
}
