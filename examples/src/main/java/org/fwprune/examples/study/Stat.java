package org.fwprune.examples.study;

/**
 * The statistic every study's summary gives over the seeds of a cell: mean and sample standard
 * deviation (n - 1 in the denominator; 0 for a single value). A NaN value (a diverged run)
 * makes both NaN.
 *
 * @param mean the mean
 * @param std the sample standard deviation
 */
public record Stat(double mean, double std) {

  /** The statistics of {@code values}, which must not be empty. */
  public static Stat of(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    if (values.length == 1) {
      return new Stat(mean, Double.isNaN(mean) ? Double.NaN : 0);
    }
    double squares = 0;
    for (double v : values) {
      squares += (v - mean) * (v - mean);
    }
    return new Stat(mean, Math.sqrt(squares / (values.length - 1)));
  }
}
