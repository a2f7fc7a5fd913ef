package org.fwprune.pruning.fw;

/**
 * How many non-zeros a Frank-Wolfe vertex has, and where they may go: a fixed {@code K} from the
 * constraint, or a {@code K} that shrinks with the pruning schedule so that the constraint
 * tightens as the magnitude threshold rises (docs/which-pruner.md, variants "tightening K" and
 * "global LMO").
 */
public enum SupportRule {
  /** {@code K} is the constraint's own, fixed for the whole run (the reference's FW). */
  FIXED,
  /**
   * Each kernel's vertex keeps {@code K_l = n_l - round(s_t n_l)} entries (at least 1), where
   * {@code s_t} is the schedule's sparsity at the step: the K-sparse polytope of Pokutta,
   * Spiegel and Zimmer 2020 with {@code K} following the cubic schedule of Zhu and Gupta 2017.
   * The radius follows {@code K} so that the diameter stays {@code 2 tau E||W_init||}.
   */
  SCHEDULE_PER_LAYER,
  /**
   * One K-sparse polytope over all kernels together, in coordinates scaled by each kernel's
   * radius, with {@code K = N - round(s_t N)}: its LMO puts the vertex's non-zeros where {@code
   * r_l |d_i|} is largest, so the LMO, not a fixed share, decides how the non-zeros are spread
   * over the layers.
   */
  SCHEDULE_GLOBAL,
  /**
   * {@link #SCHEDULE_GLOBAL}, and the re-threshold after each step keeps in each kernel as many
   * weights as the vertex put there (at least one), the largest {@code |w|} of that kernel: the
   * LMO, not one global magnitude threshold, sets the layer budgets.
   */
  SCHEDULE_GLOBAL_LAYER_BUDGETS;

  /** Whether {@code K} follows the schedule (every rule but {@link #FIXED}). */
  public boolean scheduled() {
    return this != FIXED;
  }

  /** Whether one LMO runs over all kernels together. */
  public boolean global() {
    return this == SCHEDULE_GLOBAL || this == SCHEDULE_GLOBAL_LAYER_BUDGETS;
  }
}
