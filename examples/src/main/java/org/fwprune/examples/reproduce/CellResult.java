package org.fwprune.examples.reproduce;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Locale;

/**
 * The measurements of one finished cell: one row of {@code results.csv}.
 *
 * @param cell which method, checkpoint, seed and target
 * @param testAccuracy fraction of test images classified correctly, in [0, 1] (NaN if training
 *     diverged)
 * @param testLoss mean test cross-entropy (NaN if training diverged)
 * @param nonzeroFraction non-zero entries over all conv and dense kernels, in [0, 1]; for a
 *     structured method, the smaller network's non-zero kernel entries over the dense
 *     checkpoint's kernel entries
 * @param inferenceMsPerExample inference wall time per test image, batch 1000, median of 3
 * @param inferenceTimeRatio inference time over that of the dense checkpoint, timed in
 *     alternating passes in the same run, median of 3 (1 for {@code dense})
 * @param trainSeconds pre-training time up to the checkpoint
 * @param pruneSeconds time the method took after the checkpoint (0 for {@code dense})
 * @param gradientEvaluations minibatch gradients the method computed after the checkpoint
 * @param flopsPerExample multiply-adds per example of the conv and dense layers of the
 *     resulting network ({@link org.fwprune.pruning.structured.Flops}; masked zeros count); NaN
 *     for a row of a results file written before this column existed
 */
public record CellResult(Cell cell, double testAccuracy, double testLoss, double nonzeroFraction,
    double inferenceMsPerExample, double inferenceTimeRatio, double trainSeconds,
    double pruneSeconds, long gradientEvaluations, double flopsPerExample) {

  /** Checks that the cell is present, the counts are non-negative and FLOPs are whole or NaN. */
  public CellResult {
    checkArgument(cell != null, "cell must not be null");
    checkArgument(gradientEvaluations >= 0, "gradientEvaluations must be at least 0, got %s",
        gradientEvaluations);
    checkArgument(Double.isNaN(flopsPerExample)
            || (flopsPerExample >= 0 && flopsPerExample == Math.rint(flopsPerExample)),
        "flopsPerExample must be a whole number at least 0, or NaN if unknown, got %s",
        flopsPerExample);
  }

  /** Whether the row records its FLOPs (rows of older results files do not). */
  public boolean hasFlops() {
    return !Double.isNaN(flopsPerExample);
  }

  /** This row with {@code flops} in place of its FLOPs per example. */
  public CellResult withFlops(double flops) {
    return new CellResult(cell, testAccuracy, testLoss, nonzeroFraction, inferenceMsPerExample,
        inferenceTimeRatio, trainSeconds, pruneSeconds, gradientEvaluations, flops);
  }

  /**
   * Measured inference speed-up over the dense checkpoint: {@code 1 / inferenceTimeRatio} (NaN if
   * the ratio is NaN).
   */
  public double speedUp() {
    return 1 / inferenceTimeRatio;
  }

  /** The one-line summary printed when the cell finishes. */
  public String summaryLine() {
    return String.format(Locale.ROOT,
        "%-17s epochs %2d seed %d: test accuracy %6.2f%%, loss %.4f, non-zero %6.2f%%,"
            + " inference x%.2f, %.1f s, %d gradients",
        cell.method().id(), cell.pretrainEpochs(), cell.seed(), 100 * testAccuracy, testLoss,
        100 * nonzeroFraction, inferenceTimeRatio, pruneSeconds, gradientEvaluations);
  }
}
