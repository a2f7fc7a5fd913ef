package org.fwprune.examples.cli;

import org.fwprune.core.train.LearningRateSchedule;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --lr-decay} and {@code --lr-decay-at} options: a step-decay learning-rate schedule
 * over a run (training in {@code train}, every method's budget in {@code reproduce}).
 */
final class LearningRateDecayOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--lr-decay", paramLabel = "FACTOR",
      descriptionKey = "LearningRateDecayOptions.lr-decay")
  Double lrDecay;

  @Option(names = "--lr-decay-at", paramLabel = "FRACTION", split = ",",
      descriptionKey = "LearningRateDecayOptions.lr-decay-at")
  double[] lrDecayAt;

  /**
   * The schedule the options give: constant without them. Only one of the two, or values out of
   * range, are a usage error (exit status 2).
   */
  LearningRateSchedule schedule() {
    if ((lrDecay == null) != (lrDecayAt == null)) {
      throw new ParameterException(command.commandLine(),
          "--lr-decay and --lr-decay-at go together: give both or neither");
    }
    if (lrDecay == null) {
      return LearningRateSchedule.constant();
    }
    try {
      return LearningRateSchedule.stepDecay(lrDecay, lrDecayAt);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--lr-decay: " + e.getMessage());
    }
  }
}
