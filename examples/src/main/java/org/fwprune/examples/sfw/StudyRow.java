package org.fwprune.examples.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import org.fwprune.examples.study.RowFormat;

/**
 * One measurement of the any-sparsity study.
 *
 * @param method the training method
 * @param seed seed of the initialisation, dropout and minibatch order
 * @param target the target sparsity, 0 for the dense network
 * @param sparsity the measured fraction of zero kernel weights
 * @param fineTuneSteps masked fine-tune steps after pruning (0: no retraining)
 * @param gradients minibatch gradients this network cost, training and fine-tune
 * @param validationAccuracy accuracy on the validation split
 * @param testAccuracy accuracy on the test split
 */
public record StudyRow(StudyMethod method, long seed, double target, double sparsity,
    long fineTuneSteps, long gradients, double validationAccuracy, double testAccuracy) {

  /** The CSV header matching {@link #csv()}. */
  public static final String CSV_HEADER =
      "method,seed,target,sparsity,fine_tune_steps,gradients,validation_accuracy,test_accuracy";

  /** How the rows are written and read: {@link #CSV_HEADER}, {@link #csv}, {@link #parse}. */
  public static final RowFormat<StudyRow> FORMAT = RowFormat.of(CSV_HEADER, StudyRow::csv,
      StudyRow::parse);

  /** One CSV line. */
  public String csv() {
    return String.format(Locale.ROOT, "%s,%d,%.2f,%.4f,%d,%d,%.4f,%.4f", method.label(), seed,
        target, sparsity, fineTuneSteps, gradients, validationAccuracy, testAccuracy);
  }

  /**
   * The row of a CSV line written by {@link #csv()}.
   *
   * @throws IllegalArgumentException if the line does not have 8 fields, the method is unknown
   *     or a number is malformed
   */
  public static StudyRow parse(String line) {
    String[] f = line.split(",", -1);
    checkArgument(f.length == 8, "expected 8 fields, found %s", f.length);
    return new StudyRow(StudyMethod.parse(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
        Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]),
        Double.parseDouble(f[6]), Double.parseDouble(f[7]));
  }
}
