package org.fwprune.pruning.constraints;

import static org.fwprune.pruning.constraints.Checks.checkRadius;
import static org.fwprune.pruning.constraints.Checks.checkTolerance;
import static org.fwprune.pruning.constraints.Checks.checkVector;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
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
 * <p>Immutable and stateless; all instances are equal.
 */
public final class L1Ball implements CentralBall {

  private L1Ball() {}

  /** The L1 ball; the radius is given per call. */
  public static L1Ball create() {
    return new L1Ball();
  }

  @Override
  public float[] lmo(float[] gradient, double radius) {
    checkVector(gradient, "gradient");
    checkRadius(radius);
    int best = AbsRanking.argMaxAbs(gradient, "gradient");
    float[] v = new float[gradient.length];
    v[best] = AbsRanking.vertexEntry(gradient[best], radius);
    return v;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Uses {@code TopKV2} with {@code k = 1} rather than {@code ArgMax}: TopKV2 documents that
   * ties go to the lower index, ArgMax documents no tie rule.
   */
  @Override
  public Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius) {
    Shape shape = GraphOps.staticShape(gradient, "gradient");
    GraphOps.checkScalar(radius, "radius");
    return GraphOps.signedTopK(tf, gradient, radius, 1, shape);
  }

  /** {@code ||x||_1 <= r + tolerance}, the sum taken in double precision. */
  @Override
  public boolean contains(float[] x, double radius, double tolerance) {
    checkVector(x, "x");
    checkRadius(radius);
    checkTolerance(tolerance);
    double l1 = 0;
    for (float xi : x) {
      l1 += Math.abs(xi);
    }
    // NaN fails the comparison, so a NaN entry reports "not contained".
    return l1 <= radius + tolerance;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof L1Ball;
  }

  @Override
  public int hashCode() {
    return L1Ball.class.hashCode();
  }

  @Override
  public String toString() {
    return "L1Ball";
  }
}
