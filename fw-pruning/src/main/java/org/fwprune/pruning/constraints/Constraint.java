package org.fwprune.pruning.constraints;

import org.fwprune.core.check.Require;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The feasible region {@code C} of a Frank-Wolfe step for one weight tensor, scaled by a radius
 * {@code r}, together with its linear minimization oracle (LMO).
 *
 * <p>A stochastic Frank-Wolfe step (Pokutta, Spiegel and Zimmer 2020, Algorithm 1; Jaggi 2013,
 * Algorithm 1) moves the weights {@code theta} towards a vertex of {@code C}:
 *
 * <pre>
 *   v     = LMO(m) = argmin over v in C of &lt;m, v&gt;     (m: gradient or its moving average)
 *   theta = (1 - eta) theta + eta v                      (eta in [0, 1])
 * </pre>
 *
 * so {@code theta} stays in {@code C} without a projection. The tensor is treated as a flat vector
 * of its {@code n} entries in row-major order.
 *
 * <p>The radius is a call argument rather than a field, so one constraint object serves every
 * layer; {@link #radiusFromInit} gives the radius rule of the reference code (docs/algorithms.md,
 * "Linear minimization oracles"): the L2 diameter is {@code D = 2 tau E||W_init||_2}.
 *
 * <p>The L1 ball's and the K-sparse polytope's LMOs return {@code -r sign(g_i)} on a set of
 * indices picked by largest {@code |g_i|} (the K-support ball keeps {@code g_i} itself there,
 * scaled to length {@code r}; the L2 ball scales all of {@code g}),
 * with {@code sign(0) = 0} (a zero gradient entry gives a zero output entry, so the result may be
 * an interior point instead of a vertex; it is still a minimizer) and ties broken by the lowest
 * index. The graph version uses TensorFlow's {@code TopKV2}, which documents the same tie rule; its
 * CPU kernel follows it, so on CPU the two versions agree exactly. Other devices are only
 * guaranteed to return a minimizer.
 */
public sealed interface Constraint
    permits KSparsePolytope, CentralBall {

  /**
   * The LMO in plain Java: {@code argmin over v in C(radius) of <gradient, v>}.
   *
   * @param gradient the direction, flattened; at least one entry, no NaN
   * @param radius the radius {@code r >= 0}, finite
   * @return a new array of the same length, a minimizer (a vertex unless the gradient has zeros)
   * @throws IllegalArgumentException if the gradient is empty or holds NaN, or the radius is
   *     negative or not finite
   */
  float[] lmo(float[] gradient, double radius);

  /**
   * The LMO as graph ops: flatten, {@code TopKV2} on {@code |g|}, {@code ScatterNd} of {@code -r
   * sign(g)} at those indices, reshape back. Builds ops only; runs nothing.
   *
   * @param tf the op builder (graph or eager)
   * @param gradient the direction, any fully known static shape with 1 to 2^31 - 1 entries
   * @param radius a scalar {@code r}
   * @return an operand of the gradient's shape
   * @throws IllegalArgumentException if the gradient's static shape is not fully known or the
   *     radius is not a scalar
   */
  Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius);

  /**
   * The L2 diameter {@code max ||x - y||_2} over {@code x, y} in {@code C(radius)} in {@code n}
   * dimensions (docs/algorithms.md, LMO table).
   *
   * @throws IllegalArgumentException if {@code radius} is negative or not finite, or {@code n < 1}
   */
  double diameter(double radius, int n);

  /**
   * The radius whose set has L2 diameter {@code diameter} in {@code n} dimensions; the inverse of
   * {@link #diameter(double, int)}.
   *
   * @throws IllegalArgumentException if {@code diameter} is negative or not finite, or {@code n <
   *     1}
   */
  double radiusForDiameter(double diameter, int n);

  /**
   * Whether {@code x} lies in {@code C(radius)}, each defining inequality allowed to exceed its
   * bound by {@code tolerance} (absolute).
   *
   * @return false if {@code x} holds NaN
   * @throws IllegalArgumentException if {@code x} is empty, or {@code radius} or {@code tolerance}
   *     is negative or not finite
   */
  boolean contains(float[] x, double radius, double tolerance);

  /**
   * The radius set relative to the layer's initialisation, as in the reference code
   * (ZIB-IOL/StochasticFrankWolfe, {@code set_k_sparse_constraints} and {@code set_lp_constraints}
   * with {@code mode='initialization'}; docs/algorithms.md): the L2 diameter is {@code D = 2
   * tau E||W_init||_2}, and the radius is the one with that diameter, {@code radiusForDiameter(D,
   * n)}. For the L1 ball this is {@code r = tau E||W_init||_2}, for the K-sparse polytope {@code r
   * = tau E||W_init||_2 / sqrt(K)}.
   *
   * @param tau the scale factor, {@code > 0} and finite (the reference code's {@code value})
   * @param expectedInitNorm {@code E||W_init||_2 > 0}, e.g. from {@link
   *     InitNorms#glorotUniformExpectedL2Norm(long...)}
   * @param n the number of entries of the tensor
   * @throws IllegalArgumentException if an argument is outside the ranges above
   */
  default double radiusFromInit(double tau, double expectedInitNorm, int n) {
    Require.inOpen("tau", tau, 0, Double.POSITIVE_INFINITY);
    Require.inOpen("expectedInitNorm", expectedInitNorm, 0, Double.POSITIVE_INFINITY);
    return radiusForDiameter(2.0 * tau * expectedInitNorm, n);
  }
}
