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

  /** The rows one after the other, as one row-major array. */
  public static float[] flatten(float[][] rows) {
    float[] out = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * rows[i].length, rows[i].length);
    }
    return out;
  }

  /** The largest |a[i] - b[i]|, for reporting how close two results are. */
  public static float maxAbsDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
