package org.fwprune.examples.structured;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import org.fwprune.examples.study.RowFormat;

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
 * @param keep the keep rule of a structured method ({@code flops(0.5)}, {@code flops(0.5 x8)}
 *     for a channel multiple of 8, {@code accuracy(0.98 0.5)}: the greedy selection's accuracy
 *     rule, and its counts for the other selections); {@code -} for the other methods
 * @param validationBeforeFineTune validation accuracy of a structured method right after the
 *     selection, before its fine-tune; NaN for the other methods
 */
public record StudyRow(long seed, StudyMethod method, double flops, double validationAccuracy,
    double testAccuracy, long parameters, long macs, int smallBatch, double smallMs,
    double smallDenseMs, int largeBatch, double largeMs, double largeDenseMs, String kept,
    double seconds, String keep, double validationBeforeFineTune) {

  /** The header of the files written before the keep rule had its own column. */
  static final String CSV_HEADER_15 = "seed,method,flops,validation_accuracy,test_accuracy,"
      + "parameters,macs,small_batch,small_ms,small_dense_ms,large_batch,large_ms,"
      + "large_dense_ms,kept,seconds";

  /** The CSV header matching {@link #csv()}. */
  public static final String CSV_HEADER = CSV_HEADER_15 + ",keep,validation_before_fine_tune";

  /** How the grid runner writes and reads rows; it also reads files of {@link #CSV_HEADER_15}. */
  public static final RowFormat<StudyRow> FORMAT = new RowFormat<>() {
    @Override
    public String header() {
      return CSV_HEADER;
    }

    @Override
    public boolean reads(String header) {
      return CSV_HEADER.equals(header) || CSV_HEADER_15.equals(header);
    }

    @Override
    public String csv(StudyRow row) {
      return row.csv();
    }

    @Override
    public StudyRow parse(String line) {
      return StudyRow.parse(line);
    }
  };

  /** The {@link #keep} label of {@code KeepRule.flops(flops, multiple)}. */
  public static String flopsKeep(double flops, int multiple) {
    return multiple == 1 ? String.format(Locale.ROOT, "flops(%s)", flops)
        : String.format(Locale.ROOT, "flops(%s x%d)", flops, multiple);
  }

  /** Speed-up over the dense checkpoint at the small batch. */
  public double smallSpeedUp() {
    return smallDenseMs / smallMs;
  }

  /** Speed-up over the dense checkpoint at the large batch. */
  public double largeSpeedUp() {
    return largeDenseMs / largeMs;
  }

  /** Whether this row is the (seed, method, keep rule) cell. */
  boolean sameCell(long seed, StudyMethod method, String keep) {
    return this.seed == seed && this.method == method && this.keep.equals(keep);
  }

  /** One CSV line. */
  public String csv() {
    return String.format(Locale.ROOT,
        "%d,%s,%.4f,%.4f,%.4f,%d,%d,%d,%.6f,%.6f,%d,%.6f,%.6f,%s,%.1f,%s,%.4f", seed,
        method.label(), flops, validationAccuracy, testAccuracy, parameters, macs, smallBatch,
        smallMs, smallDenseMs, largeBatch, largeMs, largeDenseMs, kept, seconds, keep,
        validationBeforeFineTune);
  }

  /**
   * Parses a line written by {@link #csv()}, or one of 15 fields written before the keep rule had
   * its own column (a structured row's rule was then {@code flops(f)}).
   *
   * @throws IllegalArgumentException naming the line if it has the wrong number of fields or a
   *     field does not parse
   */
  public static StudyRow parse(String line) {
    String[] f = line.split(",", -1);
    checkArgument(f.length == 17 || f.length == 15,
        "expected 17 comma-separated fields (%s), found %s in '%s'", CSV_HEADER, f.length, line);
    try {
      StudyMethod method = StudyMethod.parse(f[1]);
      double flops = Double.parseDouble(f[2]);
      String keep = f.length == 17 ? f[15]
          : method.selection().isPresent() ? flopsKeep(flops, 1) : "-";
      return new StudyRow(Long.parseLong(f[0]), method, flops, Double.parseDouble(f[3]),
          Double.parseDouble(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
          Integer.parseInt(f[7]), Double.parseDouble(f[8]), Double.parseDouble(f[9]),
          Integer.parseInt(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12]), f[13],
          Double.parseDouble(f[14]), keep,
          f.length == 17 ? Double.parseDouble(f[16]) : Double.NaN);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cannot parse study row '" + line + "': "
          + e.getMessage(), e);
    }
  }
}
