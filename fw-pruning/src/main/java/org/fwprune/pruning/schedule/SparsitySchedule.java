package org.fwprune.pruning.schedule;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;

/**
 * The target sparsity (share of zero weights) as a function of the training step, for gradual
 * pruning: magnitude pruning or FW pruning re-thresholds to {@link #sparsityAt(long)} each time it
 * prunes.
 *
 * <p>Steps count from 0. Sparsities lie in [0, 1); a sparsity of 1 (no weights left) is not a
 * target.
 */
public sealed interface SparsitySchedule permits SparsitySchedule.Constant, SparsitySchedule.Cubic {

  /**
   * The same sparsity at every step (one-shot pruning, or FW pruning at a fixed target).
   *
   * @param sparsity in [0, 1)
   * @throws IllegalArgumentException if {@code sparsity} is outside [0, 1)
   */
  static SparsitySchedule constant(double sparsity) {
    return new Constant(sparsity);
  }

  /**
   * The cubic schedule of Zhu and Gupta 2017 ("To prune, or not to prune: exploring the efficacy of
   * pruning for model compression", Section 3, Eq. 1); see {@link Cubic}.
   *
   * @param initial {@code s_0} in [0, 1), at most {@code finalSparsity}
   * @param finalSparsity {@code s_f} in [0, 1)
   * @param beginStep {@code t_0 >= 0}
   * @param endStep {@code T > t_0}
   * @throws IllegalArgumentException if an argument is outside the ranges above
   */
  static SparsitySchedule cubic(
      double initial, double finalSparsity, long beginStep, long endStep) {
    return new Cubic(initial, finalSparsity, beginStep, endStep);
  }

  /**
   * The target sparsity at {@code step}, in [0, 1).
   *
   * @throws IllegalArgumentException if {@code step < 0}
   */
  double sparsityAt(long step);

  /** The sparsity reached at the end of the schedule. */
  double finalSparsity();

  /**
   * Sparsity {@code s} at every step.
   *
   * @param sparsity in [0, 1)
   */
  record Constant(double sparsity) implements SparsitySchedule {

    /**
     * Checks the sparsity.
     *
     * @throws IllegalArgumentException if {@code sparsity} is outside [0, 1)
     */
    public Constant {
      checkSparsity(sparsity, "sparsity");
    }

    @Override
    public double sparsityAt(long step) {
      checkStep(step);
      return sparsity;
    }

    @Override
    public double finalSparsity() {
      return sparsity;
    }
  }

  /**
   * Zhu and Gupta 2017, Section 3, Eq. 1:
   *
   * <pre>
   *   s_t = s_f + (s_0 - s_f) (1 - (t - t_0) / (T - t_0))^3   for t_0 &lt;= t &lt;= T,
   * </pre>
   *
   * {@code s_0} before {@code t_0} and {@code s_f} after {@code T}. It prunes fast while many
   * redundant weights remain and slowly near the target. Non-decreasing in {@code t}. (The paper
   * writes {@code T = t_0 + n Delta t} and evaluates only every {@code Delta t} steps; how often to
   * prune is the caller's choice.) docs/algorithms.md writes it with {@code t_0 = 0}.
   *
   * @param initialSparsity {@code s_0} in [0, 1), at most {@code finalSparsity}
   * @param finalSparsity {@code s_f} in [0, 1)
   * @param beginStep {@code t_0 >= 0}
   * @param endStep {@code T > t_0}
   */
  record Cubic(double initialSparsity, double finalSparsity, long beginStep, long endStep)
      implements SparsitySchedule {

    /**
     * Checks the ranges and the order of the arguments.
     *
     * @throws IllegalArgumentException if an argument is outside its range
     */
    public Cubic {
      checkSparsity(initialSparsity, "initialSparsity");
      checkSparsity(finalSparsity, "finalSparsity");
      checkArgument(
          initialSparsity <= finalSparsity,
          "initialSparsity must be <= finalSparsity (%s), got %s",
          finalSparsity,
          initialSparsity);
      checkArgument(beginStep >= 0, "beginStep must be >= 0, got %s", beginStep);
      checkArgument(
          endStep > beginStep, "endStep must be > beginStep (%s), got %s", beginStep, endStep);
    }

    @Override
    public double sparsityAt(long step) {
      checkStep(step);
      if (step <= beginStep) {
        return initialSparsity;
      }
      if (step >= endStep) {
        return finalSparsity;
      }
      double remaining = 1.0 - (double) (step - beginStep) / (double) (endStep - beginStep);
      return finalSparsity + (initialSparsity - finalSparsity) * remaining * remaining * remaining;
    }
  }

  private static void checkSparsity(double sparsity, String name) {
    Require.inClosedOpen(name, sparsity, 0, 1);
  }

  private static void checkStep(long step) {
    checkArgument(step >= 0, "step must be >= 0, got %s", step);
  }
}
