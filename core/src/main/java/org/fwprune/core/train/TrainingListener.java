package org.fwprune.core.train;

/**
 * Follows a training run, e.g. to draw a progress bar. Called on the training thread; keep the
 * methods quick.
 */
public interface TrainingListener {

  /** Called once before the first step. */
  default void onStart(int epochs, int stepsPerEpoch) {}

  /** Called after every step with the mean loss of that step's batch. */
  default void onStep(int epoch, int step, double loss) {}

  /** Called after each epoch, validation included. */
  default void onEpochEnd(EpochStats stats) {}
}
