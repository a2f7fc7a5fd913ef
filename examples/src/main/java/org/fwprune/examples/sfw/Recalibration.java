package org.fwprune.examples.sfw;

import org.fwprune.core.check.Require;
import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.Network;

/**
 * The one check of the BatchNorm recalibration batches that both studies take
 * ({@code --bn-recalibration}): the range, and that the network has a BatchNorm to recalibrate.
 */
final class Recalibration {

  /** The most batches a study may re-estimate the statistics over. */
  static final int MAX_BATCHES = Training.MAX_RECALIBRATION_BATCHES;

  private Recalibration() {}

  /**
   * Checks the range of {@code batches}.
   *
   * @throws IllegalArgumentException if outside [0, {@value #MAX_BATCHES}]
   */
  static int checkRange(int batches) {
    Require.inClosed("BatchNorm recalibration batches", batches, 0, MAX_BATCHES);
    return batches;
  }

  /**
   * Checks the range of {@code batches} and, when it is not 0, that {@code network} has
   * BatchNorm.
   *
   * @throws IllegalArgumentException naming the range or the network
   */
  static int check(int batches, Network network) {
    checkRange(batches);
    if (batches > 0) {
      network.requireBatchNorm("BatchNorm recalibration");
    }
    return batches;
  }
}
