package org.fwprune.pruning.constraints;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.fwprune.core.check.Require;

/** Argument checks shared by the constraints, with messages that name the allowed range. */
final class Checks {

  private Checks() {}

  static void checkRadius(double radius) {
    Require.inClosedOpen("radius", radius, 0, Double.POSITIVE_INFINITY);
  }

  static void checkDimension(int n) {
    checkArgument(n >= 1, "n must be >= 1, got %s", n);
  }

  static void checkDiameter(double diameter) {
    Require.inClosedOpen("diameter", diameter, 0, Double.POSITIVE_INFINITY);
  }

  static void checkTolerance(double tolerance) {
    Require.inClosedOpen("tolerance", tolerance, 0, Double.POSITIVE_INFINITY);
  }

  /** The arguments of {@link Constraint#contains}: a non-empty {@code x}, radius and tolerance. */
  static void checkContainsArguments(float[] x, double radius, double tolerance) {
    checkVector(x, "x");
    checkRadius(radius);
    checkTolerance(tolerance);
  }

  static void checkVector(float[] x, String what) {
    checkNotNull(x, "%s must not be null", what);
    checkArgument(x.length >= 1, "%s must have at least one entry, found none", what);
  }
}
