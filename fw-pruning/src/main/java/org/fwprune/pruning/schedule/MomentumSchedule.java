package org.fwprune.pruning.schedule;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.core.check.Require;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The momentum factor {@code rho_t} of the FW direction, an exponential moving average of minibatch
 * gradients (docs/algorithms.md, FW step, item 1):
 *
 * <pre>
 *   m_1 = g_1,   m_t = rho_t m_{t-1} + (1 - rho_t) g_t.
 * </pre>
 *
 * {@code rho = 0} gives plain stochastic FW. Steps count from 0, as for {@link StepSize}.
 */
public sealed interface MomentumSchedule
    permits MomentumSchedule.Constant, MomentumSchedule.Decaying {

  /**
   * The same {@code rho} at every step, as in the reference code (ZIB-IOL/StochasticFrankWolfe,
   * {@code SFW(momentum=rho)}; Pokutta, Spiegel and Zimmer 2020).
   *
   * @param rho in [0, 1)
   * @throws IllegalArgumentException if {@code rho} is outside [0, 1)
   */
  static MomentumSchedule constant(double rho) {
    return new Constant(rho);
  }

  /** {@code rho_t = 1 - 4 / (t + 9)^(2/3)}, rising towards 1; see {@link Decaying}. */
  static MomentumSchedule decaying() {
    return new Decaying();
  }

  /**
   * {@code rho_t} in [0, 1).
   *
   * @throws IllegalArgumentException if {@code step < 0}
   */
  double momentumAt(long step);

  /**
   * The same rule as graph ops, in float32.
   *
   * @param tf the op builder
   * @param step {@code t}, any numeric scalar, cast to float32
   * @return a float32 scalar
   */
  Operand<TFloat32> momentumAt(Ops tf, Operand<? extends TNumber> step);

  /**
   * {@code rho_t = rho}.
   *
   * @param rho the weight of the past average, in [0, 1)
   */
  record Constant(double rho) implements MomentumSchedule {

    /**
     * Checks {@code rho}.
     *
     * @throws IllegalArgumentException if {@code rho} is outside [0, 1)
     */
    public Constant {
      Require.inClosedOpen("rho", rho, 0, 1);
    }

    @Override
    public double momentumAt(long step) {
      checkStep(step);
      return rho;
    }

    @Override
    public Operand<TFloat32> momentumAt(Ops tf, Operand<? extends TNumber> step) {
      return tf.constant((float) rho);
    }
  }

  /**
   * The averaging weights of stochastic conditional gradient with a decaying weight on the new
   * gradient (Mokhtari, Hassani and Karbasi, "Stochastic conditional gradient methods: from convex
   * minimization to submodular maximization", JMLR 21, 2020, Algorithm 1 with {@code rho_t = 4 / (t
   * + 8)^(2/3)} for convex objectives). The paper's {@code rho_t} weighs the new gradient and
   * counts from {@code t = 1}; in this interface's convention (weight of the past, steps from 0)
   * that is
   *
   * <pre>
   *   rho_t = 1 - 4 / (t + 9)^(2/3),   t = 0, 1, ...
   * </pre>
   *
   * so {@code rho_0 ~= 0.076} and {@code rho_t -> 1}. With the buffer initialised to the first
   * gradient ({@code m = g} at step 0, as in the interface comment) {@code rho_0} goes unused; with
   * a zero buffer, as in the paper, {@code m_0 = (1 - rho_0) g_0}. Not among the methods of
   * the reference protocol (docs/algorithms.md), which left literature momentum schedules
   * untested; no hyper-parameters.
   */
  record Decaying() implements MomentumSchedule {

    @Override
    public double momentumAt(long step) {
      checkStep(step);
      return 1.0 - 4.0 / Math.pow(step + 9.0, 2.0 / 3.0);
    }

    @Override
    public Operand<TFloat32> momentumAt(Ops tf, Operand<? extends TNumber> step) {
      Operand<TFloat32> t = tf.dtypes.cast(step, TFloat32.class);
      Operand<TFloat32> power = tf.math.pow(tf.math.add(t, tf.constant(9f)), tf.constant(2f / 3f));
      return tf.math.sub(tf.constant(1f), tf.math.div(tf.constant(4f), power));
    }
  }

  private static void checkStep(long step) {
    checkArgument(step >= 0, "step must be >= 0, got %s", step);
  }
}
