package org.fwprune.examples.reproduce;

/**
 * Follows a reproduction, e.g. to draw a progress bar and print a line per finished cell. Called
 * on the thread that runs the experiment; every method has an empty default.
 */
public interface ProgressListener {

  /**
   * Called once before any work.
   *
   * @param gradients minibatch gradients the run will compute (pre-training, tuning and cells)
   * @param cells cells the run will compute
   * @param skipped cells skipped because the results folder already holds them
   */
  default void onStart(long gradients, int cells, int skipped) {}

  /** Called when a new phase starts, with a short description such as {@code pre-train seed 1}. */
  default void onPhase(String description) {}

  /** Called after every {@code count} minibatch gradients. */
  default void onGradients(long count) {}

  /** Called when the tuning phase has chosen a method's learning rate. */
  default void onTuned(Tuning.MethodTuning tuning) {}

  /** Called after a cell's row has been written to {@code results.csv}. */
  default void onCellFinished(CellResult result) {}

  /** Called once when every cell is done and the reports are written. */
  default void onFinish() {}
}
