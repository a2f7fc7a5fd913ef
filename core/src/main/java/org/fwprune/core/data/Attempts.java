package org.fwprune.core.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one resolution: what each step tried and why it did not help, turned into a
 * single error with the underlying failures attached if nothing provided the files.
 */
final class Attempts {

  private final List<String> steps = new ArrayList<>();
  private final List<Throwable> causes = new ArrayList<>();

  /** Notes a step that did not help, with no exception behind it. */
  void note(String step) {
    steps.add(step);
  }

  /** Notes a step that failed with {@code cause}. */
  void failed(String step, Throwable cause) {
    steps.add(step);
    causes.add(cause);
  }

  /** Keeps a failure that is not a step of its own, such as a failed clean-up. */
  void suppressed(Throwable cause) {
    causes.add(cause);
  }

  /** Returns an error with {@code headline}, the numbered steps, {@code help} and the causes. */
  IOException toException(String headline, String help) {
    StringBuilder message = new StringBuilder(headline).append(" Tried:\n");
    for (int i = 0; i < steps.size(); i++) {
      message.append("  ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
    }
    message.append(help);
    IOException failure = new IOException(message.toString());
    causes.forEach(failure::addSuppressed);
    return failure;
  }
}
