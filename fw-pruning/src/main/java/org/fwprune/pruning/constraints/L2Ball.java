package org.fwprune.pruning.constraints;

import static org.fwprune.pruning.constraints.Checks.checkContainsArguments;
import static org.fwprune.pruning.constraints.Checks.checkRadius;
import static org.fwprune.pruning.constraints.Checks.checkVector;

import org.fwprune.pruning.constraints.internal.GraphOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The L2 ball {@code B2(r) = {x : ||x||_2 <= r}}, the usual constraint for the biases of a network
 * trained with stochastic Frank-Wolfe (Pokutta, Spiegel and Zimmer 2020, Section 3; docs/algorithms.md,
 * "More constraints").
 *
 * <p>LMO: {@code v = -r g / ||g||_2}, and {@code v = 0} for {@code g = 0}. It moves every entry,
 * so it makes nothing sparse. L2 diameter {@code 2r}.
 *
 * <p>Immutable and stateless; {@link #create()} returns the one instance.
 */
public final class L2Ball implements CentralBall {

  /** The only instance: the ball has no parameter, so one serves every use. */
  private static final L2Ball INSTANCE = new L2Ball();

  private L2Ball() {}

  /** The L2 ball; the radius is given per call. */
  public static L2Ball create() {
    return INSTANCE;
  }

  @Override
  public float[] lmo(float[] gradient, double radius) {
    checkVector(gradient, "gradient");
    checkRadius(radius);
    double norm = L2Scaling.norm(gradient, "gradient");
    float[] v = new float[gradient.length];
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (-radius * gradient[i] / norm);
      }
    }
    return v;
  }

  /** {@code -r g / ||g||}; {@code DivNoNan} gives 0 for a zero gradient. */
  @Override
  public Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius) {
    Shape shape = GraphOps.staticShape(gradient, "gradient");
    GraphOps.checkScalar(radius, "radius");
    Operand<TFloat32> flat = GraphOps.flatten(tf, gradient, (int) shape.size());
    return GraphOps.reshape(tf, L2Scaling.toRadius(tf, flat, radius), shape);
  }

  /** {@code ||x||_2 <= r + tolerance}, summed in double precision; NaN reports false. */
  @Override
  public boolean contains(float[] x, double radius, double tolerance) {
    checkContainsArguments(x, radius, tolerance);
    double sum = 0;
    for (float xi : x) {
      sum += (double) xi * xi;
    }
    return Math.sqrt(sum) <= radius + tolerance;
  }

  @Override
  public String toString() {
    return "L2Ball";
  }
}
