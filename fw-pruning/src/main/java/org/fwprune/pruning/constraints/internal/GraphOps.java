package org.fwprune.pruning.constraints.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/** Graph-op building blocks shared by the LMOs and the magnitude threshold. */
public final class GraphOps {

  private GraphOps() {}

  /**
   * The static shape of {@code operand}, checked to be fully known with at least one entry and at
   * most {@link Integer#MAX_VALUE} entries (TopK indices are int32).
   */
  public static Shape staticShape(Operand<? extends TType> operand, String what) {
    checkNotNull(operand, "%s must not be null", what);
    Shape shape = operand.shape();
    checkArgument(
        !shape.isUnknown() && !shape.hasUnknownDimension(),
        "%s must have a fully known static shape, found %s",
        what,
        shape);
    long n = shape.size();
    checkArgument(
        n >= 1 && n <= Integer.MAX_VALUE,
        "%s must have between 1 and %s entries, found %s (shape %s)",
        what,
        Integer.MAX_VALUE,
        n,
        shape);
    return shape;
  }

  /** Checks that {@code operand} is a scalar when its static shape is known. */
  public static void checkScalar(Operand<? extends TType> operand, String what) {
    checkNotNull(operand, "%s must not be null", what);
    Shape shape = operand.shape();
    checkArgument(
        shape.isUnknown() || shape.isScalar(), "%s must be a scalar, found shape %s", what, shape);
  }

  /** {@code x} reshaped to a vector of its {@code n} entries, row-major. */
  public static Operand<TFloat32> flatten(Ops tf, Operand<TFloat32> x, int n) {
    return tf.reshape(x, tf.constant(new int[] {n}));
  }

  /**
   * Indices of the {@code k} largest entries of the vector {@code values}; TopKV2 breaks ties by
   * the lower index. {@code sorted=false} only skips ordering the result: the CPU kernel ranks by
   * (value, lower index) either way, so it picks the same set (the tie tests check this).
   */
  public static Operand<TInt32> topIndices(Ops tf, Operand<TFloat32> values, Operand<TInt32> k) {
    return tf.nn.topK(values, k, TInt32.class, TopK.sorted(false)).indices();
  }

  /** A length-{@code n} vector holding {@code updates[j]} at {@code indices[j]}, 0 elsewhere. */
  public static Operand<TFloat32> scatter(
      Ops tf, Operand<TInt32> indices, Operand<TFloat32> updates, int n) {
    return tf.scatterNd(
        tf.expandDims(indices, tf.constant(-1)), updates, tf.constant(new int[] {n}));
  }

  /** {@code flat} reshaped to {@code shape}. */
  public static Operand<TFloat32> reshape(Ops tf, Operand<TFloat32> flat, Shape shape) {
    return tf.reshape(flat, tf.constant(shape.asArray()));
  }

  /**
   * The signed-vertex LMO shared by the L1 ball ({@code k = 1}) and the K-sparse polytope: {@code
   * -r sign(g_i)} at the {@code k} largest {@code |g_i|}, 0 elsewhere, in the shape of {@code
   * gradient}.
   */
  public static Operand<TFloat32> signedTopK(
      Ops tf, Operand<TFloat32> gradient, Operand<TFloat32> radius, int k, Shape shape) {
    int n = (int) shape.size();
    Operand<TFloat32> flat = flatten(tf, gradient, n);
    Operand<TInt32> indices = topIndices(tf, tf.math.abs(flat), tf.constant(k));
    Operand<TFloat32> picked = tf.gather(flat, indices, tf.constant(0));
    Operand<TFloat32> updates = tf.math.mul(tf.math.neg(radius), tf.math.sign(picked));
    return reshape(tf, scatter(tf, indices, updates, n), shape);
  }
}
