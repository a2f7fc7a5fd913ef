package org.fwprune.examples.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns the library's refusals of bad input (IllegalArgumentException, whose message names the
 * setting and its allowed range) into usage errors: exit status 2, the message and the usage, no
 * stack trace.
 */
public final class UsageErrors {

  /**
   * Work that may refuse its input with an IllegalArgumentException.
   *
   * @param <T> what it returns
   * @param <E> the checked exception it may throw
   */
  @FunctionalInterface
  public interface Checked<T, E extends Exception> {
    /** Does the work. */
    T get() throws E;
  }

  private UsageErrors() {}

  /**
   * What {@code work} returns; its IllegalArgumentException becomes a usage error of
   * {@code command} with the same message.
   *
   * @throws E as {@code work} does
   */
  public static <T, E extends Exception> T check(CommandSpec command, Checked<T, E> work)
      throws E {
    try {
      return work.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }
}
