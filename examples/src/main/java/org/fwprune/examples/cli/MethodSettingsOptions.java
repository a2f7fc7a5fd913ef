package org.fwprune.examples.cli;

import org.fwprune.core.train.Optimizers;
import org.fwprune.pruning.catalogue.MethodSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of one catalogue method's settings ({@code --target-sparsity}, {@code --steps},
 * {@code --lr}, {@code --seed}, the learning-rate decay), declared once and checked by the
 * library's {@link MethodSettings} builder, whose refusal becomes a usage error.
 */
final class MethodSettingsOptions {

  /** Momentum of the fine-tune SGD: the reference protocol's (docs/algorithms.md). */
  static final double FINE_TUNE_MOMENTUM = 0.9;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = {"--target-sparsity", "--sparsity"}, defaultValue = "0.9",
      paramLabel = "FRACTION", descriptionKey = "MethodSettingsOptions.target-sparsity")
  double targetSparsity;

  @Option(names = "--steps", defaultValue = "430", paramLabel = "N",
      descriptionKey = "MethodSettingsOptions.steps")
  long steps;

  @Option(names = "--lr", defaultValue = "0.01", paramLabel = "LR",
      descriptionKey = "MethodSettingsOptions.lr")
  double learningRate;

  @Option(names = "--seed", defaultValue = "0", descriptionKey = "MethodSettingsOptions.seed")
  long seed;

  /** Decays the fine-tune rate over the budget. */
  @Mixin
  LearningRateDecayOptions lrDecay = new LearningRateDecayOptions();

  /**
   * The settings the options give, BatchNorm statistics left as training leaves them (as {@code
   * prune} always did); a value out of range is a usage error naming the setting and its range.
   */
  MethodSettings settings() {
    return UsageErrors.check(command, () -> MethodSettings.builder()
        .targetSparsity(targetSparsity).steps(steps)
        .fineTune(Optimizers.momentum(learningRate, FINE_TUNE_MOMENTUM))
        .learningRateSchedule(lrDecay.schedule()).batchNormRecalibration(0).seed(seed).build());
  }
}
