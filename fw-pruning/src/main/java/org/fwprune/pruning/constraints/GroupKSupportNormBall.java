package org.fwprune.pruning.constraints;

import static com.google.common.base.Preconditions.checkArgument;
import static org.fwprune.pruning.constraints.Checks.checkRadius;
import static org.fwprune.pruning.constraints.Checks.checkTolerance;
import static org.fwprune.pruning.constraints.Checks.checkVector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.fwprune.pruning.constraints.internal.AbsRanking;
import org.fwprune.pruning.constraints.internal.GraphOps;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The group K-support norm ball {@code C_K(r) = conv{v : ||v||_2 <= r, v non-zero on at most K
 * groups}}, the constraint of compression-aware Frank-Wolfe training for filter pruning (Zimmer,
 * Spiegel and Pokutta 2022, "Compression-aware training of neural networks using Frank-Wolfe",
 * arXiv 2205.11921, the group-k-support norm ball for filter pruning; definition and LMO as in the
 * reference code ZIB-IOL/compression-aware-SFW, class {@code GroupKSupportNormBall} in {@code
 * optimizers/constraints.py}; docs/algorithms.md, "More constraints"). With every group a single
 * entry it is the {@link KSupportNormBall}.
 *
 * <p>Groups are the slices along a tensor's last axis: for a conv kernel {@code [kh, kw, in, out]}
 * group {@code j} is every weight of output filter {@code j}; for a dense kernel {@code [in, out]}
 * it is every weight into output unit {@code j}. These are exactly the channels {@code
 * StructuredPruner} removes and ranks by L1 norm, so a whole group driven to zero is a filter (or
 * hidden unit) that can be cut. In a flattened row-major tensor whose last axis has {@code c}
 * entries, group {@code j} holds the indices {@code i} with {@code i mod c = j}. The flat methods
 * without a group count read the vector as a rank-1 tensor, whose last-axis slices are its
 * single entries.
 *
 * <p>LMO (the dual norm is the L2 norm of the {@code K} largest group norms): rank the groups by
 * {@code ||g_j||_2}, keep the {@code K} largest (lowest indices on ties, as TensorFlow's {@code
 * TopKV2}) with their values, {@code g_G}, and return {@code v = -r g_G / ||g_G||_2} (0 for
 * {@code g_G = 0}). The reference code keeps every group at or above the K-th largest norm, so on
 * ties it may keep more than K; ranking keeps exactly K. L2 diameter {@code 2r}, so {@link
 * #radiusFromInit} gives {@code r = tau E||W_init||_2}, as the reference code's {@code
 * l2_diameter / 2}.
 *
 * <p>{@code K} is resolved from the number of groups {@code c} with the K-sparse polytope's rule
 * ({@link KSparsePolytope#k(int)}): a count gives {@code min(count, c)}, a fraction {@code min(c,
 * max(1, floor(fraction c)))}, as the reference code's {@code max(min(int(k n_groups), n_groups),
 * 1)}. Immutable; equal when built from the same count or the same fraction.
 */
public final class GroupKSupportNormBall implements CentralBall {

  /** Resolves {@code K} from the number of groups with the K-sparse polytope's rule. */
  private final KSparsePolytope support;

  private GroupKSupportNormBall(KSparsePolytope support) {
    this.support = support;
  }

  /**
   * The ball whose vertices use {@code K = min(count, c)} of the {@code c} groups.
   *
   * @param count {@code K >= 1}
   * @throws IllegalArgumentException if {@code count < 1}
   */
  public static GroupKSupportNormBall ofCount(int count) {
    return new GroupKSupportNormBall(KSparsePolytope.ofCount(count));
  }

  /**
   * The ball whose vertices use {@code K = min(c, max(1, floor(fraction c)))} of the {@code c}
   * groups.
   *
   * @param fraction the share of groups (filters) in a vertex's support, in {@code (0, 1]}
   * @throws IllegalArgumentException if {@code fraction} is outside {@code (0, 1]}
   */
  public static GroupKSupportNormBall ofFraction(double fraction) {
    return new GroupKSupportNormBall(KSparsePolytope.ofFraction(fraction));
  }

  /**
   * {@code K} for a tensor with {@code groups} groups, in {@code [1, groups]}.
   *
   * @throws IllegalArgumentException if {@code groups < 1}
   */
  public int k(int groups) {
    return support.k(groups);
  }

  /** The LMO of a vector read as a rank-1 tensor: every entry is a group. */
  @Override
  public float[] lmo(float[] gradient, double radius) {
    checkVector(gradient, "gradient");
    return lmo(gradient, gradient.length, radius);
  }

  /**
   * The LMO of a row-major tensor whose last axis has {@code groups} entries: {@code -r g_G /
   * ||g_G||_2} on the {@code K} groups of largest L2 norm, 0 elsewhere (class comment).
   *
   * @param gradient the direction, flattened row-major; no NaN
   * @param groups the size of the last axis; divides the number of entries
   * @param radius {@code r >= 0}, finite
   * @throws IllegalArgumentException if the gradient is empty or holds NaN, {@code groups} does
   *     not divide its length, or the radius is negative or not finite
   */
  public float[] lmo(float[] gradient, int groups, double radius) {
    checkVector(gradient, "gradient");
    checkGroups(gradient.length, groups);
    checkRadius(radius);
    L2Scaling.norm(gradient, "gradient");
    boolean[] kept = keptGroups(groupSquares(gradient, groups), k(groups));
    float[] g = new float[gradient.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = kept[i % groups] ? gradient[i] : 0f;
    }
    // On the kept groups the vertex is the L2 ball's: -r g_G / ||g_G||_2, and 0 for g_G = 0.
    return L2Ball.create().lmo(g, radius);
  }

  /**
   * The LMO as graph ops: reshape to {@code [n / c, c]} with {@code c} the last dimension, group
   * norms over axis 0, {@code TopKV2} on them, a 0/1 row mask of the kept groups, then {@code -r
   * g_G / ||g_G||_2} ({@code DivNoNan}: 0 for a zero gradient). Builds ops only.
   */
  @Override
  public Operand<TFloat32> lmo(Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius) {
    Shape shape = GraphOps.staticShape(gradient, "gradient");
    GraphOps.checkScalar(radius, "radius");
    int n = (int) shape.size();
    // A scalar is one group of one entry.
    int groups = shape.numDimensions() == 0 ? 1 : (int) shape.get(shape.numDimensions() - 1);
    Operand<TFloat32> rows = tf.reshape(gradient, tf.constant(new int[] {n / groups, groups}));
    Operand<TFloat32> norms = tf.math.sqrt(tf.sum(tf.math.square(rows), tf.constant(0)));
    int k = k(groups);
    Operand<TInt32> top = GraphOps.topIndices(tf, norms, tf.constant(k));
    Operand<TFloat32> mask = GraphOps.scatter(tf, top,
        tf.fill(tf.constant(new int[] {k}), tf.constant(1f)), groups);
    Operand<TFloat32> kept = GraphOps.flatten(tf, tf.math.mul(rows, mask), n);
    return GraphOps.reshape(tf, L2Scaling.toRadius(tf, kept, radius), shape);
  }

  /**
   * The LMO of several tensors read as one vector whose groups span them all: group {@code j} is
   * the slice {@code j} of every tensor's last axis. These are coupled channels (for instance
   * the outputs of convolutions that a residual addition sums, {@code ChannelGroups}), which
   * {@code StructuredPruner} can only cut from every tensor at once; ranking them by their joint
   * norm makes every tensor keep the same {@code K} channels. Equal to {@link #lmo(Ops, Operand,
   * Operand)} of the tensors reshaped to {@code [n_i / c, c]} and stacked along the first axis,
   * split back into their shapes. Builds ops only.
   *
   * @param gradients one or more directions, fully known static shapes of rank at least 1 with
   *     the same last dimension {@code c}
   * @param radius a scalar {@code r}, the radius of the joint ball
   * @return one operand per gradient, in its shape
   * @throws IllegalArgumentException if the list is empty, a shape is not fully known or is a
   *     scalar, or the last dimensions differ
   */
  public List<Operand<TFloat32>> lmo(Ops tf, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> radius) {
    checkArgument(gradients != null && !gradients.isEmpty(), "gradients must not be empty");
    List<Shape> shapes = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) {
      Shape shape = GraphOps.staticShape(g, "gradient");
      checkArgument(shape.numDimensions() >= 1, "coupled gradients need a last axis, found a"
          + " scalar");
      shapes.add(shape);
    }
    int c = lastDimension(shapes.get(0));
    for (Shape shape : shapes) {
      checkArgument(lastDimension(shape) == c,
          "coupled gradients must share the last dimension (the groups): %s and %s",
          shapes.get(0), shape);
    }
    List<Operand<TFloat32>> rows = new ArrayList<>();
    for (int i = 0; i < shapes.size(); i++) {
      rows.add(tf.reshape(gradients.get(i),
          tf.constant(new int[] {(int) shapes.get(i).size() / c, c})));
    }
    Operand<TFloat32> vertex = lmo(tf, tf.concat(rows, tf.constant(0)), radius);
    List<Operand<TFloat32>> out = new ArrayList<>();
    int start = 0;
    for (Shape shape : shapes) {
      int count = (int) shape.size() / c;
      Operand<TFloat32> piece = tf.slice(vertex, tf.constant(new int[] {start, 0}),
          tf.constant(new int[] {count, c}));
      out.add(GraphOps.reshape(tf, piece, shape));
      start += count;
    }
    return out;
  }

  private static int lastDimension(Shape shape) {
    return (int) shape.get(shape.numDimensions() - 1);
  }

  /** {@link #contains(float[], int, double, double)} with every entry a group. */
  @Override
  public boolean contains(float[] x, double radius, double tolerance) {
    checkVector(x, "x");
    return contains(x, x.length, radius, tolerance);
  }

  /**
   * Whether {@code ||x||_{G,K} <= r + tolerance}, the norm from {@link #norm(float[], int)}.
   *
   * @return false if {@code x} holds NaN
   * @throws IllegalArgumentException if {@code x} is empty, {@code groups} does not divide its
   *     length, or {@code radius} or {@code tolerance} is negative or not finite
   */
  public boolean contains(float[] x, int groups, double radius, double tolerance) {
    checkVector(x, "x");
    checkGroups(x.length, groups);
    checkRadius(radius);
    checkTolerance(tolerance);
    for (float xi : x) {
      if (Float.isNaN(xi)) {
        return false;
      }
    }
    return norm(x, groups) <= radius + tolerance;
  }

  /**
   * The group K-support norm of {@code x}: the K-support norm ({@link KSupportNormBall#norm}) of
   * the vector of its group L2 norms, as the reference code's {@code group_k_support_norm}. Group
   * norms are rounded to float before the K-support norm (relative error about {@code 6e-8}).
   *
   * @param groups the size of the last axis; divides the number of entries
   * @throws IllegalArgumentException if {@code x} is empty or holds NaN, or {@code groups} does
   *     not divide its length
   */
  public double norm(float[] x, int groups) {
    checkVector(x, "x");
    checkGroups(x.length, groups);
    L2Scaling.norm(x, "x");
    double[] squares = groupSquares(x, groups);
    float[] norms = new float[groups];
    for (int j = 0; j < groups; j++) {
      norms[j] = (float) Math.sqrt(squares[j]);
    }
    return KSupportNormBall.ofCount(k(groups)).norm(norms);
  }

  /** Squared L2 norm of each group, summed in double. */
  private static double[] groupSquares(float[] x, int groups) {
    double[] squares = new double[groups];
    for (int i = 0; i < x.length; i++) {
      squares[i % groups] += (double) x[i] * x[i];
    }
    return squares;
  }

  /** The {@code k} groups of largest norm, ties by lower index, as TopKV2. */
  private static boolean[] keptGroups(double[] squares, int k) {
    float[] norms = new float[squares.length];
    for (int j = 0; j < norms.length; j++) {
      norms[j] = (float) Math.sqrt(squares[j]);
    }
    boolean[] kept = new boolean[squares.length];
    for (int j : AbsRanking.topIndices(norms, k, "group norms")) {
      kept[j] = true;
    }
    return kept;
  }

  private static void checkGroups(int n, int groups) {
    checkArgument(groups >= 1 && n % groups == 0,
        "groups must be >= 1 and divide the %s entries (the size of the last axis), got %s", n,
        groups);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof GroupKSupportNormBall that && support.equals(that.support);
  }

  @Override
  public int hashCode() {
    return Objects.hash(GroupKSupportNormBall.class, support);
  }

  @Override
  public String toString() {
    return support.describe("GroupKSupportNormBall");
  }
}
