package org.fwprune.examples.sfw;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Finds the constant of an enum by the label the command line and the CSV files use. */
final class Labels {

  private Labels() {}

  /**
   * The constant of {@code values} whose label is {@code text}.
   *
   * @param what what the constants are, for the message (e.g. {@code method})
   * @throws IllegalArgumentException naming the known labels if none matches
   */
  static <E> E parse(E[] values, Function<E, String> label, String what, String text) {
    for (E e : values) {
      if (label.apply(e).equals(text)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + text + "'; known: "
        + Arrays.stream(values).map(label).collect(Collectors.joining(", ")));
  }
}
