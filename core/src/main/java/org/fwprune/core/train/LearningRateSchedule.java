package org.fwprune.core.train;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import org.fwprune.core.check.Require;

/**
 * The learning rate over a training, pruning or SFW run, as a factor on the base rate: constant,
 * or step decays that multiply it by {@code factor} once the run has passed each given fraction of
 * its steps (the reference codes divide SFW's learning rate by 10 at fixed epochs: Pokutta,
 * Spiegel and Zimmer 2020, ZIB-IOL/StochasticFrankWolfe; Lu et al. 2022,
 * VITA-Group/SFW-Once-for-All-Pruning). Immutable.
 */
public final class LearningRateSchedule {

  private final double factor;
  private final double[] fractions;

  private LearningRateSchedule(double factor, double[] fractions) {
    this.factor = factor;
    this.fractions = fractions;
  }

  /** The base rate throughout. */
  public static LearningRateSchedule constant() {
    return new LearningRateSchedule(1, new double[0]);
  }

  /**
   * Multiplies the rate by {@code factor} at each of {@code fractions} of the run: step {@code t}
   * of {@code T} gets {@code factor^j}, {@code j} the number of fractions {@code f} with {@code t
   * >= f T}. {@code stepDecay(0.1, 2.0 / 3)} divides the rate by 10 for the last third.
   *
   * @param factor in (0, 1)
   * @param fractions at least one, each in (0, 1), strictly increasing
   * @throws IllegalArgumentException if an argument is outside those ranges
   */
  public static LearningRateSchedule stepDecay(double factor, double... fractions) {
    Require.inOpen("factor", factor, 0, 1);
    checkArgument(fractions != null && fractions.length > 0,
        "stepDecay needs at least one fraction of the run, got none");
    for (int i = 0; i < fractions.length; i++) {
      Require.inOpen("each fraction", fractions[i], 0, 1);
      checkArgument(i == 0 || fractions[i] > fractions[i - 1],
          "fractions must be strictly increasing, got %s", Arrays.toString(fractions));
    }
    return new LearningRateSchedule(factor, fractions.clone());
  }

  /**
   * The factor on the base rate at 0-based step {@code step} of a run of {@code totalSteps}.
   *
   * @throws IllegalArgumentException if {@code step} is outside {@code [0, totalSteps)}
   */
  public double factorAt(long step, long totalSteps) {
    checkArgument(step >= 0 && step < totalSteps, "step must be in [0, %s), got %s", totalSteps,
        step);
    double f = 1;
    for (double fraction : fractions) {
      if (step >= fraction * totalSteps) {
        f *= factor;
      }
    }
    return f;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LearningRateSchedule that && factor == that.factor
        && Arrays.equals(fractions, that.fractions);
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(factor) + Arrays.hashCode(fractions);
  }

  @Override
  public String toString() {
    return fractions.length == 0 ? "constant"
        : "stepDecay(factor=" + factor + ", at=" + Arrays.toString(fractions) + ")";
  }
}
