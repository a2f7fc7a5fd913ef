package org.fwprune.core.check;

/**
 * Range and null checks with one wording for every builder: {@code "NAME must be in [MIN, MAX],
 * got VALUE"}, with a parenthesis for an open end and {@code +inf} for an unbounded one. Each
 * returns the value it checked, so that a setter can check and assign in one statement. NaN lies
 * in no range.
 */
public final class Require {

  private Require() {}

  /**
   * {@code value} in {@code [min, max]}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static int inClosed(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw outside(name, "[" + min + ", " + max + "]", value);
    }
    return value;
  }

  /**
   * {@code value} in {@code [min, max]}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static long inClosed(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw outside(name, "[" + min + ", " + max + "]", value);
    }
    return value;
  }

  /**
   * {@code value} in {@code [min, max]}.
   *
   * @throws IllegalArgumentException otherwise, or if {@code value} is NaN
   */
  public static double inClosed(String name, double value, double min, double max) {
    return in(name, value, value >= min && value <= max, "[", min, max, "]");
  }

  /**
   * {@code value} in {@code (min, max]}.
   *
   * @throws IllegalArgumentException otherwise, or if {@code value} is NaN
   */
  public static double inOpenClosed(String name, double value, double min, double max) {
    return in(name, value, value > min && value <= max, "(", min, max, "]");
  }

  /**
   * {@code value} in {@code [min, max)}; {@code max} may be {@code +inf}.
   *
   * @throws IllegalArgumentException otherwise, or if {@code value} is NaN
   */
  public static double inClosedOpen(String name, double value, double min, double max) {
    return in(name, value, value >= min && value < max, "[", min, max, ")");
  }

  /**
   * {@code value} in {@code (min, max)}; {@code max} may be {@code +inf}.
   *
   * @throws IllegalArgumentException otherwise, or if {@code value} is NaN
   */
  public static double inOpen(String name, double value, double min, double max) {
    return in(name, value, value > min && value < max, "(", min, max, ")");
  }

  /**
   * {@code value >= min}: {@code "NAME must be at least MIN, got VALUE"}.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static long atLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
    }
    return value;
  }

  /**
   * {@code value} is not null: {@code "NAME must not be null"}.
   *
   * @throws IllegalArgumentException otherwise (not a NullPointerException: a null setting is a
   *     bad argument like any other)
   */
  public static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  private static double in(String name, double value, boolean inside, String open, double min,
      double max, String close) {
    if (!inside) {
      throw outside(name, open + bound(min) + ", " + bound(max) + close, value);
    }
    return value;
  }

  private static IllegalArgumentException outside(String name, String range, Object value) {
    return new IllegalArgumentException(name + " must be in " + range + ", got " + value);
  }

  /** A bound as people write it: {@code 1000000} for 1e6, {@code 0.5}, {@code +inf}. */
  private static String bound(double b) {
    if (Double.isInfinite(b)) {
      return b > 0 ? "+inf" : "-inf";
    }
    if (b == Math.rint(b) && Math.abs(b) < 1e15) {
      return Long.toString((long) b);
    }
    return Double.toString(b);
  }
}
