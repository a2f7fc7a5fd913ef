package org.fwprune.core.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** The one float-array comparison of the test suites, with an explicit tolerance. */
public final class FloatAsserts {

  /** Tolerance for float32 results computed by a TensorFlow graph against a Java reference. */
  public static final float GRAPH_TOLERANCE = 1e-5f;

  private FloatAsserts() {}

  /** Asserts equal lengths and |expected[i] - actual[i]| <= tolerance for every i. */
  public static void assertClose(float[] expected, float[] actual, float tolerance) {
    assertEquals(expected.length, actual.length, "lengths differ");
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
        fail("index " + i + ": expected " + expected[i] + " but was " + actual[i]
            + " (tolerance " + tolerance + ")");
      }
    }
  }
}
