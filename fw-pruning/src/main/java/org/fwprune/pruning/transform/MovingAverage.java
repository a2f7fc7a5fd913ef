package org.fwprune.pruning.transform;

import static com.google.common.base.Preconditions.checkArgument;

import org.fwprune.pruning.schedule.MomentumSchedule;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Exponential moving average of gradients, the "momentum" of stochastic Frank-Wolfe (Pokutta,
 * Spiegel and Zimmer 2020; Mokhtari, Hassani and Karbasi 2020; docs/algorithms.md, item 1):
 * {@code m_1 = g_1, m_t = rho_t m_{t-1} + (1 - rho_t) g_t}. The buffer is not masked: the
 * direction must see the gradient of pruned weights so that the LMO can bring them back.
 *
 * @param schedule the momentum factor per step
 */
public record MovingAverage(MomentumSchedule schedule) implements GradientTransform {

  /** Checks the schedule is set. */
  public MovingAverage {
    checkArgument(schedule != null, "momentum schedule must not be null");
  }

  /** A constant factor {@code rho} in [0, 1). */
  public static MovingAverage of(double rho) {
    return new MovingAverage(MomentumSchedule.constant(rho));
  }

  @Override
  public Operand<TFloat32> apply(TransformContext c, Operand<TFloat32> gradient) {
    Ops tf = c.tf();
    Variable<TFloat32> m = c.state("momentum");
    Operand<TFloat32> rho = schedule.momentumAt(tf, c.step());
    Operand<TFloat32> blended = tf.math.add(tf.math.mul(rho, m),
        tf.math.mul(tf.math.sub(tf.constant(1f), rho), gradient));
    // m_1 = g_1: the first step takes the gradient itself rather than decaying the zero buffer.
    return tf.assign(m, tf.select(tf.math.equal(c.step(), tf.constant(0L)), gradient, blended));
  }
}
