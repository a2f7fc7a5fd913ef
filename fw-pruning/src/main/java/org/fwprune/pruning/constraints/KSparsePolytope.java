package org.fwprune.pruning.constraints;

import static com.google.common.base.Preconditions.checkArgument;
import static org.fwprune.pruning.constraints.Checks.checkContainsArguments;
import static org.fwprune.pruning.constraints.Checks.checkDiameter;
import static org.fwprune.pruning.constraints.Checks.checkDimension;
import static org.fwprune.pruning.constraints.Checks.checkRadius;
import static org.fwprune.pruning.constraints.Checks.checkVector;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.fwprune.core.check.Require;
import org.fwprune.pruning.constraints.internal.AbsRanking;
import org.fwprune.pruning.constraints.internal.GraphOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The K-sparse polytope {@code P_K(r) = conv{v in {0, +-r}^n : ||v||_0 = K}}, which equals {@code
 * B1(rK) ∩ Binf(r)} (Pokutta, Spiegel and Zimmer 2020; reference code ZIB-IOL/StochasticFrankWolfe,
 * class {@code KSparsePolytope} in {@code frankwolfe/pytorch/constraints.py}; docs/algorithms.md,
 * LMO table).
 *
 * <p>LMO: {@code v_i = -r sign(g_i)} on the {@code K} largest {@code |g_i|} (lowest indices on
 * ties), 0 elsewhere. Each FW step thus moves towards a K-sparse vertex, so the iterates
 * concentrate their mass on few weights. L2 diameter {@code 2 r sqrt(K)} (two vertices with the
 * same support and opposite signs).
 *
 * <p>{@code K} is fixed either as an absolute count or as a fraction of the tensor's {@code n}
 * entries; {@link #k(int)} resolves it for a given {@code n}:
 *
 * <ul>
 *   <li>count {@code c}: {@code K = min(c, n)}, as the reference code's {@code min(int(K), n)};
 *   <li>fraction {@code f}: {@code K = min(n, max(1, floor(f n)))}. The floor is the reference
 *       code's {@code int(K_frac * n)}, computed with a {@code 1e-9} allowance so that float
 *       rounding does not drop an exact product ({@code 0.29 * 100 = 28.999999999999996} gives 29).
 *       The lower bound 1 is ours: the reference code would give {@code K = 0} and an infinite
 *       radius for {@code f n < 1}.
 * </ul>
 *
 * <p>Immutable; equal when built from the same count or the same fraction.
 */
public final class KSparsePolytope implements Constraint {

  /** Allowance for float rounding in {@code floor(f n)}; see the class comment. */
  private static final double FLOOR_ALLOWANCE = 1e-9;

  /** The absolute count, or 0 when {@code K} is a fraction. */
  private final int count;

  /** The fraction of {@code n}, or NaN when {@code K} is a count. */
  private final double fraction;

  private KSparsePolytope(int count, double fraction) {
    this.count = count;
    this.fraction = fraction;
  }

  /**
   * The polytope with {@code K = min(count, n)} non-zeros per vertex.
   *
   * @param count {@code K >= 1}
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public static KSparsePolytope ofCount(int count) {
    checkArgument(count >= 1, "count must be >= 1, got %s", count);
    return new KSparsePolytope(count, Double.NaN);
  }

  /**
   * The polytope with {@code K = min(n, max(1, floor(fraction n)))} non-zeros per vertex.
   *
   * @param fraction the share of entries in a vertex's support, in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code fraction} is outside {@code (0, 1]}
   */
  public static KSparsePolytope ofFraction(double fraction) {
    Require.inOpenClosed("fraction", fraction, 0, 1);
    return new KSparsePolytope(0, fraction);
  }

  /** The absolute count, if {@code K} was given as one. */
  public OptionalInt count() {
    return count > 0 ? OptionalInt.of(count) : OptionalInt.empty();
  }

  /** The fraction of {@code n}, if {@code K} was given as one. */
  public OptionalDouble fraction() {
    return count > 0 ? OptionalDouble.empty() : OptionalDouble.of(fraction);
  }

  /**
   * {@code K} for a tensor of {@code n} entries, in {@code [1, n]}; see the class comment.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public int k(int n) {
    checkDimension(n);
    if (count > 0) {
      return Math.min(count, n);
    }
    long k = (long) Math.floor(fraction * n + FLOOR_ALLOWANCE);
    return (int) Math.min(n, Math.max(1, k));
  }

  @Override
  public float[] lmo(float[] gradient, double radius) {
    int[] top = lmoSupport(gradient, radius);
    float[] v = new float[gradient.length];
    for (int i : top) {
      v[i] = AbsRanking.vertexEntry(gradient[i], radius);
    }
    return v;
  }

  /**
   * Checks the arguments of a Java LMO and returns the support of its vertex: the indices of the
   * {@code K} largest {@code |g_i|}, largest first, lowest indices on ties. The K-support norm
   * ball's vertex has the same support.
   */
  int[] lmoSupport(float[] gradient, double radius) {
    checkVector(gradient, "gradient");
    checkRadius(radius);
    return AbsRanking.topIndices(gradient, k(gradient.length), "gradient");
  }

  @Override
  public Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius) {
    Shape shape = GraphOps.staticShape(gradient, "gradient");
    GraphOps.checkScalar(radius, "radius");
    return GraphOps.signedTopK(tf, gradient, radius, k((int) shape.size()), shape);
  }

  /**
   * The LMO in coordinates scaled per entry, for a {@code K} known only at run time: {@code v_i =
   * -scale_i sign(d_i)} on the {@code k} largest {@code scale_i |d_i|} (ties as for {@link
   * #lmo(Ops, Operand, Operand)}), 0 elsewhere. With every {@code scale_i = r} it is the LMO of
   * {@code P_K(r)}; with per-layer radii over concatenated kernels it is the LMO of one K-sparse
   * polytope over the whole network (a scheduled support, docs/which-pruner.md).
   *
   * @param direction a vector of {@code n} entries
   * @param scale the per-entry radii, {@code n} entries, positive
   * @param k an int32 scalar in [0, n]
   */
  public static Operand<TFloat32> scaledLmo(Ops tf, Operand<TFloat32> direction,
      Operand<TFloat32> scale, Operand<TInt32> k, int n) {
    Operand<TInt32> indices = GraphOps.topIndices(tf, tf.math.mul(scale, tf.math.abs(direction)),
        k);
    Operand<TFloat32> picked = tf.math.mul(tf.gather(scale, indices, tf.constant(0)),
        tf.math.sign(tf.gather(direction, indices, tf.constant(0))));
    return GraphOps.scatter(tf, indices, tf.math.neg(picked), n);
  }

  /** {@code 2 r sqrt(K)}. */
  @Override
  public double diameter(double radius, int n) {
    checkRadius(radius);
    return 2.0 * radius * Math.sqrt(k(n));
  }

  /** {@code D / (2 sqrt(K))}, as the reference code's {@code KSparsePolytope(diameter=D)}. */
  @Override
  public double radiusForDiameter(double diameter, int n) {
    checkDiameter(diameter);
    return diameter / (2.0 * Math.sqrt(k(n)));
  }

  /**
   * {@code ||x||_inf <= r + tolerance} and {@code ||x||_1 <= r K + tolerance}, the description
   * {@code B1(rK) ∩ Binf(r)} of the polytope, with {@code K = k(x.length)}.
   */
  @Override
  public boolean contains(float[] x, double radius, double tolerance) {
    checkContainsArguments(x, radius, tolerance);
    double l1 = 0;
    double lInf = 0;
    for (float xi : x) {
      double a = Math.abs(xi);
      l1 += a;
      // Math.max propagates NaN, so a NaN entry fails the comparisons below.
      lInf = Math.max(lInf, a);
    }
    return lInf <= radius + tolerance && l1 <= radius * k(x.length) + tolerance;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KSparsePolytope that
        && count == that.count
        && Double.compare(fraction, that.fraction) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, fraction);
  }

  @Override
  public String toString() {
    return describe("KSparsePolytope");
  }

  /** {@code name{count=c}} or {@code name{fraction=f}}: how {@code K} was given. */
  String describe(String name) {
    return count > 0 ? name + "{count=" + count + "}" : name + "{fraction=" + fraction + "}";
  }
}
