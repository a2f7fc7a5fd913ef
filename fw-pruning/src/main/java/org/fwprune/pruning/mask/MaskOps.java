package org.fwprune.pruning.mask;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.ArrayList;
import java.util.List;
import org.fwprune.core.runtime.internal.GraphBuilder;
import org.fwprune.core.runtime.internal.ModelGraph;
import org.fwprune.core.runtime.internal.PrunableModel;
import org.fwprune.core.runtime.internal.ScalarFeed;
import org.fwprune.pruning.constraints.internal.MagnitudeThreshold;
import org.fwprune.pruning.scope.PrunedLayers;
import org.fwprune.pruning.scope.Scope;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/**
 * Graph ops that re-threshold a model's kernels by magnitude: new 0/1 masks keep the largest
 * |w| (globally or per kernel) so that exactly the requested number of weights is zero, the masks
 * are stored in the model's mask variables and the kernels multiplied by them. Built once per
 * model and scope; the sparsity is fed at each run, so no weights are copied to Java.
 */
public final class MaskOps {

  private final Scope scope;
  private final long totalWeights;
  /** Weights the per-kernel floors of a minimum density keep; 0 without one. */
  private final long floorWeights;
  private final double minimumDensity;
  private final Placeholder<TInt32> zeros;
  private final Placeholder<TFloat64> sparsity;
  private final Op apply;

  private MaskOps(Scope scope, long totalWeights, long floorWeights, double minimumDensity,
      Placeholder<TInt32> zeros, Placeholder<TFloat64> sparsity, Op apply) {
    this.scope = scope;
    this.totalWeights = totalWeights;
    this.floorWeights = floorWeights;
    this.minimumDensity = minimumDensity;
    this.zeros = zeros;
    this.sparsity = sparsity;
    this.apply = apply;
  }

  /** The ops for {@code scope} over every kernel of {@code graph}, built on first use. */
  public static MaskOps of(PrunableModel graph, Scope scope) {
    return of(graph, scope, PrunedLayers.ALL);
  }

  /** The ops for {@code scope} over the {@code pruned} kernels, built on first use. */
  public static MaskOps of(PrunableModel graph, Scope scope, PrunedLayers pruned) {
    return of(graph, scope, pruned, 0);
  }

  /**
   * As {@link #of(PrunableModel, Scope, PrunedLayers)}, every kernel keeping at least {@code
   * ceil(minimumDensity n)} of its {@code n} weights under the global threshold (a floor per
   * layer; {@code 0} for none). A floor needs {@link Scope#GLOBAL}.
   */
  public static MaskOps of(PrunableModel graph, Scope scope, PrunedLayers pruned,
      double minimumDensity) {
    checkArgument(minimumDensity >= 0 && minimumDensity < 1,
        "minimumDensity must be in [0, 1), got %s", minimumDensity);
    checkArgument(minimumDensity == 0 || scope == Scope.GLOBAL,
        "a minimum density applies to the GLOBAL scope only, got %s", scope);
    return graph.extension(new Key(scope, pruned, minimumDensity),
        b -> build(b, graph, scope, pruned, minimumDensity));
  }

  private record Key(Scope scope, PrunedLayers pruned, double minimumDensity) {}

  private static MaskOps build(GraphBuilder b, PrunableModel g, Scope scope,
      PrunedLayers pruned, double minimumDensity) {
    Ops tf = b.tf();
    List<Operand<TFloat32>> kernels = new ArrayList<>();
    List<ModelGraph.WeightedLayer> layers = pruned.select(g.weightedLayers());
    long total = 0;
    for (ModelGraph.WeightedLayer w : layers) {
      kernels.add(w.kernel());
      total += w.kernel().shape().size();
    }
    Placeholder<TInt32> zeros = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    Placeholder<TFloat64> sparsity = tf.placeholder(TFloat64.class,
        Placeholder.shape(Shape.scalar()));
    int[] floors = new int[kernels.size()];
    long floorWeights = 0;
    for (int i = 0; i < floors.length; i++) {
      floors[i] = (int) Math.ceil(minimumDensity * kernels.get(i).shape().size());
      floorWeights += floors[i];
    }
    List<Operand<TFloat32>> masks = scope == Scope.PER_LAYER
        ? MagnitudeThreshold.perTensorMasks(tf, kernels, sparsity)
        : minimumDensity > 0
            ? MagnitudeThreshold.globalMasksByZeroCount(tf, kernels, zeros, floors)
            : MagnitudeThreshold.globalMasksByZeroCount(tf, kernels, zeros);
    return new MaskOps(scope, total, floorWeights, minimumDensity, zeros, sparsity,
        assignAll(tf, layers, masks));
  }

  /**
   * Re-thresholds each kernel to keep its own number of weights, the largest {@code |w|}: layer
   * budgets chosen by the caller (e.g. by a global LMO) instead of by a sparsity.
   *
   * @param pruned the kernels the counts are for
   * @param keep one count per pruned kernel, in model order, each in [1, kernel size]
   * @throws IllegalArgumentException if a count is outside its range or the number of counts is
   *     not the number of pruned kernels
   */
  public static void applyKeepCounts(PrunableModel graph, PrunedLayers pruned, long[] keep) {
    List<ModelGraph.WeightedLayer> layers = pruned.select(graph.weightedLayers());
    checkArgument(keep != null && keep.length == layers.size(),
        "keep must hold one count per kernel (%s)", layers.size());
    KeepCounts ops = graph.extension(new KeepKey(pruned),
        b -> KeepCounts.build(b, layers));
    List<ScalarFeed> feeds = new ArrayList<>();
    for (int i = 0; i < keep.length; i++) {
      long n = layers.get(i).kernel().shape().size();
      checkArgument(keep[i] >= 1 && keep[i] <= n, "keep[%s] must be in [1, %s] (the size of %s),"
          + " got %s", i, n, layers.get(i).layer().name(), keep[i]);
      feeds.add(new ScalarFeed(ops.counts.get(i), keep[i]));
    }
    graph.activateMasks();
    graph.run(null, feeds, List.of(ops.apply), List.of());
  }

  private record KeepKey(PrunedLayers pruned) {}

  /** The ops of {@link #applyKeepCounts}: one count placeholder per kernel. */
  private record KeepCounts(List<Placeholder<TInt32>> counts, Op apply) {
    static KeepCounts build(GraphBuilder b, List<ModelGraph.WeightedLayer> layers) {
      Ops tf = b.tf();
      List<Operand<TFloat32>> kernels = new ArrayList<>();
      List<Placeholder<TInt32>> counts = new ArrayList<>();
      for (ModelGraph.WeightedLayer w : layers) {
        kernels.add(w.kernel());
        counts.add(tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar())));
      }
      return new KeepCounts(counts, assignAll(tf, layers,
          MagnitudeThreshold.perTensorMasksByKeepCount(tf, kernels, counts)));
    }
  }

  /** Stores {@code masks} and multiplies the kernels by them, as one op. */
  private static Op assignAll(Ops tf, List<ModelGraph.WeightedLayer> layers,
      List<Operand<TFloat32>> masks) {
    List<Op> assigns = new ArrayList<>();
    for (int i = 0; i < masks.size(); i++) {
      ModelGraph.WeightedLayer w = layers.get(i);
      assigns.add(tf.assign(w.mask(), masks.get(i)));
      assigns.add(tf.assign(w.kernel(), tf.math.mul(w.kernel(), masks.get(i))));
    }
    return tf.withControlDependencies(assigns).noOp();
  }

  /**
   * Re-thresholds the kernels to {@code targetSparsity} in [0, 1].
   *
   * @throws IllegalArgumentException if the minimum density's floors leave too few weights to
   *     zero for the target
   */
  public void apply(PrunableModel graph, double targetSparsity) {
    if (floorWeights > 0) {
      long zeros = MagnitudeThreshold.zeroCount(targetSparsity, totalWeights);
      checkArgument(floorWeights <= totalWeights - zeros, "minimum density %s keeps %s of the %s"
          + " pruned weights, more than target sparsity %s leaves (%s); the highest reachable"
          + " sparsity is %s", minimumDensity, floorWeights, totalWeights, targetSparsity,
          totalWeights - zeros, 1 - (double) floorWeights / totalWeights);
    }
    graph.activateMasks();
    graph.run(null, feeds(targetSparsity), List.of(apply), List.of());
  }

  private List<ScalarFeed> feeds(double s) {
    if (scope == Scope.GLOBAL) {
      return List.of(new ScalarFeed(zeros, MagnitudeThreshold.zeroCount(s, totalWeights)));
    }
    return List.of(new ScalarFeed(sparsity, s));
  }
}
