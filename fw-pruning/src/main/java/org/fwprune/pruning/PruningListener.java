package org.fwprune.pruning;

/** Follows a pruning run, e.g. to draw a progress bar. Called on the pruning thread. */
public interface PruningListener {

  /**
   * Called after every gradient evaluation.
   *
   * @param evaluations gradient evaluations so far
   * @param budget total gradient evaluations of the run
   * @param sparsity the current target sparsity of the schedule
   */
  default void onProgress(long evaluations, long budget, double sparsity) {}
}
