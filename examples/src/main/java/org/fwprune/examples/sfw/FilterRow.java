package org.fwprune.examples.sfw;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;
import org.fwprune.examples.study.RowFormat;
import org.fwprune.pruning.structured.SelectionMethod;

/**
 * One measurement of the structured (filter) study of docs/sfw.md: a trained network, dense or
 * with filters removed at a FLOPs target (by L1 norm with no fine-tune, unless the row says
 * otherwise).
 *
 * @param method {@code sfw-group} or {@code sgd-momentum}
 * @param seed seed of the initialisation, dropout and minibatch order
 * @param groupFraction K as a fraction of each layer's filters; NaN for SGD
 * @param tau the radius multiplier; NaN for SGD
 * @param dense the dense kernels' constraint, {@code l2} or {@code group}; empty for SGD
 * @param flopsTarget the {@code KeepRule.uniformFlops} fraction, 1 for the dense network
 * @param flopsKept measured multiply-adds of the pruned network over the original's
 * @param parametersKept parameters of the pruned network over the original's
 * @param validationAccuracy accuracy on the validation split
 * @param testAccuracy accuracy on the test split
 * @param selection how the filters were ranked, a {@code SelectionMethod} label such as
 *     {@code l1-norm} or {@code bn-scale}
 * @param fineTuneSteps masked fine-tune steps after the cut (and on the dense row of the same
 *     cut, which is the trained network itself)
 */
public record FilterRow(String method, long seed, double groupFraction, double tau, String dense,
    double flopsTarget, double flopsKept, double parametersKept, double validationAccuracy,
    double testAccuracy, String selection, long fineTuneSteps) {

  /** The cut of every row before the cut became a column: L1 norm, no fine-tune. */
  static final String DEFAULT_SELECTION = Labels.of(SelectionMethod.L1_NORM);

  /** The CSV header matching {@link #csv()}. */
  public static final String CSV_HEADER = "method,seed,group_fraction,tau,dense,flops_target,"
      + "flops_kept,parameters_kept,validation_accuracy,test_accuracy,selection,fine_tune_steps";

  /** How the rows are written and read: {@link #CSV_HEADER}, {@link #csv}, {@link #parse}. */
  public static final RowFormat<FilterRow> FORMAT = RowFormat.of(CSV_HEADER, FilterRow::csv,
      FilterRow::parse);

  /** One CSV line. */
  public String csv() {
    return String.format(Locale.ROOT, "%s,%d,%s,%s,%s,%.2f,%.4f,%.4f,%.4f,%.4f,%s,%d", method, seed,
        Double.isNaN(groupFraction) ? "" : groupFraction, Double.isNaN(tau) ? "" : tau, dense,
        flopsTarget, flopsKept, parametersKept, validationAccuracy, testAccuracy, selection,
        fineTuneSteps);
  }

  /**
   * The row of a CSV line written by {@link #csv()}.
   *
   * @throws IllegalArgumentException if the line does not have 12 fields or a number is malformed
   */
  public static FilterRow parse(String line) {
    String[] f = line.split(",", -1);
    checkArgument(f.length == 12, "expected 12 fields, found %s", f.length);
    return new FilterRow(f[0], Long.parseLong(f[1]), f[2].isEmpty() ? Double.NaN
        : Double.parseDouble(f[2]), f[3].isEmpty() ? Double.NaN : Double.parseDouble(f[3]), f[4],
        Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
        Double.parseDouble(f[8]), Double.parseDouble(f[9]), f[10], Long.parseLong(f[11]));
  }

  /**
   * The training recipe and the cut without the seed, e.g. {@code sfw-group K=0.25 tau=15
   * dense=l2}; a cut other than L1 norm with no fine-tune is added, e.g. {@code sgd-momentum
   * cut=bn-scale fine-tune=86}.
   */
  public String variant() {
    String recipe = Double.isNaN(groupFraction) ? method : String.format(Locale.ROOT,
        "%s K=%s tau=%s dense=%s", method, fmt(groupFraction), fmt(tau), dense);
    if (selection.equals(DEFAULT_SELECTION) && fineTuneSteps == 0) {
      return recipe;
    }
    return recipe + " cut=" + selection + (fineTuneSteps == 0 ? "" : " fine-tune="
        + fineTuneSteps);
  }

  private static String fmt(double x) {
    return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
  }
}
