package org.fwprune.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RequireTest {

  private static String message(Executable call) {
    return assertThrows(IllegalArgumentException.class, call).getMessage();
  }

  @Test
  void inClosed_int_namesRangeAndValue() {
    assertEquals("batchSize must be in [1, 65536], got 0",
        message(() -> Require.inClosed("batchSize", 0, 1, 65_536)));
  }

  @Test
  void inClosed_long_acceptsBothEnds() {
    assertEquals(1L, Require.inClosed("steps", 1L, 1L, 100_000_000L));
    assertEquals(100_000_000L, Require.inClosed("steps", 100_000_000L, 1L, 100_000_000L));
  }

  @Test
  void inClosed_double_writesWholeBoundsWithoutFraction() {
    assertEquals("pruningFraction must be in [0, 1], got 1.5",
        message(() -> Require.inClosed("pruningFraction", 1.5, 0, 1)));
  }

  @Test
  void inOpenClosed_rejectsLowerEnd() {
    assertEquals("tau must be in (0, 1000000], got 0.0",
        message(() -> Require.inOpenClosed("tau", 0, 0, 1e6)));
  }

  @Test
  void inClosedOpen_rejectsUpperEnd() {
    assertEquals("momentum must be in [0, 1), got 1.0",
        message(() -> Require.inClosedOpen("momentum", 1, 0, 1)));
  }

  @Test
  void inClosedOpen_infiniteUpperBound_rejectsInfinity() {
    assertEquals("radius must be in [0, +inf), got Infinity",
        message(() -> Require.inClosedOpen("radius", Double.POSITIVE_INFINITY, 0,
            Double.POSITIVE_INFINITY)));
  }

  @Test
  void inOpen_rejectsNaN() {
    assertEquals("factor must be in (0, 1), got NaN",
        message(() -> Require.inOpen("factor", Double.NaN, 0, 1)));
  }

  @Test
  void inOpen_fractionalBound_keepsItsDigits() {
    assertEquals("x must be in (0.5, 2), got 0.5",
        message(() -> Require.inOpen("x", 0.5, 0.5, 2)));
  }

  @Test
  void checks_returnTheValueInside() {
    assertEquals(0.25, Require.inOpen("f", 0.25, 0, 1));
    assertEquals(7, Require.inClosed("n", 7, 1, 10));
  }

  @Test
  void atLeast_namesMinimum() {
    assertEquals("steps must be at least 1, got 0", message(() -> Require.atLeast("steps", 0, 1)));
  }

  @Test
  void notNull_throwsIllegalArgument() {
    assertEquals("optimizer must not be null", message(() -> Require.notNull("optimizer", null)));
  }
}
