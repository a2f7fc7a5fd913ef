package org.fwprune.examples.sfw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class CollapseDiagnosticsTest {

  @Test
  void removedNorm_isTheNormOfTheSmallestMagnitudesAndItsShareOfTheTotal() {
    // Half of {1, 2, 3, 4} removed: sqrt(1 + 4) of sqrt(1 + 4 + 9 + 16); exact up to 1e-12.
    double[] removed = CollapseDiagnostics.removedNorm(new float[] {1, 2, 3, 4}, 0.5);
    assertArrayEquals(new double[] {Math.sqrt(5), Math.sqrt(5.0 / 30)}, removed, 1e-12);
  }

  @Test
  void removedNorm_roundsTheZeroCountHalfUpLikeThePruners() {
    // 0.5 * 3 = 1.5 rounds to 2 removed, as MagnitudeThreshold.zeroCount does.
    double[] removed = CollapseDiagnostics.removedNorm(new float[] {1, 1, 1}, 0.5);
    assertArrayEquals(new double[] {Math.sqrt(2), Math.sqrt(2.0 / 3)}, removed, 1e-12);
  }
}
