package org.fwprune.pruning.fw.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.pruning.constraints.KSparsePolytope;
import org.fwprune.pruning.constraints.internal.MagnitudeThreshold;
import org.fwprune.pruning.fw.SupportRule;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Graph ops of the K-sparse LMO whose {@code K} is fed at each step ({@link
 * SupportRule#SCHEDULE_PER_LAYER}, {@link SupportRule#SCHEDULE_GLOBAL}). Kernel {@code l} has
 * {@code n_l} entries, expected initial norm {@code E_l} and, at a step with {@code K_l} kept
 * entries, radius {@code r_l = tau E_l / sqrt(K_l)}, the reference's radius rule
 * (docs/algorithms.md, LMOs), so that its diameter {@code 2 r_l sqrt(K_l) = 2 tau E_l} does not
 * depend on the step.
 *
 * <p>The global rule's set is {@code {theta : |theta_i| <= r_l(i), sum_i |theta_i| / r_l(i) <=
 * K}}, the K-sparse polytope in the coordinates {@code theta_i / r_l(i)}; its LMO is {@code v_i =
 * -r_l(i) sign(d_i)} on the {@code K} largest {@code r_l(i) |d_i|} over all kernels.
 */
final class ScheduledVertices {

  private final SupportRule rule;
  private final long[] sizes;
  private final List<Placeholder<TInt32>> kept;
  private final List<Operand<TFloat32>> vertices;

  private ScheduledVertices(SupportRule rule, long[] sizes, List<Placeholder<TInt32>> kept,
      List<Operand<TFloat32>> vertices) {
    this.rule = rule;
    this.sizes = sizes;
    this.kept = kept;
    this.vertices = vertices;
  }

  /**
   * Builds the vertices of {@code directions}.
   *
   * @param radiusTimesRootK {@code tau E_l} per kernel
   */
  static ScheduledVertices build(Ops tf, SupportRule rule, List<Operand<TFloat32>> directions,
      double[] radiusTimesRootK) {
    int layers = directions.size();
    long[] sizes = new long[layers];
    List<Placeholder<TInt32>> kept = new ArrayList<>();
    // Per kernel: the direction as a vector, and its radius r_l = tau E_l / sqrt(K_l) per entry.
    List<Operand<TFloat32>> flats = new ArrayList<>();
    List<Operand<TFloat32>> scales = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      sizes[i] = directions.get(i).shape().size();
      Placeholder<TInt32> k = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
      kept.add(k);
      Operand<TFloat32> radius = tf.math.div(tf.constant((float) radiusTimesRootK[i]),
          tf.math.sqrt(tf.dtypes.cast(k, TFloat32.class)));
      flats.add(tf.reshape(directions.get(i), tf.constant(new int[] {-1})));
      scales.add(tf.fill(tf.constant(new int[] {(int) sizes[i]}), radius));
    }
    List<Operand<TFloat32>> vertices = new ArrayList<>();
    if (!rule.global()) {
      for (int i = 0; i < layers; i++) {
        Operand<TFloat32> vertex = KSparsePolytope.scaledLmo(tf, flats.get(i), scales.get(i),
            kept.get(i), (int) sizes[i]);
        vertices.add(tf.reshape(vertex, tf.shape(directions.get(i))));
      }
      return new ScheduledVertices(rule, sizes, kept, vertices);
    }
    Placeholder<TInt32> total = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    kept.add(total);
    int n = Math.toIntExact(Arrays.stream(sizes).sum());
    Operand<TFloat32> vertex = KSparsePolytope.scaledLmo(tf, tf.concat(flats, tf.constant(0)),
        tf.concat(scales, tf.constant(0)), total, n);
    int offset = 0;
    for (int i = 0; i < layers; i++) {
      Operand<TFloat32> part = tf.slice(vertex, tf.constant(new int[] {offset}),
          tf.constant(new int[] {(int) sizes[i]}));
      vertices.add(tf.reshape(part, tf.shape(directions.get(i))));
      offset += (int) sizes[i];
    }
    return new ScheduledVertices(rule, sizes, kept, vertices);
  }

  /** The vertex of each kernel, in the kernels' order and shapes. */
  List<Operand<TFloat32>> vertices() {
    return vertices;
  }

  /** The kept counts of a step at {@code sparsity}, to feed with the step. */
  List<ScalarFeed> feeds(double sparsity) {
    List<ScalarFeed> feeds = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < sizes.length; i++) {
      feeds.add(new ScalarFeed(kept.get(i), keptCount(sparsity, sizes[i])));
      total += sizes[i];
    }
    if (rule.global()) {
      feeds.add(new ScalarFeed(kept.get(sizes.length), keptCount(sparsity, total)));
    }
    return feeds;
  }

  /** {@code n - round(s n)}, the entries a mask at sparsity {@code s} keeps, at least 1. */
  static long keptCount(double sparsity, long n) {
    return Math.max(1, n - MagnitudeThreshold.zeroCount(sparsity, n));
  }
}
