package org.fwprune.examples.compare;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.TreeSet;
import org.fwprune.examples.reproduce.Aggregate;
import org.fwprune.examples.reproduce.CellResult;
import org.fwprune.examples.reproduce.Method;
import org.fwprune.examples.study.Stat;

/**
 * Every method of a study against a baseline, seed by seed: the runs share their dense
 * checkpoints (same pre-training seed and epochs), so the difference of two methods on one
 * checkpoint is paired and free of the checkpoint's own variance.
 */
public final class PairedComparison {

  /**
   * A method at one (sparsity, budget, checkpoint).
   *
   * @param run the study folder
   * @param checkpoint pre-training epochs
   * @param method the method
   * @param accuracy test accuracy in %, mean and std over seeds
   * @param differences per seed, method minus baseline, in points (seeds in order)
   */
  public record Line(StudyRun run, int checkpoint, Method method, Stat accuracy,
      double[] differences) {

    /** The smallest paired difference, or NaN with no seeds. */
    public double minDifference() {
      return Arrays.stream(differences).min().orElse(Double.NaN);
    }

    /** The largest paired difference, or NaN with no seeds. */
    public double maxDifference() {
      return Arrays.stream(differences).max().orElse(Double.NaN);
    }

    /** The mean paired difference, or NaN with no seeds. */
    public double meanDifference() {
      return Arrays.stream(differences).average().orElse(Double.NaN);
    }
  }

  private PairedComparison() {}

  /** Every method, checkpoint and run of {@code runs}, compared with {@code baseline}. */
  public static List<Line> of(List<StudyRun> runs, Method baseline) {
    checkArgument(runs != null && !runs.isEmpty(), "runs must not be empty");
    List<Line> lines = new ArrayList<>();
    for (StudyRun run : runs) {
      TreeSet<Integer> checkpoints = new TreeSet<>();
      TreeSet<Integer> seeds = new TreeSet<>();
      List<Method> methods = new ArrayList<>();
      for (CellResult r : run.rows()) {
        checkpoints.add(r.cell().pretrainEpochs());
        seeds.add(r.cell().seed());
        if (!methods.contains(r.cell().method())) {
          methods.add(r.cell().method());
        }
      }
      methods.sort(null);
      for (int checkpoint : checkpoints) {
        for (Method m : methods) {
          List<Double> values = new ArrayList<>();
          List<Double> differences = new ArrayList<>();
          for (int seed : seeds) {
            OptionalDouble a = run.accuracy(m, checkpoint, seed);
            OptionalDouble b = run.accuracy(baseline, checkpoint, seed);
            a.ifPresent(v -> values.add(100 * v));
            if (a.isPresent() && b.isPresent()) {
              differences.add(100 * (a.getAsDouble() - b.getAsDouble()));
            }
          }
          if (!values.isEmpty()) {
            lines.add(new Line(run, checkpoint, m,
                Stat.of(values.stream().mapToDouble(Double::doubleValue).toArray()),
                differences.stream().mapToDouble(Double::doubleValue).toArray()));
          }
        }
      }
    }
    return lines;
  }
}
