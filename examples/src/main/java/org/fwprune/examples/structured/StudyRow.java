package org.fwprune.examples.structured;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/**
 * One network of the structured-pruning study: how accurate, how large and how fast.
 *
 * @param seed seed of the dense checkpoint, the pruner and the fine-tune
 * @param method the method
 * @param flops the {@code KeepRule.flops} target of a structured method; 1 for the others
 * @param validationAccuracy accuracy on the validation split
 * @param testAccuracy accuracy on the test split
 * @param parameters trainable parameters (non-zero ones for GMP)
 * @param macs multiply-adds per example (zeros of GMP count: the kernels still multiply them)
 * @param smallBatch the small timing batch (1 in the study)
 * @param smallMs milliseconds per example at the small batch
 * @param smallDenseMs the dense checkpoint's, timed in turn with this network in the same run
 * @param largeBatch the large timing batch (1000 in the study)
 * @param largeMs milliseconds per example at the large batch
 * @param largeDenseMs the dense checkpoint's at the large batch, timed in turn
 * @param kept channels kept per group, {@code ;}-separated, or {@code -}
 * @param seconds wall time of the method (selection and fine-tune)
 */
public record StudyRow(long seed, StudyMethod method, double flops, double validationAccuracy,
    double testAccuracy, long parameters, long macs, int smallBatch, double smallMs,
    double smallDenseMs, int largeBatch, double largeMs, double largeDenseMs, String kept,
    double seconds) {

  /** The CSV header matching {@link #csv()}. */
  public static final String CSV_HEADER = "seed,method,flops,validation_accuracy,test_accuracy,"
      + "parameters,macs,small_batch,small_ms,small_dense_ms,large_batch,large_ms,"
      + "large_dense_ms,kept,seconds";

  /** Speed-up over the dense checkpoint at the small batch. */
  public double smallSpeedUp() {
    return smallDenseMs / smallMs;
  }

  /** Speed-up over the dense checkpoint at the large batch. */
  public double largeSpeedUp() {
    return largeDenseMs / largeMs;
  }

  /** Whether this row is the (seed, method, flops) cell of {@code other}. */
  boolean sameCell(long seed, StudyMethod method, double flops) {
    return this.seed == seed && this.method == method && Math.abs(this.flops - flops) < 1e-9;
  }

  /** One CSV line. */
  public String csv() {
    return String.format(Locale.ROOT, "%d,%s,%.4f,%.4f,%.4f,%d,%d,%d,%.6f,%.6f,%d,%.6f,%.6f,%s,%.1f",
        seed, method.label(), flops, validationAccuracy, testAccuracy, parameters, macs,
        smallBatch, smallMs, smallDenseMs, largeBatch, largeMs, largeDenseMs, kept, seconds);
  }

  /**
   * Parses a line written by {@link #csv()}.
   *
   * @throws IllegalArgumentException naming the line if it has the wrong number of fields or a
   *     field does not parse
   */
  public static StudyRow parse(String line) {
    String[] f = line.split(",", -1);
    checkArgument(f.length == 15, "expected 15 comma-separated fields (%s), found %s in '%s'",
        CSV_HEADER, f.length, line);
    try {
      return new StudyRow(Long.parseLong(f[0]), StudyMethod.parse(f[1]),
          Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
          Long.parseLong(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]),
          Double.parseDouble(f[8]), Double.parseDouble(f[9]), Integer.parseInt(f[10]),
          Double.parseDouble(f[11]), Double.parseDouble(f[12]), f[13], Double.parseDouble(f[14]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cannot parse study row '" + line + "': "
          + e.getMessage(), e);
    }
  }
}
