package org.fwprune.pruning.constraints;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The L1 ball {@code B1(r) = {x : ||x||_1 <= r}}, whose vertices are {@code +-r e_i}.
 *
 * <p>LMO (Jaggi 2013, Section 4, the L1 ball as the convex hull of the signed unit vectors;
 * docs/algorithms.md, LMOs): with {@code i* = argmax |g_i|} (lowest index on ties), {@code v = -r
 * sign(g_i*) e_i*}. A FW step therefore changes one weight direction at a time, which is what makes
 * the iterates sparse. L2 diameter {@code 2r}; the reference code's L1 ball ({@code LpBall} with
 * {@code ord=1} in ZIB-IOL/StochasticFrankWolfe) converts diameter and radius the same way.
 *
 * <p>The L1 ball is the K-sparse polytope with {@code K = 1}: {@code P_1(r) = conv{+-r e_i}} and
 * {@code B1(r) ∩ Binf(r) = B1(r)}. The LMO and the membership test are that polytope's; in the
 * graph its {@code TopKV2} with {@code k = 1} rather than {@code ArgMax}, since TopKV2 documents
 * that ties go to the lower index and ArgMax documents no tie rule.
 *
 * <p>Immutable and stateless; {@link #create()} returns the one instance.
 */
public final class L1Ball implements CentralBall {

  private static final KSparsePolytope ONE_SPARSE = KSparsePolytope.ofCount(1);

  /** The only instance: the ball has no parameter, so one serves every use. */
  private static final L1Ball INSTANCE = new L1Ball();

  private L1Ball() {}

  /** The L1 ball; the radius is given per call. */
  public static L1Ball create() {
    return INSTANCE;
  }

  @Override
  public float[] lmo(float[] gradient, double radius) {
    return ONE_SPARSE.lmo(gradient, radius);
  }

  @Override
  public Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius) {
    return ONE_SPARSE.lmo(tf, gradient, radius);
  }

  /**
   * {@code ||x||_1 <= r + tolerance}, the sum taken in double precision; NaN reports false. (The
   * polytope's second test, {@code ||x||_inf <= r + tolerance}, follows from the first.)
   */
  @Override
  public boolean contains(float[] x, double radius, double tolerance) {
    return ONE_SPARSE.contains(x, radius, tolerance);
  }

  @Override
  public String toString() {
    return "L1Ball";
  }
}
