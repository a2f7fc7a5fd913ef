package org.fwprune.pruning.constraints;

import static org.fwprune.pruning.constraints.Checks.checkContainsArguments;
import static org.fwprune.pruning.constraints.Checks.checkVector;

import java.util.Arrays;
import java.util.Objects;
import org.fwprune.pruning.constraints.internal.GraphOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The K-support norm ball {@code C_K(r) = conv{v : ||v||_2 <= r, ||v||_0 <= K}} (Argyriou, Foygel
 * and Srebro 2012, "Sparse prediction with the k-support norm", Definition 2.1), the constraint of
 * compression-aware Frank-Wolfe training (Zimmer, Spiegel and Pokutta 2022, "Compression-aware
 * training of neural networks using Frank-Wolfe", Section 3; docs/algorithms.md, "More constraints").
 * It lies between the L1 ball ({@code K = 1}) and the L2 ball ({@code K = n}).
 *
 * <p>LMO (McDonald, Pontil and Stamos 2016, "New perspectives on k-support and cluster norms",
 * Section 2: the dual norm is the L2 norm of the {@code K} largest {@code |g_i|}): keep the
 * {@code K} largest {@code |g_i|} (lowest indices on ties) with their values, {@code g_K}, and
 * return {@code v = -r g_K / ||g_K||_2} (0 for {@code g_K = 0}). Unlike the K-sparse polytope's
 * vertex, it keeps the gradient's relative sizes on the support. L2 diameter {@code 2r} (two
 * vertices {@code +-r e_1}).
 *
 * <p>{@code K} is resolved from a count or a fraction exactly as {@link KSparsePolytope#k(int)}.
 * Immutable; equal when built from the same count or the same fraction.
 */
public final class KSupportNormBall implements CentralBall {

  /** Resolves {@code K} with the K-sparse polytope's rule, so both read a fraction alike. */
  private final KSparsePolytope support;

  private KSupportNormBall(KSparsePolytope support) {
    this.support = support;
  }

  /**
   * The ball with {@code K = min(count, n)}.
   *
   * @param count {@code K >= 1}
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public static KSupportNormBall ofCount(int count) {
    return new KSupportNormBall(KSparsePolytope.ofCount(count));
  }

  /**
   * The ball with {@code K = min(n, max(1, floor(fraction n)))}.
   *
   * @param fraction in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code fraction} is outside {@code (0, 1]}
   */
  public static KSupportNormBall ofFraction(double fraction) {
    return new KSupportNormBall(KSparsePolytope.ofFraction(fraction));
  }

  /**
   * {@code K} for a tensor of {@code n} entries, in {@code [1, n]}.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public int k(int n) {
    return support.k(n);
  }

  @Override
  public float[] lmo(float[] gradient, double radius) {
    int[] top = support.lmoSupport(gradient, radius);
    float[] kept = new float[top.length];
    for (int j = 0; j < top.length; j++) {
      kept[j] = gradient[top[j]];
    }
    double norm = L2Scaling.norm(kept, "gradient");
    float[] v = new float[gradient.length];
    if (norm > 0) {
      for (int j = 0; j < top.length; j++) {
        v[top[j]] = (float) (-radius * kept[j] / norm);
      }
    }
    return v;
  }

  @Override
  public Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius) {
    Shape shape = GraphOps.staticShape(gradient, "gradient");
    GraphOps.checkScalar(radius, "radius");
    int n = (int) shape.size();
    Operand<TFloat32> flat = GraphOps.flatten(tf, gradient, n);
    Operand<TInt32> indices = GraphOps.topIndices(tf, tf.math.abs(flat), tf.constant(k(n)));
    Operand<TFloat32> kept = tf.gather(flat, indices, tf.constant(0));
    return GraphOps.reshape(tf,
        GraphOps.scatter(tf, indices, L2Scaling.toRadius(tf, kept, radius), n), shape);
  }

  /** {@code ||x||_K^sp <= r + tolerance}, the norm from {@link #norm(float[])}. */
  @Override
  public boolean contains(float[] x, double radius, double tolerance) {
    checkContainsArguments(x, radius, tolerance);
    for (float xi : x) {
      if (Float.isNaN(xi)) {
        return false;
      }
    }
    return norm(x) <= radius + tolerance;
  }

  /**
   * The K-support norm of {@code x} (Argyriou, Foygel and Srebro 2012, Proposition 2.1): with
   * {@code z} the entries' magnitudes sorted in decreasing order ({@code z_0 = +inf}) and the
   * unique {@code s in [0, K-1]} with {@code z_{K-s-1} > T_s / (s+1) >= z_{K-s}}, where {@code T_s
   * = sum_{i >= K-s} z_i},
   *
   * <pre>
   *   ||x||_K^sp = sqrt( sum_{i=1}^{K-s-1} z_i^2 + T_s^2 / (s+1) ).
   * </pre>
   *
   * Rounding can make no {@code s} satisfy both inequalities exactly; the one violating them least
   * is taken.
   *
   * @throws IllegalArgumentException if {@code x} is empty or holds NaN
   */
  public double norm(float[] x) {
    checkVector(x, "x");
    int n = x.length;
    int k = k(n);
    double[] z = new double[n + 1];
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(x[i])) {
        throw new IllegalArgumentException("x must not contain NaN, found NaN at index " + i);
      }
      z[i + 1] = Math.abs(x[i]);
    }
    // z[1..n] in decreasing order; z[0] stands for +infinity.
    Arrays.sort(z, 1, n + 1);
    for (int i = 1, j = n; i < j; i++, j--) {
      double t = z[i];
      z[i] = z[j];
      z[j] = t;
    }
    z[0] = Double.POSITIVE_INFINITY;
    double[] tail = new double[n + 2];
    for (int i = n; i >= 1; i--) {
      tail[i] = tail[i + 1] + z[i];
    }
    double[] headSquares = new double[n + 1];
    for (int i = 1; i <= n; i++) {
      headSquares[i] = headSquares[i - 1] + z[i] * z[i];
    }
    int best = 0;
    double bestViolation = Double.POSITIVE_INFINITY;
    for (int s = 0; s < k; s++) {
      double mean = tail[k - s] / (s + 1);
      double violation = Math.max(0, mean - z[k - s - 1]) + Math.max(0, z[k - s] - mean);
      if (violation < bestViolation) {
        bestViolation = violation;
        best = s;
      }
    }
    return Math.sqrt(headSquares[k - best - 1] + tail[k - best] * tail[k - best] / (best + 1));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KSupportNormBall that && support.equals(that.support);
  }

  @Override
  public int hashCode() {
    return Objects.hash(KSupportNormBall.class, support);
  }

  @Override
  public String toString() {
    return support.describe("KSupportNormBall");
  }
}
