package org.fwprune.pruning.constraints.internal;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.fwprune.core.check.Require;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SplitV;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Magnitude thresholding: 0/1 masks that keep the largest {@code |w|} and zero exactly {@code k}
 * entries, globally across tensors or per tensor.
 *
 * <p>Every FW pruning method ends this way (docs/algorithms.md, "From iterates"):
 * FW iterates are dense with many tiny entries, so the smallest magnitudes are zeroed to reach the
 * target sparsity; magnitude pruning (Zhu and Gupta 2017, Section 3) applies the same rule to
 * trained weights.
 *
 * <p>Counting rule: a sparsity {@code s} over {@code n} entries zeroes {@link #zeroCount(double,
 * long) k = floor(s n + 0.5)} entries (round half up). The count is exact even with ties: entries
 * are ranked by {@code |w|}, and among equal magnitudes the one with the higher index (row-major,
 * tensors in list order for the global variant) is zeroed first. The graph version keeps the {@code
 * N - k} entries that {@code TopKV2} picks, exactly {@code N - k} indices whatever the ties; its
 * CPU kernel breaks ties by the lower index, the same rule, so the two versions give the same masks
 * on CPU (tested).
 *
 * <p>NaN weights are rejected in Java; in the graph their rank is unspecified.
 */
public final class MagnitudeThreshold {

  private MagnitudeThreshold() {}

  /**
   * {@code k = floor(s n + 0.5)}, the number of zeros that sparsity {@code s} asks of {@code n}
   * entries. Computed the same way, in double precision, by the graph ops that take a sparsity.
   *
   * @throws IllegalArgumentException if {@code sparsity} is outside [0, 1] or {@code n < 0}
   */
  public static long zeroCount(double sparsity, long n) {
    checkSparsity(sparsity);
    checkArgument(n >= 0, "n must be >= 0, got %s", n);
    // s <= 1 keeps the result <= n: floor(n + 0.5) = n.
    return (long) Math.floor(sparsity * n + 0.5);
  }

  /**
   * Masks zeroing the {@link #zeroCount(double, long) round(s N)} smallest {@code |w|} over all
   * {@code N} entries of all tensors together (one global threshold).
   *
   * @param weights the tensors, flattened; each with at least one entry, no NaN
   * @param sparsity the share of zeros, in [0, 1]
   * @return one new 0/1 array per tensor, in order
   * @throws IllegalArgumentException if an argument is outside the ranges above
   */
  public static List<float[]> globalMasks(List<float[]> weights, double sparsity) {
    checkSparsity(sparsity);
    return globalMasksByZeroCount(weights, zeroCount(sparsity, totalSize(weights)));
  }

  /**
   * Masks zeroing exactly {@code zeros} entries over all tensors together, the smallest {@code |w|}
   * first (higher global index first among equal magnitudes).
   *
   * @param weights the tensors, flattened; each with at least one entry, no NaN
   * @param zeros the number of zeros, in [0, N]
   * @return one new 0/1 array per tensor, in order
   * @throws IllegalArgumentException if an argument is outside the ranges above
   */
  public static List<float[]> globalMasksByZeroCount(List<float[]> weights, long zeros) {
    int total = totalSize(weights);
    checkArgument(
        zeros >= 0 && zeros <= total,
        "zeros must be in [0, %s] (the total number of entries), got %s",
        total,
        zeros);
    return masksByZeroCount(weights, 0, weights.size(), total, zeros);
  }

  /**
   * Masks zeroing {@link #zeroCount(double, long) round(s n_i)} smallest {@code |w|} in each tensor
   * separately (one threshold per tensor).
   *
   * @param weights the tensors, flattened; each with at least one entry, no NaN
   * @param sparsity the share of zeros in each tensor, in [0, 1]
   * @return one new 0/1 array per tensor, in order
   * @throws IllegalArgumentException if an argument is outside the ranges above
   */
  public static List<float[]> perTensorMasks(List<float[]> weights, double sparsity) {
    checkSparsity(sparsity);
    totalSize(weights);
    List<float[]> masks = new ArrayList<>(weights.size());
    for (int i = 0; i < weights.size(); i++) {
      int n = weights.get(i).length;
      masks.addAll(masksByZeroCount(weights, i, i + 1, n, zeroCount(sparsity, n)));
    }
    return Collections.unmodifiableList(masks);
  }

  /**
   * Masks for {@code weights[from, to)} (holding {@code total} entries) ranked together, the {@code
   * zeros} smallest magnitudes zeroed; indices in error messages are list indices.
   */
  private static List<float[]> masksByZeroCount(
      List<float[]> weights, int from, int to, int total, long zeros) {
    long[] keys = new long[total];
    int offset = 0;
    for (int i = from; i < to; i++) {
      float[] w = weights.get(i);
      AbsRanking.fillKeys(w, offset, keys, offset, "weights[" + i + "]");
      offset += w.length;
    }
    Arrays.sort(keys);
    float[] flat = new float[total];
    Arrays.fill(flat, 1f);
    for (int j = 0; j < zeros; j++) {
      flat[AbsRanking.indexOf(keys[j])] = 0f;
    }
    List<float[]> masks = new ArrayList<>(to - from);
    offset = 0;
    for (int i = from; i < to; i++) {
      int n = weights.get(i).length;
      masks.add(Arrays.copyOfRange(flat, offset, offset + n));
      offset += n;
    }
    return Collections.unmodifiableList(masks);
  }

  /**
   * Graph ops for {@link #globalMasks(List, double)}: the zero count {@code floor(s N + 0.5)} is
   * computed in the graph in double precision, exactly as {@link #zeroCount}, so one graph serves
   * every step of a sparsity schedule (feed {@code s}).
   *
   * @param tf the op builder
   * @param weights the tensors, each with a fully known static shape
   * @param sparsity a float64 scalar in [0, 1]; a value outside makes TopKV2 fail at run time with
   *     {@code TFInvalidArgumentException}
   * @return one 0/1 mask per tensor, in its shape
   * @throws IllegalArgumentException if the list is empty or a shape is not fully known
   */
  public static List<Operand<TFloat32>> globalMasks(
      Ops tf, List<? extends Operand<TFloat32>> weights, Operand<TFloat64> sparsity) {
    GraphOps.checkScalar(sparsity, "sparsity");
    long total = totalGraphSize(weights);
    return globalMasksByZeroCount(tf, weights, zeroCountOp(tf, sparsity, total));
  }

  /**
   * Graph ops for {@link #globalMasksByZeroCount(List, long)}: flatten and concatenate {@code |w|}
   * (Concat has no gradient; masks are off the gradient path), {@code TopKV2} with {@code N -
   * zeros}, {@code ScatterNd} of ones at those indices, split and reshape back per tensor.
   *
   * @param tf the op builder
   * @param weights the tensors, each with a fully known static shape
   * @param zeros an int32 scalar in [0, N]; a value outside makes TopKV2 fail at run time with
   *     {@code TFInvalidArgumentException} (an {@code IllegalArgumentException})
   * @return one 0/1 mask per tensor, in its shape
   * @throws IllegalArgumentException if the list is empty or a shape is not fully known
   */
  public static List<Operand<TFloat32>> globalMasksByZeroCount(
      Ops tf, List<? extends Operand<TFloat32>> weights, Operand<TInt32> zeros) {
    return globalMasksOfPriorities(tf, weights, zeros, w -> tf.math.abs(w.weight()));
  }

  /**
   * As {@link #globalMasksByZeroCount(Ops, List, Operand)} with a floor per tensor: tensor
   * {@code i} keeps at least its {@code floors[i]} largest {@code |w|}, and the rest of the kept
   * weights are the largest {@code |w|} of all tensors together (water-filling). The floor's
   * weights are given the largest float as priority, so the one global selection keeps them
   * first; the zero count stays exact. The caller checks that {@code sum(floors) <= N - zeros}.
   *
   * @param floors one count per tensor, each in [0, n_i]
   * @throws IllegalArgumentException if the list is empty, a shape is not fully known, or the
   *     floors do not match the tensors
   */
  public static List<Operand<TFloat32>> globalMasksByZeroCount(Ops tf,
      List<? extends Operand<TFloat32>> weights, Operand<TInt32> zeros, int[] floors) {
    checkArgument(floors != null && floors.length == weights.size(),
        "floors must hold one count per tensor (%s)", weights.size());
    return globalMasksOfPriorities(tf, weights, zeros, w -> {
      int n = (int) w.weight().shape().size();
      checkArgument(floors[w.index()] >= 0 && floors[w.index()] <= n,
          "floors[%s] must be in [0, %s], got %s", w.index(), n, floors[w.index()]);
      Operand<TFloat32> floor = keepLargestOf(tf, w.weight(), tf.constant(floors[w.index()]));
      return tf.math.maximum(tf.math.abs(w.weight()),
          tf.math.mul(floor, tf.constant(Float.MAX_VALUE)));
    });
  }

  /** A tensor and its position in the list, for a priority function. */
  private record Indexed(Operand<TFloat32> weight, int index) {}

  /** Global masks keeping the {@code N - zeros} largest priorities ({@code |w|} or floored). */
  private static List<Operand<TFloat32>> globalMasksOfPriorities(Ops tf,
      List<? extends Operand<TFloat32>> weights, Operand<TInt32> zeros,
      Function<Indexed, Operand<TFloat32>> priority) {
    GraphOps.checkScalar(zeros, "zeros");
    int total = Math.toIntExact(totalGraphSize(weights));
    List<Operand<TFloat32>> magnitudes = new ArrayList<>(weights.size());
    int[] sizes = new int[weights.size()];
    for (int i = 0; i < weights.size(); i++) {
      Operand<TFloat32> w = weights.get(i);
      sizes[i] = (int) w.shape().size();
      magnitudes.add(GraphOps.flatten(tf, priority.apply(new Indexed(w, i)), sizes[i]));
    }
    Operand<TFloat32> all =
        magnitudes.size() == 1 ? magnitudes.get(0) : tf.concat(magnitudes, tf.constant(0));
    Operand<TFloat32> flatMask =
        keepLargest(tf, all, tf.math.sub(tf.constant(total), zeros), total);
    if (weights.size() == 1) {
      return List.of(GraphOps.reshape(tf, flatMask, weights.get(0).shape()));
    }
    SplitV<TFloat32> parts =
        tf.splitV(flatMask, tf.constant(sizes), tf.constant(0), (long) sizes.length);
    List<Operand<TFloat32>> masks = new ArrayList<>(weights.size());
    for (int i = 0; i < weights.size(); i++) {
      masks.add(GraphOps.reshape(tf, parts.output().get(i), weights.get(i).shape()));
    }
    return Collections.unmodifiableList(masks);
  }

  /**
   * Graph ops for {@link #perTensorMasks(List, double)}: per tensor, {@code k_i = floor(s n_i +
   * 0.5)} in double precision, then {@code TopKV2} with {@code n_i - k_i} and {@code ScatterNd}.
   *
   * @param tf the op builder
   * @param weights the tensors, each with a fully known static shape
   * @param sparsity a float64 scalar in [0, 1]; a value outside makes TopKV2 fail at run time with
   *     {@code TFInvalidArgumentException}
   * @return one 0/1 mask per tensor, in its shape
   * @throws IllegalArgumentException if the list is empty or a shape is not fully known
   */
  public static List<Operand<TFloat32>> perTensorMasks(
      Ops tf, List<? extends Operand<TFloat32>> weights, Operand<TFloat64> sparsity) {
    GraphOps.checkScalar(sparsity, "sparsity");
    totalGraphSize(weights);
    List<Operand<TFloat32>> masks = new ArrayList<>(weights.size());
    for (Operand<TFloat32> w : weights) {
      int n = (int) w.shape().size();
      masks.add(keepLargestOf(tf, w, tf.math.sub(tf.constant(n), zeroCountOp(tf, sparsity, n))));
    }
    return Collections.unmodifiableList(masks);
  }

  /**
   * Masks keeping, in tensor {@code i}, the {@code keep.get(i)} largest {@code |w|} (the count is
   * fed at run time and must lie in [0, n_i]; ties as for the other masks).
   *
   * @param weights the tensors, each with a fully known shape
   * @param keep one int32 scalar per tensor
   */
  public static List<Operand<TFloat32>> perTensorMasksByKeepCount(
      Ops tf, List<? extends Operand<TFloat32>> weights, List<? extends Operand<TInt32>> keep) {
    totalGraphSize(weights);
    checkArgument(keep != null && keep.size() == weights.size(),
        "keep must hold one count per tensor (%s), got %s", weights.size(),
        keep == null ? null : keep.size());
    List<Operand<TFloat32>> masks = new ArrayList<>(weights.size());
    for (int i = 0; i < weights.size(); i++) {
      GraphOps.checkScalar(keep.get(i), "keep[" + i + "]");
      masks.add(keepLargestOf(tf, weights.get(i), keep.get(i)));
    }
    return Collections.unmodifiableList(masks);
  }

  /** The mask, in the shape of {@code w}, keeping its {@code keep} largest {@code |w|}. */
  private static Operand<TFloat32> keepLargestOf(Ops tf, Operand<TFloat32> w,
      Operand<TInt32> keep) {
    Shape shape = w.shape();
    int n = (int) shape.size();
    return GraphOps.reshape(tf, keepLargest(tf, GraphOps.flatten(tf, tf.math.abs(w), n), keep, n),
        shape);
  }

  /** Ones at the {@code keep} largest entries of the vector {@code magnitudes}, zeros elsewhere. */
  private static Operand<TFloat32> keepLargest(
      Ops tf, Operand<TFloat32> magnitudes, Operand<TInt32> keep, int n) {
    Operand<TInt32> indices = GraphOps.topIndices(tf, magnitudes, keep);
    // One update per picked index: ones shaped like the (dynamic-length) index vector.
    Operand<TFloat32> ones = tf.onesLike(tf.dtypes.cast(indices, TFloat32.class));
    return GraphOps.scatter(tf, indices, ones, n);
  }

  /** {@code floor(s n + 0.5)} as int32, in float64 like {@link #zeroCount}. */
  private static Operand<TInt32> zeroCountOp(Ops tf, Operand<TFloat64> sparsity, long n) {
    Operand<TFloat64> scaled = tf.math.mul(sparsity, tf.constant((double) n));
    Operand<TFloat64> rounded = tf.math.floor(tf.math.add(scaled, tf.constant(0.5)));
    return tf.dtypes.cast(rounded, TInt32.class);
  }

  private static void checkSparsity(double sparsity) {
    Require.inClosed("sparsity", sparsity, 0, 1);
  }

  private static int totalSize(List<float[]> weights) {
    checkNotNull(weights, "weights must not be null");
    checkArgument(!weights.isEmpty(), "weights must hold at least one tensor, found none");
    long total = 0;
    for (int i = 0; i < weights.size(); i++) {
      float[] w = weights.get(i);
      checkNotNull(w, "weights[%s] must not be null", i);
      checkArgument(w.length >= 1, "weights[%s] must have at least one entry, found none", i);
      total += w.length;
    }
    checkArgument(
        total <= Integer.MAX_VALUE,
        "weights must hold at most %s entries in all, found %s",
        Integer.MAX_VALUE,
        total);
    return (int) total;
  }

  private static long totalGraphSize(List<? extends Operand<TFloat32>> weights) {
    checkNotNull(weights, "weights must not be null");
    checkArgument(!weights.isEmpty(), "weights must hold at least one tensor, found none");
    long total = 0;
    for (int i = 0; i < weights.size(); i++) {
      total += GraphOps.staticShape(weights.get(i), "weights[" + i + "]").size();
    }
    checkArgument(
        total <= Integer.MAX_VALUE,
        "weights must hold at most %s entries in all, found %s",
        Integer.MAX_VALUE,
        total);
    return total;
  }
}
