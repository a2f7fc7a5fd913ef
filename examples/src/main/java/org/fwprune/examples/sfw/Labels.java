package org.fwprune.examples.sfw;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Labels of enum constants as the command line and the CSV files write them, and the way back.
 */
final class Labels {

  private Labels() {}

  /** The default label: the constant's name in lower case, {@code _} as {@code -}. */
  static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant of {@code values} whose {@link #of} label is {@code text}.
   *
   * @param what what the constants are, for the message (e.g. {@code method})
   * @throws IllegalArgumentException naming the known labels if none matches
   */
  static <E extends Enum<E>> E parse(E[] values, String what, String text) {
    for (E e : values) {
      if (of(e).equals(text)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown " + what + " '" + text + "'; known: "
        + Arrays.stream(values).map(Labels::of).collect(Collectors.joining(", ")));
  }
}
