package org.fwprune.examples.cli;

import org.fwprune.core.train.Training;
import org.fwprune.examples.reproduce.Network;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code --bn-recalibration BATCHES} option of the studies (a mixin): how many training
 * minibatches re-estimate the BatchNorm moving statistics after each method, no weight change.
 */
public final class BatchNormRecalibrationOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--bn-recalibration", paramLabel = "BATCHES", defaultValue = "0",
      descriptionKey = "BatchNormRecalibrationOption.bn-recalibration")
  int batches;

  /**
   * The batches given, checked by the library ({@link Training.Builder#batchNormRecalibration}:
   * the range) and against {@code network} (a positive count needs BatchNorm); a refusal is a
   * usage error.
   */
  public int batches(Network network) {
    return UsageErrors.check(command, () -> {
      Training.builder().batchNormRecalibration(batches);
      if (batches > 0) {
        network.requireBatchNorm("--bn-recalibration");
      }
      return batches;
    });
  }
}
