package org.fwprune.examples.cli;

import org.fwprune.core.runtime.ExecutionOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code --threads} option of commands that size TensorFlow's intra-op thread pool. */
public final class ThreadsOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  // No defaultValue: the initial value is the default, so a command can choose its own.
  @Option(names = "--threads", paramLabel = "N", descriptionKey = "ThreadsOption.threads")
  int threads;

  /** The option with 0 (every core) as its default. */
  public ThreadsOption() {
    this(0);
  }

  /** The option with {@code initial} threads as its default. */
  public ThreadsOption(int initial) {
    this.threads = initial;
  }

  /**
   * Returns the thread count, checked by the library's {@link ExecutionOptions.Builder#threads}:
   * outside its range it is a usage error (exit status 2).
   */
  public int threads() {
    try {
      return ExecutionOptions.builder().threads(threads, 0).build().threads().intraOp();
    } catch (IllegalArgumentException e) {
      // The library's message names its setting; the user typed the option.
      throw new ParameterException(command.commandLine(), "--threads: " + e.getMessage());
    }
  }
}
