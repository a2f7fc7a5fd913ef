package org.fwprune.pruning.schedule;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The step size {@code eta_t} of a Frank-Wolfe update {@code theta <- (1 - eta_t) theta + eta_t
 * v_t}, always clipped to [0, 1] so the iterate stays a convex combination of feasible points.
 *
 * <p>docs/algorithms.md, FW step, item 3: {@code eta_t = clip(alpha_t f_t, 0, 1)} with
 *
 * <ul>
 *   <li>{@link #classic()}: {@code 2 / (t + 2)} (Jaggi 2013, Algorithm 1);
 *   <li>{@link #fixed(double)}: {@code alpha};
 *   <li>{@link #diameterRescaled(double)}: {@code alpha / D}, {@code D} the L2 diameter of the
 *       feasible region (Pokutta, Spiegel and Zimmer 2020; reference code
 *       ZIB-IOL/StochasticFrankWolfe, {@code SFW} with {@code rescale='diameter'});
 *   <li>{@link #gradientRescaled(double)}: {@code alpha ||m_t|| / ||theta_t - v_t||}, so the move
 *       {@code eta ||theta - v||} is as long as an SGD step {@code alpha ||m||} (same paper and
 *       code, {@code rescale='gradient'}).
 * </ul>
 *
 * <p>Steps count from {@code t = 0} (the first FW step), as in Jaggi's Algorithm 1, so the classic
 * rule starts at {@code eta_0 = 1}.
 *
 * <p>Zero denominators give {@code eta = 0}, never NaN or infinity: {@code ||theta - v|| = 0} means
 * {@code theta = v}, where every {@code eta} gives the same update, and {@code D = 0} means the
 * feasible region is the single point 0; not moving is the conservative choice. The graph version
 * uses {@code DivNoNan}, which returns 0 for a zero denominator, so the two agree.
 */
public sealed interface StepSize
    permits StepSize.Classic, StepSize.Fixed, StepSize.GradientRescaled, StepSize.DiameterRescaled {

  /** {@code eta_t = 2 / (t + 2)}. */
  static StepSize classic() {
    return new Classic();
  }

  /**
   * {@code eta_t = alpha}.
   *
   * @param alpha in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, 1]}
   */
  static StepSize fixed(double alpha) {
    return new Fixed(alpha);
  }

  /**
   * {@code eta_t = clip(alpha ||m_t|| / ||theta_t - v_t||, 0, 1)}.
   *
   * @param alpha in {@code (0, +inf)}; values above 1 are allowed since the ratio may be small
   * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, +inf)}
   */
  static StepSize gradientRescaled(double alpha) {
    return new GradientRescaled(alpha);
  }

  /**
   * {@code eta_t = clip(alpha / D, 0, 1)}.
   *
   * @param alpha in {@code (0, +inf)}; values above 1 are allowed since {@code D} may be large
   * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, +inf)}
   */
  static StepSize diameterRescaled(double alpha) {
    return new DiameterRescaled(alpha);
  }

  /**
   * What a rule may read at step {@code t}; checked here once for every rule.
   *
   * @param step {@code t >= 0}
   * @param gradNorm {@code ||m_t||_2 >= 0}, finite
   * @param distance {@code ||theta_t - v_t||_2 >= 0}, finite
   * @param diameter the L2 diameter {@code D >= 0} of the feasible region, finite
   */
  record Inputs(long step, double gradNorm, double distance, double diameter) {

    /**
     * Checks every input.
     *
     * @throws IllegalArgumentException if an input is negative, NaN or infinite
     */
    public Inputs {
      checkArgument(step >= 0, "step must be >= 0, got %s", step);
      checkNonNegative(gradNorm, "gradNorm");
      checkNonNegative(distance, "distance");
      checkNonNegative(diameter, "diameter");
    }
  }

  /**
   * The same inputs as graph scalars; not checked at run time (negative inputs are clipped away).
   *
   * @param step {@code t}, any numeric scalar (e.g. TInt64 or TFloat32), cast to float32
   * @param gradNorm scalar {@code ||m_t||_2}
   * @param distance scalar {@code ||theta_t - v_t||_2}
   * @param diameter scalar {@code D}
   */
  record GraphInputs(Operand<? extends TNumber> step, Operand<TFloat32> gradNorm,
      Operand<TFloat32> distance, Operand<TFloat32> diameter) {}

  /**
   * The step size for {@code in}, in [0, 1]. Every rule takes every input, so callers need not
   * know which rule they hold; each rule reads only what its formula names.
   */
  double eta(Inputs in);

  /**
   * The same rule as graph ops, in float32, clipped with {@code ClipByValue} to [0, 1]. Builds ops
   * only.
   *
   * @return a float32 scalar
   */
  Operand<TFloat32> eta(Ops tf, GraphInputs in);

  /**
   * {@link #eta(Inputs)} of the given inputs.
   *
   * @throws IllegalArgumentException if an input is negative, NaN or infinite
   */
  default double eta(long step, double gradNorm, double distance, double diameter) {
    return eta(new Inputs(step, gradNorm, distance, diameter));
  }

  /** {@link #eta(Ops, GraphInputs)} of the given scalars. */
  default Operand<TFloat32> eta(Ops tf, Operand<? extends TNumber> step,
      Operand<TFloat32> gradNorm, Operand<TFloat32> distance, Operand<TFloat32> diameter) {
    return eta(tf, new GraphInputs(step, gradNorm, distance, diameter));
  }

  /** {@code eta_t = 2 / (t + 2)} (Jaggi 2013, Algorithm 1); no hyper-parameters. */
  record Classic() implements StepSize {

    @Override
    public double eta(Inputs in) {
      return 2.0 / (in.step() + 2.0);
    }

    @Override
    public Operand<TFloat32> eta(Ops tf, GraphInputs in) {
      Operand<TFloat32> t = tf.dtypes.cast(in.step(), TFloat32.class);
      return clip(tf, tf.math.div(tf.constant(2f), tf.math.add(t, tf.constant(2f))));
    }
  }

  /**
   * {@code eta_t = alpha}.
   *
   * @param alpha the constant step, in {@code (0, 1]}
   */
  record Fixed(double alpha) implements StepSize {

    /**
     * Checks {@code alpha}.
     *
     * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, 1]}
     */
    public Fixed {
      Require.inOpenClosed("alpha", alpha, 0, 1);
    }

    @Override
    public double eta(Inputs in) {
      return alpha;
    }

    @Override
    public Operand<TFloat32> eta(Ops tf, GraphInputs in) {
      return tf.constant((float) alpha);
    }
  }

  /**
   * {@code eta_t = clip(alpha ||m_t|| / ||theta_t - v_t||, 0, 1)}, 0 when the distance is 0.
   *
   * @param alpha the SGD-equivalent learning rate, in {@code (0, +inf)}
   */
  record GradientRescaled(double alpha) implements StepSize {

    /**
     * Checks {@code alpha}.
     *
     * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, +inf)}
     */
    public GradientRescaled {
      checkPositiveAlpha(alpha);
    }

    @Override
    public double eta(Inputs in) {
      return in.distance() == 0 ? 0 : clip(alpha * in.gradNorm() / in.distance());
    }

    @Override
    public Operand<TFloat32> eta(Ops tf, GraphInputs in) {
      Operand<TFloat32> scaled = tf.math.mul(tf.constant((float) alpha), in.gradNorm());
      return clip(tf, tf.math.divNoNan(scaled, in.distance()));
    }
  }

  /**
   * {@code eta_t = clip(alpha / D, 0, 1)}, 0 when the diameter is 0.
   *
   * @param alpha the step relative to the diameter, in {@code (0, +inf)}
   */
  record DiameterRescaled(double alpha) implements StepSize {

    /**
     * Checks {@code alpha}.
     *
     * @throws IllegalArgumentException if {@code alpha} is outside {@code (0, +inf)}
     */
    public DiameterRescaled {
      checkPositiveAlpha(alpha);
    }

    @Override
    public double eta(Inputs in) {
      return in.diameter() == 0 ? 0 : clip(alpha / in.diameter());
    }

    @Override
    public Operand<TFloat32> eta(Ops tf, GraphInputs in) {
      return clip(tf, tf.math.divNoNan(tf.constant((float) alpha), in.diameter()));
    }
  }

  private static double clip(double eta) {
    return Math.max(0.0, Math.min(1.0, eta));
  }

  private static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> eta) {
    return tf.clipByValue(eta, tf.constant(0f), tf.constant(1f));
  }

  private static void checkPositiveAlpha(double alpha) {
    Require.inOpen("alpha", alpha, 0, Double.POSITIVE_INFINITY);
  }

  private static void checkNonNegative(double value, String name) {
    Require.inClosedOpen(name, value, 0, Double.POSITIVE_INFINITY);
  }
}
