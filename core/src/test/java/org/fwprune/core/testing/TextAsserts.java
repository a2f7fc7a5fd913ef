package org.fwprune.core.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on messages and printed text, which show the whole text when they fail. */
public final class TextAsserts {

  private TextAsserts() {}

  /** Asserts that {@code text} contains every one of {@code fragments}. */
  public static void assertContainsAll(String text, String... fragments) {
    for (String f : fragments) {
      assertTrue(text.contains(f), () -> "expected '" + f + "' in:\n" + text);
    }
  }
}
