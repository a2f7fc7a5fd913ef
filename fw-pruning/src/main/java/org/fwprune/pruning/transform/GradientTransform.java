package org.fwprune.pruning.transform;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * One link of the chain of graph ops between a kernel's minibatch gradient and the direction the
 * Frank-Wolfe LMO sees (docs/algorithms.md, FW step). The moving average of
 * {@link MovingAverage} is one; users add their own (clipping, noise, preconditioning) through
 * {@code FwPruner.Builder#gradientTransform}.
 *
 * <p>{@link #apply} is called once per kernel while the graph is built, never per step. State that
 * must persist across steps lives in variables made with {@link TransformContext#state}; returning
 * the output of an {@code assign} to such a variable makes the update happen whenever the
 * direction is computed. Implementations should be immutable records so pruners with equal
 * settings can share built ops.
 */
@FunctionalInterface
public interface GradientTransform {

  /**
   * Builds the ops that turn {@code gradient} into the next direction.
   *
   * @param context the kernel, its mask, the Frank-Wolfe step counter and an op builder
   * @param gradient the incoming direction, shaped like the kernel
   * @return the outgoing direction, shaped like the kernel
   */
  Operand<TFloat32> apply(TransformContext context, Operand<TFloat32> gradient);
}
