package org.fwprune.examples.reproduce;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * What a results folder's {@code run.json} records about the run that filled it: the settings its
 * rows depend on, the grid it was asked for, the chosen learning rates and the machine.
 *
 * @param settings every setting that changes a cell's numbers
 * @param plan the grid and part of it the run was asked for
 * @param tuning the tuning phase's outcome; null until the tuning phase has ended, or if no method
 *     needed a learning rate
 * @param machine the machine of the run
 */
public record RunInfo(ExperimentSettings settings, Plan plan, Tuning tuning,
    MachineInfo machine) {

  /**
   * The grid of a run.
   *
   * @param budgets pre-training budgets in epochs
   * @param methods methods
   * @param seeds number of seeds
   * @param shard the part of the cells, as {@code K/N}
   * @param quick whether the quick preset was used
   */
  public record Plan(List<Integer> budgets, List<Method> methods, int seeds, String shard,
      boolean quick) {

    /** Copies the lists. */
    public Plan {
      budgets = ImmutableList.copyOf(budgets);
      methods = ImmutableList.copyOf(methods);
    }

    /** The grid of {@code config}. */
    public static Plan of(ReproduceConfig config) {
      return new Plan(config.budgets(), config.methods(), config.seeds(),
          config.shard().toString(), config.quick());
    }
  }

  /** This record with {@code tuning} in place of the current one. */
  public RunInfo withTuning(Tuning tuning) {
    return new RunInfo(settings, plan, tuning, machine);
  }
}
