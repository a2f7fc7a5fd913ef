package org.fwprune.examples.cli;

import org.fwprune.core.check.Require;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --threads} option of commands that size TensorFlow's intra-op thread pool. */
final class ThreadsOption {

  /** Largest accepted thread count; far above any machine this runs on. */
  static final int MAX_THREADS = 1024;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "TensorFlow intra-op threads; 0 = every core (default ${DEFAULT-VALUE}).")
  int threads;

  /**
   * Returns the thread count; outside [0, {@value #MAX_THREADS}] it is a usage error (exit
   * status 2).
   */
  int threads() {
    return UsageErrors.check(command, () -> Require.inClosed("--threads", threads, 0, MAX_THREADS));
  }
}
